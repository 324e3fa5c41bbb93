"""Test helpers of the 1C connector tests: a proxy stub and a lossy transport."""

import requests

from sandbox.server import SandboxServer


class StubServer:
    """A web server in front of 1C that answers one canned response (a misbehaving proxy)."""

    def __init__(self, status: str, content_type: str, body: bytes):
        def app(environ, start_response):
            start_response(status, [("Content-Type", content_type)])
            return [body]

        self.server = SandboxServer(app).start()
        self.url = f"{self.server.url}/base/"

    def stop(self):
        self.server.stop()


class LoseResponseSession(requests.Session):
    """Sends requests for real, but for the first `method` to a path containing `fragment`
    pretends the answer never arrived (the write happened, the client timed out)."""

    def __init__(self, method: str, fragment: str):
        super().__init__()
        self.method, self.fragment, self.lost = method, fragment, 0

    def request(self, method, url, *args, **kwargs):
        response = super().request(method, url, *args, **kwargs)
        if method == self.method and self.fragment in requests.utils.unquote(url) and not self.lost:
            self.lost += 1
            raise requests.ReadTimeout("response lost")
        return response
