"""Schema version 1. Watches, their versions, checks and changes: the first schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v1_foundation(db: sqlite_utils.Database) -> None:
    db["watches"].create(
        {
            "id": int,
            "url": str,  # what is fetched; follows the article when it moves
            "label": str,
            "interval_seconds": int,  # NULL: the age-based schedule decides
            "added_at": str,
            "state": str,  # active | failing | removed | retired
            "etag": str,
            "last_modified": str,
            "published_at": str,  # from the article; drives the schedule
            "last_checked_at": str,
            "last_changed_at": str,
            "next_check_at": str,
            "lease_until": str,  # set while a fetch is in flight
            "consecutive_failures": int,
            "source": str,  # where the watch came from (a feed, a sitemap, the CLI)
        },
        pk="id",
        not_null={"url", "added_at", "state", "consecutive_failures"},
        defaults={"state": "active", "consecutive_failures": 0},
    )
    db["watches"].create_index(["url"], unique=True)
    # Partial index: the daemon's "what is due" query only ever looks at fetched states.
    db.execute(
        "CREATE INDEX watches_due ON watches(next_check_at) WHERE state IN ('active', 'failing', 'removed')"
    )

    db["pages"].create(
        {"hash": str, "codec": str, "size": int, "data": bytes},
        pk="hash",
        not_null={"codec", "size", "data"},
    )

    db["versions"].create(
        {
            "id": int,
            "watch_id": int,
            "number": int,
            "fetched_at": str,
            "url": str,  # the URL the page was served from
            "content_hash": str,  # hash of the comparison form
            "headline": str,
            "byline": str,  # JSON list of names
            "published": str,
            "modified": str,
            "body": str,  # JSON list of paragraphs
            "extractor": str,
            "page_hash": str,
        },
        pk="id",
        not_null={"watch_id", "number", "fetched_at", "content_hash", "body"},
        foreign_keys=[("watch_id", "watches", "id"), ("page_hash", "pages", "hash")],
    )
    db["versions"].create_index(["watch_id", "number"], unique=True)

    db["checks"].create(
        {
            "id": int,
            "watch_id": int,
            "checked_at": str,
            "http_status": int,
            "duration_ms": int,
            "outcome": str,  # new_version | unchanged | not_modified | error | ...
            "error": str,
            "version_id": int,
        },
        pk="id",
        not_null={"watch_id", "checked_at", "outcome"},
        foreign_keys=[("watch_id", "watches", "id"), ("version_id", "versions", "id")],
    )
    db["checks"].create_index(["watch_id", "id"], index_name="checks_by_watch")

    db["changes"].create(
        {
            "id": int,
            "watch_id": int,
            "event": str,  # edit | removed | restored | moved | ab_test
            "from_version": int,
            "to_version": int,
            "detected_at": str,
            "summary": str,
            "fields": str,  # JSON list of changed field names
            "diff": str,  # JSON list of changes
            "words_added": int,
            "words_removed": int,
        },
        pk="id",
        not_null={"watch_id", "event", "detected_at", "summary"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
    db["changes"].create_index(["watch_id", "id"], index_name="changes_by_watch")
    db["changes"].create_index(["detected_at"])

    db.create_view(
        "latest_versions",
        """
        SELECT w.id AS watch_id, w.url, w.label, w.state, v.number AS version,
               v.fetched_at, v.headline, v.byline, v.published, v.modified
        FROM watches w
        JOIN versions v ON v.watch_id = w.id
        WHERE v.number = (SELECT MAX(number) FROM versions WHERE watch_id = w.id)
        """,
    )
    db.create_view(
        "change_log",
        """
        SELECT c.id, c.detected_at, c.watch_id, w.url, c.event, c.from_version,
               c.to_version, c.summary, c.words_added, c.words_removed
        FROM changes c JOIN watches w ON w.id = c.watch_id
        ORDER BY c.id DESC
        """,
    )
