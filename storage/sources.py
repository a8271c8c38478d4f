"""Sources: feeds, sitemaps and section pages that discover articles, and what each one produced."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import TYPE_CHECKING

from storage import clock
from storage.errors import NotFound
from storage.source_records import POLL_OUTCOMES, ListedArticle, RecordedPoll, Source, SourcePoll
from storage.watches import Watch

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store

_COLUMNS = ", ".join(f.name for f in fields(Source))
_WATCH_COLUMNS = ", ".join(f"w.{f.name}" for f in fields(Watch))
_SETTINGS = (
    "label",
    "interval_seconds",
    "include_pattern",
    "exclude_pattern",
    "links_selector",
    "live_blogs",
)


class SourceRepository:
    """Queries and writes on ``sources`` and ``source_items``."""

    def __init__(self, store: Store):
        self.store = store

    def add(
        self,
        url: str,
        *,
        interval_seconds: int,
        label: str | None = None,
        include_pattern: str | None = None,
        exclude_pattern: str | None = None,
        links_selector: str | None = None,
        live_blogs: bool = False,
        update: dict | None = None,
    ) -> tuple[Source, bool]:
        """Add a source; returns it and whether it is new.

        Adding a URL that is already a source changes the settings named in
        ``update`` (a dict of column → value) and leaves the others as they were.
        """
        now = clock.now_text()
        with self.store.transaction() as conn:
            row = conn.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()
            if row is not None:
                changes = {k: v for k, v in (update or {}).items() if k in _SETTINGS}
                if changes:
                    assignments = ", ".join(f"{column} = ?" for column in changes)
                    conn.execute(
                        f"UPDATE sources SET {assignments} WHERE id = ?", (*changes.values(), row["id"])
                    )
                return self.get(row["id"]), False
            cursor = conn.execute(
                "INSERT INTO sources (url, label, interval_seconds, include_pattern, exclude_pattern,"
                " links_selector, live_blogs, added_at, consecutive_failures, next_poll_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    url,
                    label,
                    interval_seconds,
                    include_pattern,
                    exclude_pattern,
                    links_selector,
                    int(live_blogs),
                    now,
                    now,
                ),
            )
            return self.get(cursor.lastrowid), True

    def get(self, source_id: int) -> Source:
        """The source with this ID, or :class:`NotFound`."""
        row = self.store.conn.execute(f"SELECT {_COLUMNS} FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFound(f"no source with ID {source_id}")
        return Source.from_row(row)

    def by_url(self, url: str) -> Source | None:
        """The source for exactly this URL, if any."""
        row = self.store.conn.execute(f"SELECT {_COLUMNS} FROM sources WHERE url = ?", (url,)).fetchone()
        return Source.from_row(row) if row else None

    def resolve(self, ref: str | int, canonical: str | None = None) -> Source:
        """A source named by its ID or its URL (``canonical``: the URL as stored, if it differs)."""
        text = str(ref).strip()
        if text.isdigit():
            return self.get(int(text))
        source = self.by_url(text) or (self.by_url(canonical) if canonical else None)
        if source is None:
            raise NotFound(f"no source for {text}")
        return source

    def all(self) -> list[Source]:
        """Every source, oldest first."""
        rows = self.store.conn.execute(f"SELECT {_COLUMNS} FROM sources ORDER BY id")
        return [Source.from_row(r) for r in rows]

    def summaries(self) -> list[dict]:
        """Every source with how many watches it created and items it skipped, for listings."""
        rows = self.store.conn.execute(
            f"SELECT {_COLUMNS},"
            " (SELECT COUNT(*) FROM source_items i WHERE i.source_id = s.id AND i.created_watch = 1"
            "  AND i.watch_id IS NOT NULL) AS created,"
            " (SELECT COUNT(*) FROM source_items i WHERE i.source_id = s.id AND i.watch_id IS NOT NULL)"
            "  AS watches,"
            " (SELECT COUNT(*) FROM source_items i WHERE i.source_id = s.id AND i.skip_reason IS NOT NULL)"
            "  AS skipped"
            " FROM sources s ORDER BY s.id"
        )
        return [
            {
                "source": Source.from_row(r),
                "created": r["created"],
                "watches": r["watches"],
                "skipped": r["skipped"],
            }
            for r in rows
        ]

    def overview(self) -> dict:
        """How many sources there are, how many failed their last poll, and when the next is due."""
        row = self.store.conn.execute(
            "SELECT COUNT(*), SUM(consecutive_failures > 0), MIN(next_poll_at) FROM sources"
        ).fetchone()
        return {"total": row[0], "failing": row[1] or 0, "next_poll_at": row[2]}

    def items(self, source_id: int, limit: int | None = None) -> list[dict]:
        """What a source listed, newest first: URL, watch (if any), skip reason."""
        rows = self.store.conn.execute(
            "SELECT i.url, i.first_seen_at, i.watch_id, i.created_watch, i.skip_reason, w.url AS watch_url,"
            " w.state AS watch_state FROM source_items i LEFT JOIN watches w ON w.id = i.watch_id"
            " WHERE i.source_id = ? ORDER BY i.id DESC LIMIT ?",
            (source_id, -1 if limit is None else limit),
        )
        return [dict(r) for r in rows]

    def known(self, source_id: int, urls: list[str]) -> dict[str, dict]:
        """Which of ``urls`` this source listed before, with their watch and skip reason."""
        known: dict[str, dict] = {}
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            rows = self.store.conn.execute(
                "SELECT url, watch_id, skip_reason FROM source_items"
                f" WHERE source_id = ? AND url IN ({','.join('?' * len(chunk))})",
                (source_id, *chunk),
            )
            known.update({r["url"]: dict(r) for r in rows})
        return known

    def producing(self, watch_id: int) -> list[Source]:
        """The sources that listed this watch's article."""
        rows = self.store.conn.execute(
            f"SELECT {', '.join('s.' + f.name for f in fields(Source))} FROM sources s"
            " JOIN source_items i ON i.source_id = s.id WHERE i.watch_id = ? ORDER BY s.id",
            (watch_id,),
        )
        return [Source.from_row(r) for r in rows]

    def remove(self, source_id: int) -> int:
        """Delete a source and its listing memory (its watches are kept); returns the watches it created."""
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM sources WHERE id = ?", (source_id,)).fetchone() is None:
                raise NotFound(f"no source with ID {source_id}")
            created = conn.execute(
                "SELECT COUNT(*) FROM source_items WHERE source_id = ? AND created_watch = 1"
                " AND watch_id IS NOT NULL",
                (source_id,),
            ).fetchone()[0]
            conn.execute("DELETE FROM source_items WHERE source_id = ?", (source_id,))
            conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return created

    # -- scheduling -------------------------------------------------------------

    def lease_due(self, *, limit: int, lease_seconds: float, now: str | None = None) -> list[Source]:
        """Claim up to ``limit`` sources due for a poll, so no other worker polls them meanwhile."""
        now = now or clock.now_text()
        with self.store.transaction() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM sources WHERE next_poll_at <= ?"
                " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_poll_at LIMIT ?",
                (now, now, limit),
            ).fetchall()
            if rows:
                ids = [r["id"] for r in rows]
                conn.execute(
                    f"UPDATE sources SET lease_until = ? WHERE id IN ({','.join('?' * len(ids))})",
                    (clock.later(lease_seconds), *ids),
                )
        return [Source.from_row(r) for r in rows]

    def lease(self, source_ids: list[int], *, lease_seconds: float) -> list[int]:
        """Claim these sources for an explicit poll; returns those not already being polled."""
        if not source_ids:
            return []
        now = clock.now_text()
        marks = ",".join("?" * len(source_ids))
        with self.store.transaction() as conn:
            free = [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM sources WHERE id IN ({marks}) AND (lease_until IS NULL OR lease_until < ?)",
                    (*source_ids, now),
                )
            ]
            if free:
                conn.execute(
                    f"UPDATE sources SET lease_until = ? WHERE id IN ({','.join('?' * len(free))})",
                    (clock.later(lease_seconds), *free),
                )
        return [i for i in source_ids if i in free]

    def release_all_leases(self) -> None:
        """Forget every lease (the daemon does this when it starts: nothing is in flight)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE sources SET lease_until = NULL WHERE lease_until IS NOT NULL")

    def next_due_at(self) -> str | None:
        """When the earliest source falls due."""
        return self.store.conn.execute("SELECT MIN(next_poll_at) FROM sources").fetchone()[0]

    # -- recording a poll -------------------------------------------------------

    def record_poll(self, poll: SourcePoll, *, label: str | None, source_url: str) -> RecordedPoll:
        """Store a poll's outcome and turn its listed articles into watches, in one transaction.

        An article already watched (by URL or by one of its aliases) is linked to
        its watch, never watched twice. New watches are due at once.
        """
        if poll.outcome not in POLL_OUTCOMES:
            raise ValueError(f"unknown poll outcome {poll.outcome!r}")
        recorded = RecordedPoll()
        with self.store.transaction() as conn:
            row = conn.execute("SELECT children FROM sources WHERE id = ?", (poll.source_id,)).fetchone()
            if row is None:  # removed while it was being polled
                return recorded
            for article in poll.articles:
                self._record_article(conn, poll, article, label, source_url, recorded)
            self._update_source(conn, poll, json.loads(row["children"] or "{}"))
        return recorded

    def _record_article(
        self,
        conn: sqlite3.Connection,
        poll: SourcePoll,
        article: ListedArticle,
        label: str | None,
        source_url: str,
        recorded: RecordedPoll,
    ) -> None:
        watch_id = None
        created = 0
        if article.skip_reason is None:
            existing = conn.execute(
                "SELECT id FROM watches WHERE url = ?"
                " UNION ALL SELECT watch_id FROM watch_aliases WHERE url = ? LIMIT 1",
                (article.url, article.url),
            ).fetchone()
            if existing is not None:
                watch_id = existing[0]
                recorded.matched.append((article.url, watch_id))
            else:
                cursor = conn.execute(
                    "INSERT INTO watches (url, label, interval_seconds, added_at, state, consecutive_failures,"
                    " next_check_at, published_at, source) VALUES (?, ?, ?, ?, 'active', 0, ?, ?, ?)",
                    (
                        article.url,
                        label,
                        article.interval_seconds,
                        poll.polled_at,
                        poll.polled_at,
                        article.published_at,
                        source_url,
                    ),
                )
                watch_id, created = cursor.lastrowid, 1
                watch_row = conn.execute(
                    f"SELECT {_WATCH_COLUMNS} FROM watches w WHERE w.id = ?", (watch_id,)
                ).fetchone()
                recorded.created.append(Watch.from_row(watch_row))
        else:
            recorded.skipped.append((article.url, article.skip_reason))
        conn.execute(
            "INSERT INTO source_items (source_id, url, watch_id, created_watch, first_seen_at, skip_reason)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, url) DO UPDATE SET"
            " watch_id = excluded.watch_id, created_watch = excluded.created_watch,"
            " skip_reason = excluded.skip_reason",
            (poll.source_id, article.url, watch_id, created, poll.polled_at, article.skip_reason),
        )

    def _update_source(self, conn: sqlite3.Connection, poll: SourcePoll, children: dict) -> None:
        update: dict = {"last_polled_at": poll.polled_at}
        if poll.child_url is not None:
            # A child sitemap of an index: the index's own poll set the schedule and status.
            if poll.outcome == "error":
                update["last_error"] = f"{poll.child_url}: {poll.error}"
            elif poll.outcome == "listed":
                children[poll.child_url] = {
                    "lastmod": poll.child_lastmod,
                    "etag": poll.etag,
                    "last_modified": poll.last_modified,
                }
                update["children"] = json.dumps(children, sort_keys=True)
                update["listed"] = (
                    conn.execute("SELECT listed FROM sources WHERE id = ?", (poll.source_id,)).fetchone()[0]
                    or 0
                ) + (poll.listed or 0)
        else:
            update["lease_until"] = None
            update["next_poll_at"] = poll.next_poll_at
            update["consecutive_failures"] = poll.consecutive_failures
            if poll.outcome == "error":
                update["last_error"] = poll.error
            else:
                update["last_success_at"] = poll.polled_at
                update["last_error"] = None
            if poll.outcome == "listed":
                update.update(kind=poll.kind, title=poll.title, listed=poll.listed)
                update["etag"] = poll.etag
                update["last_modified"] = poll.last_modified
                if poll.child_urls is not None:
                    # What we know of each child still listed; children no longer listed are forgotten.
                    kept = {url: children.get(url, {}) for url in poll.child_urls}
                    update["children"] = json.dumps(kept, sort_keys=True)
        assignments = ", ".join(f"{column} = ?" for column in update)
        conn.execute(f"UPDATE sources SET {assignments} WHERE id = ?", (*update.values(), poll.source_id))

    def unwatch(self, watch_id: int, reason: str) -> None:
        """Delete a discovered watch that should not be followed, noting ``reason`` on its listings."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE source_items SET watch_id = NULL, created_watch = 0, skip_reason = ? WHERE watch_id = ?",
                (reason, watch_id),
            )
            self.store.watches.remove(watch_id)
