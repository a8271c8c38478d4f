"""The viewer as a WSGI application: read-only routes, escaped pages, strict security headers.

Each server thread reads through its own read-only :class:`storage.Store`
(SQLite in WAL mode), so the viewer never blocks the daemon's writes and cannot
write itself.
"""

from __future__ import annotations

import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import parse_qs
from wsgiref.util import application_uri

from monitor.web import feeds, pages
from monitor.web.pages import BadRequest
from monitor.web.templating import render
from storage import NotFound, StorageError, Store

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Scraped text is escaped everywhere; this policy is the second line: no script runs at all.
SECURITY_HEADERS = [
    ("Content-Security-Policy",
     "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-cache"),
]  # fmt: skip

HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
CSS = "text/css; charset=utf-8"
_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


@dataclass
class Response:
    """A finished response."""

    body: str
    status: int = 200
    content_type: str = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Request:
    """The parts of a WSGI request the viewer looks at."""

    method: str
    path: str
    query: dict[str, list[str]]
    host: str
    base_url: str

    @classmethod
    def from_environ(cls, environ: dict) -> Request:
        return cls(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=environ.get("PATH_INFO", "/") or "/",
            query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            host=environ.get("HTTP_HOST", "") or environ.get("SERVER_NAME", ""),
            base_url=application_uri(environ).rstrip("/"),
        )

    def text(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def number(self, name: str) -> int | None:
        """A positive integer query parameter, or None when absent."""
        value = self.text(name).strip()
        if not value:
            return None
        if not value.isdigit() or int(value) < 1:
            raise BadRequest(f"{name} must be a positive whole number")
        return int(value)


def _host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8080
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Viewer:
    """The WSGI application behind ``editwatch serve``."""

    def __init__(self, db_path: str, bound_host: str = "127.0.0.1"):
        self.db_path = db_path
        # Opened once up front: a missing or foreign file fails here, with one line.
        Store(db_path, create=False).close()
        self._local = threading.local()
        # Bound to loopback, only loopback names may address us (stops DNS rebinding).
        self.allowed_hosts = LOOPBACK_HOSTS | {bound_host} if bound_host in LOOPBACK_HOSTS else None
        self.routes: list[tuple[re.Pattern[str], Callable[..., Response]]] = [
            (re.compile(r"/"), self.index),
            (re.compile(r"/watch/(\d+)/?"), self.article),
            (re.compile(r"/watch/(\d+)/version/(\d+)"), self.version),
            (re.compile(r"/watch/(\d+)/diff"), self.diff),
            (re.compile(r"/watch/(\d+)/feed\.atom"), self.watch_feed),
            (re.compile(r"/feed\.atom"), self.feed),
            (re.compile(r"/search"), self.search),
            (re.compile(r"/static/style\.css"), self.stylesheet),
        ]

    @property
    def store(self) -> Store:
        """This thread's read-only connection."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db_path, create=False, read_only=True)
        return store

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        try:
            response = self.respond(request)
        except NotFound as exc:
            response = self.problem(404, "Not found", str(exc))
        except BadRequest as exc:
            response = self.problem(400, "Bad request", str(exc))
        except StorageError as exc:
            response = self.problem(500, "Database problem", str(exc))
        except Exception:  # the viewer must answer every request with a page
            traceback.print_exc(file=sys.stderr)
            response = self.problem(
                500, "Something went wrong", "The viewer failed on this page; see its log."
            )
        body = response.body.encode("utf-8")
        own = {name for name, _ in response.headers}
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(body))),
            *(header for header in SECURITY_HEADERS if header[0] not in own),
            *response.headers,
        ]
        start_response(f"{response.status} {_REASONS.get(response.status, 'Error')}", headers)
        return [b"" if request.method == "HEAD" else body]

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            response = self.problem(405, "Read-only", "The viewer only shows; it changes nothing.")
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        if self.allowed_hosts is not None and _host_name(request.host) not in self.allowed_hosts:
            raise BadRequest("unexpected Host header: open the viewer at the address it printed")
        for pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if match:
                return handler(request, *(int(g) for g in match.groups()))
        raise NotFound(f"no page at {request.path}")

    def page(self, template: str, **context: object) -> Response:
        return Response(render(template, db_name=pages.database_name(self.store), **context))

    def problem(self, status: int, title: str, message: str) -> Response:
        try:
            body = render("error.html", status=status, title=title, message=message, db_name="")
        except Exception:  # an error page must not fail in turn
            traceback.print_exc(file=sys.stderr)
            return Response(f"{title}: {message}\n", status=status, content_type="text/plain; charset=utf-8")
        return Response(body, status=status)

    # -- pages -------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        return self.page("index.html", **pages.index(self.store, request.number("page") or 1))

    def article(self, request: Request, watch_id: int) -> Response:
        watch = self.store.watches.get(watch_id)
        return self.page("article.html", **pages.article(self.store, watch))

    def version(self, request: Request, watch_id: int, number: int) -> Response:
        watch = self.store.watches.get(watch_id)
        return self.page("version.html", **pages.version(self.store, watch, number))

    def diff(self, request: Request, watch_id: int) -> Response:
        watch = self.store.watches.get(watch_id)
        context = pages.diff(
            self.store, watch, request.number("from"), request.number("to"), request.text("view", "inline")
        )
        return self.page("diff.html", **context)

    def search(self, request: Request) -> Response:
        return self.page("search.html", **pages.search(self.store, request.text("q")))

    def feed(self, request: Request) -> Response:
        return Response(feeds.feed(self.store, request.base_url, request.path), content_type=ATOM)

    def watch_feed(self, request: Request, watch_id: int) -> Response:
        watch = self.store.watches.get(watch_id)
        return Response(feeds.feed(self.store, request.base_url, request.path, watch), content_type=ATOM)

    def stylesheet(self, request: Request) -> Response:
        css = resources.files("monitor.web").joinpath("static/style.css").read_text(encoding="utf-8")
        return Response(css, content_type=CSS, headers=[("Cache-Control", "max-age=3600")])
