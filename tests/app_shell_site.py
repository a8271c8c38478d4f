"""A site on 127.0.0.1 that serves application shells: HTML, scripts and JSON, each with its type, every request logged."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TYPES = {"html": "text/html; charset=utf-8", "js": "text/javascript", "json": "application/json"}


class AppShellSite:
    """Files by path, ``(body, kind)``; change them while a test runs. ``hits`` counts requests per path."""

    def __init__(self, host: str = "127.0.0.1", bind: tuple[str, int] = ("127.0.0.1", 0)) -> None:
        self.host = host
        self.bind = bind  # the address listened on (port 0: any)
        self.files: dict[str, tuple[str, str]] = {}
        self.hits: Counter[str] = Counter()
        self.cookies: list[tuple[str, str]] = []  # (path with its query, the Cookie header sent)
        self.headers: list[tuple[str, dict[str, str]]] = []  # (path, the request's headers)
        self.delays: dict[str, float] = {}  # path -> seconds before it is answered
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        port = self._server.server_address[1]
        return f"http://{self.host}:{port}/{path.lstrip('/')}"

    def serve(self, path: str, body: str, kind: str = "html") -> None:
        with self.lock:
            self.files["/" + path.lstrip("/")] = (body, kind)

    def __enter__(self) -> AppShellSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name for the GET handler
                path = self.path.split("?", 1)[0]
                with site.lock:
                    site.hits[path] += 1
                    site.cookies.append((self.path, self.headers.get("Cookie") or ""))
                    site.headers.append((path, dict(self.headers.items())))
                    body, kind = site.files.get(path, ("<h1>Not found</h1>", "html"))
                    status = 200 if path in site.files else 404
                    delay = site.delays.get(path, 0)
                time.sleep(delay)
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", TYPES[kind])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(self.bind, Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
