"""The access guard: authentication when required, and the CSRF check on every state-changing request.

It reads a form's body itself (to find the CSRF token) and hands the same bytes on to
the view, so views never see a request that skipped the check.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    auth_required,
    bearer_token,
    csrf_valid,
    logged_in,
)
from monitor.web.responses import problem

# Reachable without logging in: the login form, and the stylesheet it uses.
PUBLIC_PATHS = frozenset({"/login", "/static/style.css"})
MAX_FORM_BYTES = 2_000_000  # an imported list of URLs fits many times over


class AccessGuard:
    """Refuses what the caller may not do; lets the rest through unchanged."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path, method = scope["path"], scope["method"]
        token = bearer_token(request) if "authorization" in request.headers else None
        bearer = token is not None
        if path not in PUBLIC_PATHS and not bearer and not logged_in(request) and auth_required(request):
            await self._unauthenticated(request)(scope, receive, send)
            return
        if bearer and token["read_only"] and method not in SAFE_METHODS:
            message = f"token {token['id']} ({token['name']}) is read-only: it cannot change anything"
            await problem(request, 403, "Forbidden", message)(scope, receive, send)
            return
        if method in SAFE_METHODS or bearer:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            await problem(request, 413, "Too large", "the request body is too large")(scope, receive, send)
            return
        submitted = request.headers.get(CSRF_HEADER) or await _form_field(scope, body, CSRF_FIELD)
        if not csrf_valid(request, submitted):
            message = "missing or wrong CSRF token: reload the page and try again"
            await problem(request, 403, "Forbidden", message)(scope, receive, send)
            return
        await self.app(scope, _replay(body), send)

    @staticmethod
    def _unauthenticated(request: Request) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "authentication required: send Authorization: Bearer TOKEN"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="editwatch"'},
            )
        if request.method in SAFE_METHODS:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return problem(request, 401, "Log in first", "this action needs you to log in")


async def _read_body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _form_field(scope: Scope, body: bytes, name: str) -> str | None:
    content_type = Request(scope).headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    try:
        form = await Request(scope, _replay(body)).form()
    except Exception:  # a malformed form has no token
        return None
    value = form.get(name)
    return value if isinstance(value, str) else None
