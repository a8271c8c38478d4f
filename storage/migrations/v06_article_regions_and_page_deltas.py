"""Schema version 6. What makes a check cheap: each watch's article region, and raw pages stored as deltas."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v6_article_regions_and_page_deltas(db: sqlite_utils.Database) -> None:
    """What makes a check cheap: each watch's article region, and raw pages stored as deltas.

    ``article_regions`` holds, per watch, where the article sits on its page and
    the fingerprint of that region when it last showed the latest version (see
    ``crawler.extraction.region``): a page with the same fingerprint is unchanged
    without being extracted. ``pages.base`` names the page a raw page was
    compressed against (zstd with the previous version's page as dictionary), so
    that a new version costs what changed, not the whole page again.
    """
    db["article_regions"].create(
        {
            "watch_id": int,
            "content_hash": str,  # the version whose article the region showed
            "recipe": str,  # JSON: how to find the region and which of its runs are the article
            "fingerprint": str,
            "learned_at": str,
        },
        pk="watch_id",
        not_null={"content_hash", "recipe", "fingerprint", "learned_at"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
    db["pages"].add_column("base", str)
