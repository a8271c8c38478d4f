"""Schema version 16. Web sessions that outlive a restart, and API tokens that may only read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v16_web_sessions(db: sqlite_utils.Database) -> None:
    """Web sessions that outlive a restart, and API tokens that may only read.

    ``web_session_key`` holds at most one row: the key that signs the app's session
    cookies, made on the app's first start, so that restarting it logs nobody out.
    ``api_tokens.read_only`` is 1 for a token that may read but never change anything.
    """
    db.execute(
        "CREATE TABLE web_session_key (id INTEGER PRIMARY KEY CHECK (id = 1), key TEXT NOT NULL,"
        " made_at TEXT NOT NULL)"
    )
    db["api_tokens"].add_column("read_only", int, not_null_default=0)
