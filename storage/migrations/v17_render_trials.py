"""Schema version 17. Trials of a site in the browser whose page did not load, kept across runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v17_render_trials(db: sqlite_utils.Database) -> None:
    """Trials of a site in the browser whose page did not load (timed out, crashed, no browser).

    Such a trial decides nothing, and the site is tried again at a later check, a few times at
    most: the count is kept here so that a restarted daemon does not start it again. A site's
    row goes when a decision about it is stored in ``render_decisions``.
    """
    db.execute(
        """
        CREATE TABLE render_trials (
            site TEXT PRIMARY KEY,          -- the host, without "www."
            failed INTEGER NOT NULL,        -- trials whose page did not load
            last_error TEXT NOT NULL,
            last_tried_at TEXT NOT NULL
        )
        """
    )
