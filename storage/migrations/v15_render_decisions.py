"""Schema version 15. What the crawler decided, per site, about reading its pages in a browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v15_render_decisions(db: sqlite_utils.Database) -> None:
    """What the crawler decided, per site, about reading its pages in a browser.

    ``mode`` is ``browser`` when a static page of the site gave no article and the same page
    rendered in a browser did, ``static`` when the browser did no better (so it is not tried
    again). ``watch_id`` is the watch whose check decided it, for its history.
    """
    db.execute(
        """
        CREATE TABLE render_decisions (
            site TEXT PRIMARY KEY,          -- the host, without "www."
            mode TEXT NOT NULL,             -- browser | static
            decided_at TEXT NOT NULL,
            watch_id INTEGER,
            reason TEXT NOT NULL
        )
        """
    )
