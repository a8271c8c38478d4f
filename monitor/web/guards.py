"""ASGI middleware that every response passes through: security headers, and the Host check.

Scraped text is escaped by the templates; the Content-Security-Policy is the
second line: no script runs unless a page sends one with this request's nonce.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

BASE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def content_security_policy(script_nonce: str | None = None) -> str:
    """The policy for one response: scripts only with the page's nonce, when it has one."""
    if script_nonce is None:
        return BASE_POLICY
    return f"{BASE_POLICY}; script-src 'nonce-{script_nonce}'"


class SecurityHeaders:
    """Adds the strict policy and its companions to every response that does not set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A nonce per request, for the rare page that needs a script of ours.
        scope.setdefault("state", {})["csp_nonce"] = secrets.token_urlsafe(16)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = BASE_POLICY
                for name, value in SECURITY_HEADERS.items():
                    if name.lower() not in headers:
                        headers[name] = value
                # Names as people write them (Content-Type): clients that compare them exactly still work.
                message["headers"] = [(_canonical(k), v) for k, v in message["headers"]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _canonical(name: bytes) -> bytes:
    return b"-".join(part.capitalize() for part in name.split(b"-"))


def host_name(host_header: str) -> str:
    """The host part of a Host header (``[::1]:8080`` → ``::1``)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class LoopbackHostGuard:
    """Bound to loopback, only loopback names may address the app: stops DNS rebinding."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and host_name(Headers(scope=scope).get("host", "")) not in self.allowed:
            response = PlainTextResponse(
                "unexpected Host header: open editwatch at the address it printed\n", status_code=400
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
