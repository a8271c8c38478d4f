"""Schema version 7. Each site's robots.txt as last fetched, so that it is read once a day, not once per process."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v7_robots_txt(db: sqlite_utils.Database) -> None:
    """Each site's robots.txt as last fetched, so that it is read once a day, not once per process.

    ``site`` is the scheme and authority (``https://example.com``, ``http://127.0.0.1:8080``):
    robots.txt applies to exactly that. ``body`` is what the rules are parsed from (empty for
    a 4xx answer: no rules, everything allowed).
    """
    db.execute(
        """
        CREATE TABLE robots_txt (
            site TEXT PRIMARY KEY,
            fetched_at TEXT NOT NULL,
            status INTEGER NOT NULL,        -- the HTTP status robots.txt was answered with
            body BLOB NOT NULL
        )
        """
    )
