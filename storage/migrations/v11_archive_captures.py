"""Schema version 11. Where each version's page came from, and the HTTP response it came in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v11_archive_captures(db: sqlite_utils.Database) -> None:
    """Where each version's page came from, and the HTTP response it came in.

    ``source`` is ``live`` (fetched by editwatch) or ``archive`` (recovered from a web
    archive by ``editwatch backfill``: ``fetched_at`` is then the capture time and
    ``archive_url`` the address the raw capture was replayed from). ``response_status``
    and ``response_headers`` (a JSON list of ``[name, value]`` pairs, as received) are
    what ``export --format warc`` writes around the raw page; NULL for pages stored
    before they were kept.
    """
    db["versions"].add_column("source", str, not_null_default="live")
    db["versions"].add_column("archive_url", str)
    db["versions"].add_column("response_status", int)
    db["versions"].add_column("response_headers", str)
