"""Schema version 10. Why a watch is stuck, and the last page its checks rejected, so that a person can see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v10_rejected_pages(db: sqlite_utils.Database) -> None:
    """Why a watch is stuck, and the last page its checks rejected, so that a person can see it.

    ``watches.failing_since`` is when the current run of failed checks began and
    ``watches.failure_reason`` the latest failure's reason (both cleared by a good
    check). ``rejected_pages`` keeps, per watch, only the last page the quality guard
    rejected: its extracted text, zstd-compressed, and since when the same text has
    been served in a row (``first_rejected_at``, ``times``).
    """
    db["watches"].add_column("failing_since", str)
    db["watches"].add_column("failure_reason", str)
    # A rewrite's new headline (category "rewrite") is a headline change too.
    db.execute("DROP VIEW IF EXISTS article_stats")
    db.create_view(
        "article_stats",
        """
        SELECT w.id AS watch_id, w.url, w.label, w.state, w.added_at,
               (SELECT COUNT(*) FROM versions v WHERE v.watch_id = w.id) AS versions,
               (SELECT COUNT(*) FROM changes c WHERE c.watch_id = w.id AND c.event = 'edit') AS edits,
               (SELECT MIN(fetched_at) FROM versions v WHERE v.watch_id = w.id) AS first_seen_at,
               w.last_changed_at,
               (SELECT COUNT(*) FROM changes c, json_each(c.diff) e WHERE c.watch_id = w.id
                  AND json_extract(e.value, '$.field') = 'headline'
                  AND json_extract(e.value, '$.category') IN ('headline', 'rewrite')) AS headline_changes,
               (SELECT COUNT(*) FROM changes c, json_each(c.diff) e WHERE c.watch_id = w.id
                  AND json_extract(e.value, '$.category') = 'correction') AS corrections,
               (SELECT COALESCE(SUM(words_added), 0) FROM changes c WHERE c.watch_id = w.id) AS words_added,
               (SELECT COALESCE(SUM(words_removed), 0) FROM changes c WHERE c.watch_id = w.id) AS words_removed,
               w.failure_reason
        FROM watches w
        """,
    )
    # Written as SQL for ON DELETE CASCADE: removing a watch takes its rejected page with it.
    db.execute(
        """
        CREATE TABLE rejected_pages (
            watch_id INTEGER PRIMARY KEY REFERENCES watches(id) ON DELETE CASCADE,
            rejected_at TEXT NOT NULL,      -- the check that last served this text
            first_rejected_at TEXT NOT NULL, -- the first check in a row that served the same text
            times INTEGER NOT NULL,          -- checks in a row that served the same text
            reason TEXT NOT NULL,
            url TEXT,                        -- the URL the page was served from
            http_status INTEGER,
            content_hash TEXT,               -- the text's comparison hash (NULL: nothing extracted)
            codec TEXT NOT NULL,
            text BLOB NOT NULL               -- the extracted text as JSON (headline, byline, body), compressed
        )
        """
    )
