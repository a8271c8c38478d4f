"""Schema version 8. Short blocks seen inside article containers, per site: the evidence for calling a block chrome."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v8_site_blocks(db: sqlite_utils.Database) -> None:
    """Short blocks seen inside article containers, per site: the evidence for calling a block chrome.

    One row per site, block shape (its text with numbers masked, hashed) and watch. A
    shape seen on several watches of a site is the site's template; one whose text
    (``text_key``) changed between fetches of a watch (``variants`` > 1) is volatile.
    """
    db.execute(
        """
        CREATE TABLE site_blocks (
            site TEXT NOT NULL,             -- the host, without "www."
            shape TEXT NOT NULL,
            watch_id INTEGER NOT NULL,
            text_key TEXT NOT NULL,         -- the block's exact text when last seen, hashed
            variants INTEGER NOT NULL,      -- how many texts the block has had on this watch
            seen_at TEXT NOT NULL,
            PRIMARY KEY (site, shape, watch_id)
        ) WITHOUT ROWID
        """
    )
