"""Rejected pages: per watch, the last page its checks did not trust as the article.

Written in the check's own transaction by :meth:`CheckRepository.record`; read by
``editwatch show --rejected`` and by the quality guard, which accepts a collapsed
body once the same text has been served for a while.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage import blobs

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store


@dataclass
class RejectedPage:
    """A page a check rejected, as extracted (``text``: headline, byline and body, when there were any)."""

    rejected_at: str
    reason: str
    url: str | None = None
    http_status: int | None = None
    content_hash: str | None = None
    text: dict = field(default_factory=dict)
    first_rejected_at: str | None = None  # filled in from the stored row
    times: int = 1


# The stored page was rejected by the watch's previous check (saved before the check updates the
# watch), and had text: then the same text was served twice in a row.
_IN_A_ROW = (
    "excluded.content_hash IS NOT NULL AND rejected_pages.rejected_at ="
    " (SELECT last_checked_at FROM watches WHERE id = excluded.watch_id)"
)


class RejectedPageRepository:
    """Queries and writes on ``rejected_pages``."""

    def __init__(self, store: Store):
        self.store = store

    def get(self, watch_id: int) -> RejectedPage | None:
        """The last page rejected for a watch, if any."""
        row = self.store.conn.execute(
            "SELECT * FROM rejected_pages WHERE watch_id = ?", (watch_id,)
        ).fetchone()
        if row is None:
            return None
        text = json.loads(blobs.decompress(row["text"], row["codec"]).decode("utf-8"))
        return RejectedPage(
            rejected_at=row["rejected_at"],
            reason=row["reason"],
            url=row["url"],
            http_status=row["http_status"],
            content_hash=row["content_hash"],
            text=text,
            first_rejected_at=row["first_rejected_at"],
            times=row["times"],
        )

    def save(self, conn: sqlite3.Connection, watch_id: int, page: RejectedPage) -> None:
        """Keep ``page`` as the watch's last rejected page; call inside the check's transaction.

        The same text served again (equal ``content_hash``) keeps its first time and counts one more.
        """
        data = blobs.compress(json.dumps(page.text, ensure_ascii=False).encode("utf-8"))
        conn.execute(
            "INSERT INTO rejected_pages (watch_id, rejected_at, first_rejected_at, times, reason, url,"
            " http_status, content_hash, codec, text) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (watch_id) DO UPDATE SET"
            f" first_rejected_at = CASE WHEN rejected_pages.content_hash IS excluded.content_hash AND {_IN_A_ROW}"
            " THEN rejected_pages.first_rejected_at"
            "  ELSE excluded.first_rejected_at END,"
            f" times = CASE WHEN rejected_pages.content_hash IS excluded.content_hash AND {_IN_A_ROW}"
            " THEN rejected_pages.times + 1 ELSE 1 END,"
            " rejected_at = excluded.rejected_at, reason = excluded.reason, url = excluded.url,"
            " http_status = excluded.http_status, content_hash = excluded.content_hash,"
            " codec = excluded.codec, text = excluded.text",
            (
                watch_id,
                page.rejected_at,
                page.rejected_at,
                page.reason,
                page.url,
                page.http_status,
                page.content_hash,
                blobs.CODEC,
                data,
            ),
        )
