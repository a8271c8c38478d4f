"""Schema version 13. Who may use the web app off loopback: its password's hash and the API's tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v13_web_auth(db: sqlite_utils.Database) -> None:
    """Who may use the web app off loopback: its password's hash and the API's bearer tokens.

    ``web_password`` holds at most one row, an argon2 hash (``editwatch web-password``);
    ``api_tokens`` holds a SHA-256 of each token (``editwatch web-token add NAME``), never
    the token itself, so a copy of the database lets nobody in.
    """
    db.execute(
        "CREATE TABLE web_password (id INTEGER PRIMARY KEY CHECK (id = 1), hash TEXT NOT NULL,"
        " set_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE api_tokens (id INTEGER PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT NOT NULL"
        " UNIQUE, created_at TEXT NOT NULL, last_used_at TEXT)"
    )
