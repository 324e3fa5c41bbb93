"""DOCX → PDF through a warm LibreOffice (unoserver), one server per worker process.

A fresh `soffice` per document costs ~1.5 s and ~210 MB; a warm one converts in a fraction of
a second. The server needs the `uno` module, which only Debian's /usr/bin/python3 has, so it runs
from `.venv-uno` (scripts/install-unoserver.sh) and we talk to it over XML-RPC on loopback.

Why the stdlib `xmlrpc.client` and not `unoserver.client.UnoClient` (which does import without
`uno`): UnoClient has no socket timeout, and on a refused connection it sleeps 10 s between five
retries. Both defeat the one thing this module must do: notice a hung or dead LibreOffice quickly,
kill it, start a new one and retry once. The protocol is two calls (`info`, `convert`), checked
against the server's API version.
"""

import atexit
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
UNOSERVER_API = "3"  # unoserver 3.x, pinned in scripts/install-unoserver.sh
START_TIMEOUT = 60.0  # a cold LibreOffice with a new profile takes a few seconds; be generous
INFO_TIMEOUT = 5.0


class ConversionError(Exception):
    """The PDF could not be made. `retryable` tells a job whether trying later can help."""

    def __init__(self, message: str, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class _ServerDown(Exception):
    """The server died, hung or never came up: restart it and try again."""


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unoserver_python() -> str:
    return os.environ.get("UNOSERVER_PYTHON") or str(PROJECT_DIR / ".venv-uno" / "bin" / "python")


def _soffice() -> str | None:
    configured = os.environ.get("SOFFICE_BINARY")
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


class UnoConverter:
    """One unoserver (and its LibreOffice) owned by this process; one conversion at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._port = 0
        self._owner_pid = os.getpid()
        self._profile_dir = Path(tempfile.mkdtemp(prefix="lo-profile-"))

    @property
    def server_pid(self) -> int | None:
        """The running server's PID, or None; lets callers see that it is reused."""
        process = self._process
        return process.pid if process and process.poll() is None else None

    def start(self) -> None:
        """Start the server now instead of on the first document (worker start-up)."""
        with self._lock:
            self._ensure_started()

    def convert(self, docx: bytes, *, timeout: float) -> bytes:
        with self._lock:
            for attempt in (1, 2):
                try:
                    self._ensure_started()
                    return self._convert(docx, timeout)
                except _ServerDown as exc:
                    logger.warning("LibreOffice server failed (attempt %s): %s", attempt, exc)
                    self._kill()
                    failure = exc
            raise ConversionError(
                _("Не удалось преобразовать договор в PDF: %(reason)s. Попробуйте позже.")
                % {"reason": failure},
                retryable=True,
            )

    def stop(self) -> None:
        if os.getpid() != self._owner_pid:
            return  # a forked child inherited this object (and its atexit hook); not its server
        with self._lock:
            self._kill()
        shutil.rmtree(self._profile_dir, ignore_errors=True)

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self._port}",
            transport=_TimeoutTransport(timeout),
            allow_none=True,
        )

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._kill()
        soffice = _soffice()
        if soffice is None:
            raise ConversionError(
                _(
                    "LibreOffice не установлен: PDF договора сделать нельзя "
                    "(установите пакет libreoffice-writer-nogui)."
                ),
                retryable=False,
            )
        python = _unoserver_python()
        if not os.path.exists(python):
            raise ConversionError(
                _("Конвертер unoserver не установлен: выполните scripts/install-unoserver.sh."),
                retryable=False,
            )
        # A LibreOffice killed mid-flight leaves its lock file; a new one would refuse the profile.
        (self._profile_dir / ".lock").unlink(missing_ok=True)
        self._port, uno_port = _free_port(), _free_port()
        command = [
            python,
            "-m",
            "unoserver.server",
            "--interface=127.0.0.1",
            f"--port={self._port}",
            "--uno-interface=127.0.0.1",
            f"--uno-port={uno_port}",
            f"--executable={soffice}",
            f"--user-installation={self._profile_dir}",
            "--quiet",
        ]
        with open(self._profile_dir / "unoserver.log", "ab") as log:
            # Its own session: LibreOffice is a grandchild, and killing the group takes it too.
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self._wait_ready()
        logger.info("LibreOffice server started, pid %s, port %s", self._process.pid, self._port)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise _ServerDown(
                    _("сервер завершился при запуске (код %(code)s)")
                    % {"code": self._process.returncode}
                )
            try:
                info = self._proxy(INFO_TIMEOUT).info()
            except (OSError, xmlrpc.client.ProtocolError):
                time.sleep(0.2)
                continue
            if str(info.get("api")) != UNOSERVER_API:
                self._kill()
                raise ConversionError(
                    _("Версия unoserver не подходит (API %(api)s): выполните %(script)s.")
                    % {"api": info.get("api"), "script": "scripts/install-unoserver.sh"},
                    retryable=False,
                )
            return
        raise _ServerDown(_("сервер не запустился за %(s)d с") % {"s": START_TIMEOUT})

    def _convert(self, docx: bytes, timeout: float) -> bytes:
        try:
            result = self._proxy(timeout).convert(
                None, xmlrpc.client.Binary(docx), None, "pdf", None, [], True, None, None
            )
        except TimeoutError as exc:
            raise _ServerDown(_("LibreOffice не ответил за %(s)d с") % {"s": timeout}) from exc
        except (OSError, xmlrpc.client.ProtocolError) as exc:
            raise _ServerDown(_("LibreOffice прервал работу")) from exc
        except xmlrpc.client.Fault as exc:
            # A fault is either a document LibreOffice cannot read or a LibreOffice that died
            # under the server; only the second is worth a restart.
            if self._healthy():
                raise ConversionError(
                    _("LibreOffice не смог прочитать документ договора."), retryable=False
                ) from exc
            raise _ServerDown(_("LibreOffice прервал работу")) from exc
        if result is None or not result.data.startswith(b"%PDF"):
            raise ConversionError(_("LibreOffice вернул не PDF."), retryable=False)
        return result.data

    def _healthy(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            return False
        try:
            self._proxy(INFO_TIMEOUT).info()
        except (OSError, xmlrpc.client.Error):
            return False
        return True

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        # The group outlives a killed leader while LibreOffice is still in it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


_converter: UnoConverter | None = None
_converter_pid = 0
_converter_lock = threading.Lock()


def get_converter() -> UnoConverter:
    """This process's converter. Keyed by PID: a forked worker must not share its parent's
    server (two processes writing to one XML-RPC socket and one LibreOffice profile)."""
    global _converter, _converter_pid
    with _converter_lock:
        if _converter is None or _converter_pid != os.getpid():
            _converter, _converter_pid = UnoConverter(), os.getpid()
            atexit.register(_converter.stop)
        return _converter


def convert_docx_to_pdf(docx: bytes, *, timeout: float = 60) -> bytes:
    """PDF bytes of a DOCX. Raises ConversionError(message, retryable)."""
    return get_converter().convert(docx, timeout=timeout)
