"""Schema version 3. Sources (feeds, sitemaps, section pages) that discover articles, and URL aliases of watches."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v3_sources(db: sqlite_utils.Database) -> None:
    """Sources (feeds, sitemaps, section pages) that discover articles, and URL aliases of watches."""
    db["sources"].create(
        {
            "id": int,
            "url": str,
            "kind": str,  # rss | atom | news-sitemap | sitemap | sitemap-index | page; NULL until polled
            "title": str,  # the feed's own title, when it has one
            "label": str,  # given to the watches it creates
            "interval_seconds": int,
            "include_pattern": str,  # regular expression an article URL must match
            "exclude_pattern": str,  # regular expression an article URL must not match
            "links_selector": str,  # CSS selector for article links on a section page
            "live_blogs": int,  # 1: watch live blogs too, with the live-blog policy
            "added_at": str,
            "etag": str,
            "last_modified": str,
            "children": str,  # JSON: child sitemap URL -> {lastmod, etag, last_modified}
            "last_polled_at": str,
            "last_success_at": str,
            "last_error": str,
            "consecutive_failures": int,
            "listed": int,  # articles in the latest listing
            "next_poll_at": str,
            "lease_until": str,
        },
        pk="id",
        not_null={"url", "interval_seconds", "added_at", "live_blogs", "consecutive_failures"},
        defaults={"live_blogs": 0, "consecutive_failures": 0},
    )
    db["sources"].create_index(["url"], unique=True)
    db["sources"].create_index(["next_poll_at"])

    # Every article URL a source listed and what became of it: the watch it maps to,
    # or why it was skipped. Also the memory that keeps a removed watch from coming back.
    db["source_items"].create(
        {
            "id": int,
            "source_id": int,
            "url": str,  # canonicalized, as listed
            "watch_id": int,
            "created_watch": int,  # 1 when this listing created the watch
            "first_seen_at": str,
            "skip_reason": str,
        },
        pk="id",
        not_null={"source_id", "url", "first_seen_at", "created_watch"},
        defaults={"created_watch": 0},
        foreign_keys=[("source_id", "sources", "id"), ("watch_id", "watches", "id")],
    )
    db["source_items"].create_index(["source_id", "url"], unique=True)
    db["source_items"].create_index(["watch_id"])

    # Other URLs of a watched article (rel=canonical, a merged duplicate, a redirect's
    # origin): finding an article by any of them finds its one watch.
    db["watch_aliases"].create(
        {"url": str, "watch_id": int, "reason": str, "added_at": str},
        pk="url",
        not_null={"watch_id", "added_at"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
    db["watch_aliases"].create_index(["watch_id"])

    db.create_view(
        "discovered_articles",
        """
        SELECT i.first_seen_at, i.source_id, s.url AS source_url, i.url AS listed_url,
               i.watch_id, w.url AS watch_url, i.created_watch, i.skip_reason
        FROM source_items i
        JOIN sources s ON s.id = i.source_id
        LEFT JOIN watches w ON w.id = i.watch_id
        ORDER BY i.id DESC
        """,
    )
