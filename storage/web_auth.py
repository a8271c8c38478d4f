"""The web app's credentials: the password hash, the API tokens' digests and the session key
(``web_password``, ``api_tokens``, ``web_session_key``)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from storage import clock
from storage.errors import NotFound

if TYPE_CHECKING:
    from storage.database import Store


class WebAuthRepository:
    """Queries and writes on ``web_password`` and ``api_tokens``."""

    def __init__(self, store: Store):
        self.store = store

    def password_hash(self) -> str | None:
        """The stored password hash, or None when no password is set."""
        row = self.store.conn.execute("SELECT hash FROM web_password WHERE id = 1").fetchone()
        return row["hash"] if row else None

    def set_password_hash(self, password_hash: str) -> None:
        """Replace the password (its hash)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO web_password (id, hash, set_at) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
                (password_hash, clock.now_text()),
            )

    def add_token(self, name: str, token_sha256: str, read_only: bool = False) -> int:
        """Store a token's digest under ``name`` (``read_only``: it may not change anything); returns its ID."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO api_tokens (name, token_sha256, created_at, read_only) VALUES (?, ?, ?, ?)",
                (name, token_sha256, clock.now_text(), int(read_only)),
            )
        return int(cursor.lastrowid)

    def token_id(self, token_sha256: str) -> int | None:
        """The ID of the token with this digest, or None."""
        token = self.token(token_sha256)
        return token["id"] if token else None

    def token(self, token_sha256: str) -> dict | None:
        """The token with this digest (``id``, ``name``, ``read_only``), or None."""
        row = self.store.conn.execute(
            "SELECT id, name, read_only FROM api_tokens WHERE token_sha256 = ?", (token_sha256,)
        ).fetchone()
        return {"id": row["id"], "name": row["name"], "read_only": bool(row["read_only"])} if row else None

    def tokens(self) -> list[dict]:
        """Every token's ID, name, scope and dates (never the digest)."""
        rows = self.store.conn.execute(
            "SELECT id, name, created_at, last_used_at, read_only FROM api_tokens ORDER BY id"
        ).fetchall()
        return [{**dict(row), "read_only": bool(row["read_only"])} for row in rows]

    def session_key(self) -> str:
        """The key that signs session cookies: made once, kept across restarts (needs a writable store)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO web_session_key (id, key, made_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
                (secrets.token_urlsafe(32), clock.now_text()),
            )
            return conn.execute("SELECT key FROM web_session_key WHERE id = 1").fetchone()["key"]

    def remove_token(self, token_id: int) -> None:
        """Revoke a token."""
        with self.store.transaction() as conn:
            if conn.execute("DELETE FROM api_tokens WHERE id = ?", (token_id,)).rowcount == 0:
                raise NotFound(f"no API token with ID {token_id}")

    def configured(self) -> bool:
        """Whether a password or a token exists: then every request must authenticate."""
        row = self.store.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM web_password) OR EXISTS (SELECT 1 FROM api_tokens) AS any_"
        ).fetchone()
        return bool(row["any_"])
