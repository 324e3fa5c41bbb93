"""Run a sandbox WSGI app as a real HTTP server, in a thread (tests) or in the foreground
(management commands). Sandboxes are reached only over HTTP, like the systems they emulate."""

import logging
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger("sandbox")


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        log.debug("%s %s", self.address_string(), format % args)


class SandboxServer:
    """A WSGI app served on host:port (port 0 picks a free one)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.httpd = make_server(
            host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.host = host
        self.port = self.httpd.server_port
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, *, poll_interval: float = 0.05) -> "SandboxServer":
        # A short shutdown poll: every test fixture stops a server, and the default 0.5 s adds up.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self):
        self.httpd.serve_forever()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
