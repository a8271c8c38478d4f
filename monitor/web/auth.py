"""Who may use the app, and proof that a form came from it: passwords, API tokens, sessions, CSRF.

- With no password and no token, the app answers anyone who reaches it; it then listens on
  loopback only (``editwatch serve`` refuses another address until credentials exist).
- With credentials, a browser logs in (argon2 hash; attempts rate-limited per client) and
  gets a signed session cookie (HttpOnly, SameSite=Strict, Secure under https); scripts send
  ``Authorization: Bearer TOKEN``.
- Every state-changing request carries the session's CSRF token (form field ``csrf_token``
  or header ``X-CSRF-Token``), unless it authenticates with a bearer token, which no other
  site can make a browser send; a read-only token may not make one at all.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import Request

from storage.web_auth import WebAuthRepository

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``, to store."""
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored_hash`` was made from."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """A new API token and the digest stored for it."""
    token = "ew_" + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    """What is stored for a token (tokens are long and random: a fast hash is enough)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LoginThrottle:
    """At most ``attempts`` failed logins per client in ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0):
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again (0: now)."""
        with self._lock:
            now = time.monotonic()
            failures = self._recent(client, now)
            if len(failures) < self.attempts:
                return 0
            return max(1, int(failures[0] + self.window - now) + 1)

    def failed(self, client: str) -> None:
        """Count one failed attempt."""
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())

    def succeeded(self, client: str) -> None:
        """Forget a client's failures."""
        with self._lock:
            self._failures.pop(client, None)


def credentials(request: Request) -> WebAuthRepository:
    """The credentials stored in the served database (read-only connection)."""
    return WebAuthRepository(request.app.state.database.reader())


def auth_required(request: Request) -> bool:
    """Whether every request must prove who sends it: off loopback, or once a password is set.

    API tokens alone do not lock the browser out on loopback: they are for scripts.
    """
    return request.app.state.off_loopback or credentials(request).password_hash() is not None


def bearer_token(request: Request) -> dict | None:
    """The known API token the request carries (``id``, ``name``, ``read_only``), or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return credentials(request).token(token_digest(token.strip()))


def logged_in(request: Request) -> bool:
    """Whether the browser's session has logged in."""
    return request.session.get("user") == "editor"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """Whether ``submitted`` is this session's CSRF token."""
    expected = request.session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(str(expected), str(submitted))
