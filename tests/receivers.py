"""Real alert receivers on 127.0.0.1 for the tests: an HTTP webhook endpoint and an SMTP server."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    """One request the webhook receiver accepted."""

    path: str
    headers: dict[str, str]
    body: dict
    raw: bytes
    at: float = field(default_factory=time.time)  # when it arrived (epoch seconds)


@dataclass
class WebhookReceiver:
    """A webhook endpoint that can refuse (HTTP 503 or a closed port) and hold requests."""

    port: int = 0
    status: int = 200  # answer with this (503: refusing)
    hold_seconds: float = 0.0  # keep each request this long after recording it, before answering
    received: list[Received] = field(default_factory=list)
    refused: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # answer at once, not after the client's delayed ACK

            def do_POST(self) -> None:  # http.server's name for the POST handler
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.status >= 300:
                    with receiver._lock:
                        receiver.refused += 1
                    self.send_response(receiver.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with receiver._lock:
                    receiver.received.append(
                        Received(
                            self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(data), data
                        )
                    )
                receiver.arrived.set()
                if receiver.hold_seconds:
                    time.sleep(receiver.hold_seconds)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender died waiting for the answer (the kill -9 tests)

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            allow_reuse_address = True

            def handle_error(self, request, client_address) -> None:
                pass  # a sender killed mid-request is what some tests do

        self._server = Server(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the port: senders get 'connection refused' until :meth:`start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def keys(self) -> list[str]:
        return [r.headers["idempotency-key"] for r in self.received]

    @property
    def events(self) -> list[dict]:
        return [r.body for r in self.received]


class SMTPReceiver:
    """An SMTP server (aiosmtpd) that keeps every message and accepts any login."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
                receiver.messages.append(
                    email.message_from_bytes(envelope.content, policy=email.policy.default)
                )
                return "250 OK"

        def authenticate(server, session, envelope, mechanism, auth_data):
            receiver.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(success=True)

        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=free_port(),
            authenticator=authenticate,
            auth_require_tls=False,
        )

    def start(self) -> SMTPReceiver:
        self.controller.start()
        self.port = self.controller.port
        return self

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05) -> bool:
    """Poll until ``predicate()`` is true; False if it never was within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
