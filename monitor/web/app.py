"""The web app on FastAPI (Starlette): views by kind of page, the guards every request passes.

Routing, request parsing, forms and OpenAPI are the framework's; what is ours is
what to show and which guards apply: a strict Content-Security-Policy on every
response, the Host check on loopback, and problems answered as one-line pages
(or ``{"error": ...}`` under ``/api/``), never a traceback.
"""

from __future__ import annotations

import sys
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from crawler.urls import InvalidURL
from monitor.actions import BadInput
from monitor.web.access import AccessGuard
from monitor.web.auth import LoginThrottle
from monitor.web.database import Database
from monitor.web.guards import LOOPBACK_HOSTS, LoopbackHostGuard, SecurityHeaders
from monitor.web.pages import BadRequest
from monitor.web.responses import problem
from monitor.web.views import (
    alerts,
    api_docs,
    article,
    dashboard,
    diff,
    feeds,
    index,
    login,
    search,
    sources,
    static,
    version,
    watches,
)
from storage import NotFound, StorageError
from storage.web_auth import WebAuthRepository

READING_VIEWS = (index, article, version, diff, search, feeds, static, dashboard)
ACTING_VIEWS = (watches, alerts, sources, login, api_docs)


class StartRefused(ValueError):
    """The app will not start as asked (off loopback without credentials); one line says why."""


_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}


def create_app(
    db_path: str,
    bound_host: str = "127.0.0.1",
    read_only: bool = True,
    config: dict | None = None,
    https: bool = False,
    config_path: str | None = None,
) -> FastAPI:
    """The app serving ``db_path``; ``bound_host`` is the address it listens on.

    ``read_only`` is the viewer: it shows and changes nothing, with no sessions. Otherwise
    the app acts too, and off loopback it starts only once a password or a token exists.
    ``https``: browsers reach the app over https (served by it, or by a proxy in front of
    it), so its session cookie is marked Secure.
    """
    app = FastAPI(
        title="editwatch",
        summary="Watch news articles and report when, and how, they are edited.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the framework's docs pages load scripts from a CDN; ours is /api/
        redoc_url=None,
    )
    app.state.database = Database(db_path)
    app.state.read_only = read_only
    app.state.config = config or {}
    app.state.config_path = config_path  # handed to the commands the app runs (a source's check)
    app.state.off_loopback = bound_host not in LOOPBACK_HOSTS
    app.state.login_throttle = LoginThrottle()
    for view in READING_VIEWS if read_only else READING_VIEWS + ACTING_VIEWS:
        app.include_router(view.router)
    _handle_problems(app)
    if not read_only:
        store = app.state.database.reader()
        credentials = WebAuthRepository(store)
        if app.state.off_loopback and credentials.password_hash() is None and not credentials.tokens():
            raise StartRefused(
                f"refusing to serve on {bound_host} without a login: set a password with "
                "`editwatch web-password` (or an API token with `editwatch web-token add NAME`), "
                "or serve --read-only"
            )
        app.add_middleware(AccessGuard)
        with app.state.database.writer() as writable:  # the key is made once, kept across restarts
            session_key = WebAuthRepository(writable).session_key()
        app.add_middleware(
            SessionMiddleware, secret_key=session_key, session_cookie="editwatch_session",
            same_site="strict", https_only=https, max_age=12 * 3600,
        )  # fmt: skip
    if bound_host in LOOPBACK_HOSTS:
        app.add_middleware(LoopbackHostGuard, allowed=LOOPBACK_HOSTS | {bound_host})
    app.add_middleware(SecurityHeaders)  # outermost: every answer carries the headers
    return app


def _handle_problems(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return problem(request, 404, "Not found", str(exc))

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput):
        return problem(request, 400, "Bad request", str(exc))

    @app.exception_handler(InvalidURL)
    async def bad_url(request: Request, exc: InvalidURL):
        return problem(request, 400, "Bad request", str(exc))

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest):
        return problem(request, 400, "Bad request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return problem(request, 400, "Bad request", _input_problem(exc.errors()))

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException):
        if exc.status_code == 404:
            return problem(request, 404, "Not found", f"no page at {request.url.path}")
        if exc.status_code == 405:
            allowed = sorted((exc.headers or {}).get("Allow", "GET").split(", "), key=_method_order)
            message = "The viewer only shows; it changes nothing." if app.state.read_only else exc.detail
            return problem(request, 405, "Method not allowed", message, headers={"Allow": ", ".join(allowed)})
        return problem(request, exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))

    @app.exception_handler(StorageError)
    async def storage_problem(request: Request, exc: StorageError):
        return problem(request, 500, "Database problem", str(exc))

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception):  # every request gets an answer
        traceback.print_exception(exc, file=sys.stderr)
        return problem(request, 500, "Something went wrong", "The app failed on this page; see its log.")


# The framework's validation errors, said the way the CLI says them.
_SAID = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "string_type": "must be a string",
    "list_type": 'must be a list, e.g. ["edit"]',
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "json_invalid": "is not valid JSON",
}


def _input_problem(errors: list) -> str:
    """One line for the first thing wrong with a request's input."""
    first = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "form")]
    where = ".".join(location) or "the request body"
    said = _SAID.get(first.get("type", ""), first.get("msg", "is not valid").lower())
    return f"{where} {said}"


def _method_order(method: str) -> tuple[int, str]:
    return ({"GET": 0, "HEAD": 1}.get(method, 2), method)
