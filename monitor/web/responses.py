"""Turning view results into responses: pages through the templates, JSON for ``/api/``, problems."""

from __future__ import annotations

import sys
import traceback
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from monitor.web import pages
from monitor.web.auth import csrf_token
from monitor.web.templating import render

HTML = "text/html; charset=utf-8"


def is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (problems answer in JSON there)."""
    return request.url.path.startswith("/api/")


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page of the app, rendered with what every page shows (the database's name, the user's state)."""
    store = request.app.state.database.reader()
    with_session = "session" in request.scope  # the app, not the read-only viewer
    common = {
        "db_name": pages.database_name(store),
        "read_only": request.app.state.read_only,
        "csrf_token": csrf_token(request) if with_session else "",
        "flash": request.session.pop("flash", None) if with_session else None,
        "logged_in": with_session and request.session.get("user") is not None,
        "csp_nonce": request.scope.get("state", {}).get("csp_nonce", ""),
    }
    return HTMLResponse(render(template, **common, **context), status_code=status)


def api(data: Any, status: int = 200) -> JSONResponse:
    """A JSON answer, in the shapes the CLI's ``--json`` prints."""
    return JSONResponse(data, status_code=status)


def flash(request: Request, text: str, kind: str = "done") -> None:
    """A message for the next page this browser sees (after a redirect)."""
    request.session["flash"] = {"text": text, "kind": kind}


def problem(request: Request, status: int, title: str, message: str, headers: dict | None = None) -> Response:
    """An error as a page, or as ``{"error": message}`` for the API; never a traceback."""
    if is_api(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    try:
        body = render(
            "error.html", status=status, title=title, message=message, db_name="",
            read_only=True, csrf_token="", csp_nonce="", flash=None, logged_in=False,
        )  # fmt: skip
    except Exception:  # an error page must not fail in turn
        traceback.print_exc(file=sys.stderr)
        return PlainTextResponse(f"{title}: {message}\n", status_code=status, headers=headers)
    return HTMLResponse(body, status_code=status, headers=headers)
