"""Schema version 5. Live blogs followed under their own policy: a fixed interval, for a limited time."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v5_live_blogs(db: sqlite_utils.Database) -> None:
    """Live blogs followed under their own policy: a fixed interval, for a limited time."""
    # Written as SQL for ON DELETE CASCADE: removing (or merging away) a watch ends its entry.
    db.execute(
        """
        CREATE TABLE live_blogs (
            watch_id INTEGER PRIMARY KEY REFERENCES watches(id) ON DELETE CASCADE,
            reason TEXT NOT NULL,           -- how it was recognized (LiveBlogPosting, its URL)
            followed_since TEXT NOT NULL,
            follow_until TEXT NOT NULL,     -- then the watch is retired (kept, no longer fetched)
            ended_at TEXT                   -- when it was retired
        )
        """
    )
    db.execute("CREATE INDEX live_blogs_due ON live_blogs(follow_until) WHERE ended_at IS NULL")
