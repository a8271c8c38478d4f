"""Logging in and out (only needed once a password is set, or off loopback)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from monitor.web.auth import credentials, password_matches
from monitor.web.responses import page, problem

router = APIRouter()


def _safe_next(target: str) -> str:
    # Only a path of this app: never an open redirect to another site.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.api_route("/login", methods=["GET", "HEAD"], include_in_schema=False)
def login_page(request: Request, next: str = "/"):
    """The password form (or, with API tokens and no password, how to set one)."""
    return page(request, "login.html", next=_safe_next(next), failed=False, **_password_set(request))


@router.post("/login", include_in_schema=False)
async def log_in(request: Request, password: str = Form(""), next: str = Form("/")):
    """Check the password; a client that keeps failing waits (rate limit)."""
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(client)
    if wait:
        message = f"too many failed logins: try again in {wait} seconds"
        return problem(request, 429, "Too many attempts", message, headers={"Retry-After": str(wait)})
    stored = credentials(request).password_hash()
    if stored and await run_in_threadpool(password_matches, stored, password):
        throttle.succeeded(client)
        request.session.clear()  # a new session (and CSRF token) on login: no session fixation
        request.session["user"] = "editor"
        return RedirectResponse(_safe_next(next), status_code=303)
    throttle.failed(client)
    return page(
        request, "login.html", status=401, next=_safe_next(next), failed=True, **_password_set(request)
    )


def _password_set(request: Request) -> dict:
    # Off loopback with API tokens only, no password can be right: say so rather than "wrong password".
    return {"password_set": credentials(request).password_hash() is not None}


@router.post("/logout", include_in_schema=False)
def log_out(request: Request):
    """Forget the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
