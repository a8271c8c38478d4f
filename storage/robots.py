"""Each site's robots.txt as last fetched, shared by every process that crawls from this database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from storage import clock

if TYPE_CHECKING:
    from storage.database import Store

# Google reads the first 500 KiB of a robots.txt and ignores the rest; so do we, stored and parsed.
MAX_ROBOTS_TXT_BYTES = 512 * 1024


def capped(body: bytes) -> bytes:
    """``body`` cut to :data:`MAX_ROBOTS_TXT_BYTES`, at the end of a line so that no rule is half read."""
    if len(body) <= MAX_ROBOTS_TXT_BYTES:
        return body
    head = body[:MAX_ROBOTS_TXT_BYTES]
    end = head.rfind(b"\n")
    return head[: end + 1] if end >= 0 else b""


@dataclass(frozen=True)
class StoredRobotsTxt:
    """A site's robots.txt as fetched at ``fetched_at`` (an empty body: no rules)."""

    site: str
    fetched_at: datetime
    status: int
    body: bytes

    def age_seconds(self, now: datetime | None = None) -> float:
        """Seconds since it was fetched (negative if the clock went back)."""
        return ((now or clock.utcnow()) - self.fetched_at).total_seconds()


class RobotsTxtRepository:
    """Queries and writes on ``robots_txt``, keyed by site (scheme and authority: ``https://example.com``)."""

    def __init__(self, store: Store):
        self.store = store

    def get(self, site: str) -> StoredRobotsTxt | None:
        """The site's stored robots.txt, whatever its age; None if there is none (or its date is unreadable)."""
        row = self.store.query(
            "SELECT site, fetched_at, status, body FROM robots_txt WHERE site = ?", (site,)
        )
        if not row:
            return None
        fetched_at = clock.from_text(row[0]["fetched_at"])
        if fetched_at is None:
            return None
        return StoredRobotsTxt(row[0]["site"], fetched_at, row[0]["status"], bytes(row[0]["body"]))

    def put(self, site: str, status: int, body: bytes, fetched_at: datetime | None = None) -> None:
        """Store the site's robots.txt (capped to :data:`MAX_ROBOTS_TXT_BYTES`), replacing the previous one."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO robots_txt (site, fetched_at, status, body) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (site) DO UPDATE SET fetched_at = excluded.fetched_at,"
                " status = excluded.status, body = excluded.body",
                (site, clock.to_text(fetched_at or clock.utcnow()), status, capped(body)),
            )
