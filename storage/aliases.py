"""Aliases: the other URLs of a watched article, so that one article is one watch.

A watch is fetched at its own URL; its aliases are URLs known to name the same
article (the page's ``rel=canonical``, the URL of a duplicate merged into it).
Looking an article up by any of them finds the one watch.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from storage import clock
from storage.changes import NewChange
from storage.errors import NotFound
from storage.watches import Watch

if TYPE_CHECKING:
    from storage.database import Store

_WATCH_COLUMNS = ", ".join(f"w.{f.name}" for f in fields(Watch))


class WatchAliasRepository:
    """Queries and writes on ``watch_aliases``, and merging duplicate watches."""

    def __init__(self, store: Store):
        self.store = store

    def find(self, url: str) -> Watch | None:
        """The watch of the article at ``url``: an alias first, then a watch's own URL."""
        row = self.store.conn.execute(
            f"SELECT {_WATCH_COLUMNS} FROM watch_aliases a JOIN watches w ON w.id = a.watch_id WHERE a.url = ?",
            (url,),
        ).fetchone()
        if row is None:
            row = self.store.conn.execute(
                f"SELECT {_WATCH_COLUMNS} FROM watches w WHERE w.url = ?", (url,)
            ).fetchone()
        return Watch.from_row(row) if row else None

    def add(self, url: str, watch_id: int, reason: str) -> bool:
        """Record ``url`` as another URL of the watch's article; False if it already names one."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO watch_aliases (url, watch_id, reason, added_at) VALUES (?, ?, ?, ?)",
                (url, watch_id, reason, clock.now_text()),
            )
            return cursor.rowcount == 1

    def for_watch(self, watch_id: int) -> list[dict]:
        """The aliases of a watch, oldest first."""
        rows = self.store.conn.execute(
            "SELECT url, reason, added_at FROM watch_aliases WHERE watch_id = ? ORDER BY added_at, url",
            (watch_id,),
        )
        return [dict(r) for r in rows]

    def merge(self, duplicate_id: int, into_id: int, reason: str) -> None:
        """Fold a watch that has no versions yet into the watch of the same article.

        Its checks, its listings by sources and its aliases move to ``into_id``; its
        URL becomes an alias; then the duplicate is deleted. Nothing is lost: a watch
        with versions cannot be merged (see :meth:`retire_duplicate`).
        """
        with self.store.transaction() as conn:
            duplicate = conn.execute("SELECT url FROM watches WHERE id = ?", (duplicate_id,)).fetchone()
            if duplicate is None:
                raise NotFound(f"no watch with ID {duplicate_id}")
            if conn.execute("SELECT 1 FROM watches WHERE id = ?", (into_id,)).fetchone() is None:
                raise NotFound(f"no watch with ID {into_id}")
            if conn.execute("SELECT 1 FROM versions WHERE watch_id = ?", (duplicate_id,)).fetchone():
                raise ValueError(f"watch {duplicate_id} has versions; retire it instead of merging")
            for table in ("checks", "changes"):
                conn.execute(f"UPDATE {table} SET watch_id = ? WHERE watch_id = ?", (into_id, duplicate_id))
            conn.execute(
                "UPDATE source_items SET watch_id = ?, created_watch = 0 WHERE watch_id = ?",
                (into_id, duplicate_id),
            )
            conn.execute("UPDATE watch_aliases SET watch_id = ? WHERE watch_id = ?", (into_id, duplicate_id))
            conn.execute("DELETE FROM watches WHERE id = ?", (duplicate_id,))
            conn.execute(
                "INSERT OR REPLACE INTO watch_aliases (url, watch_id, reason, added_at) VALUES (?, ?, ?, ?)",
                (duplicate["url"], into_id, reason, clock.now_text()),
            )

    def retire_duplicate(self, duplicate_id: int, into_id: int, summary: str) -> None:
        """Stop fetching a watch (with history) whose article another watch follows; keep its history.

        Its URL becomes an alias of ``into_id`` and a ``moved`` event says where
        the article is followed now.
        """
        now = clock.now_text()
        with self.store.transaction() as conn:
            row = conn.execute("SELECT url FROM watches WHERE id = ?", (duplicate_id,)).fetchone()
            if row is None:
                raise NotFound(f"no watch with ID {duplicate_id}")
            latest = conn.execute(
                "SELECT MAX(number) FROM versions WHERE watch_id = ?", (duplicate_id,)
            ).fetchone()[0]
            conn.execute(
                "UPDATE watches SET state = 'retired', next_check_at = NULL, lease_until = NULL,"
                " last_checked_at = ? WHERE id = ?",
                (now, duplicate_id),
            )
            conn.execute("UPDATE watch_aliases SET watch_id = ? WHERE watch_id = ?", (into_id, duplicate_id))
            conn.execute(
                "INSERT OR REPLACE INTO watch_aliases (url, watch_id, reason, added_at) VALUES (?, ?, ?, ?)",
                (row["url"], into_id, "duplicate", now),
            )
            self.store.changes.insert(
                conn,
                duplicate_id,
                NewChange(event="moved", summary=summary, from_version=latest, fields=["url"]),
                now,
            )

    def relocate(self, watch_id: int, url: str, reason: str) -> None:
        """Fetch a watch at ``url`` from now on, keeping its old URL as an alias (a watch without versions
        whose first fetch was redirected: its listed URL was only a pointer)."""
        now = clock.now_text()
        with self.store.transaction() as conn:
            row = conn.execute("SELECT url FROM watches WHERE id = ?", (watch_id,)).fetchone()
            if row is None:
                raise NotFound(f"no watch with ID {watch_id}")
            conn.execute("UPDATE watches SET url = ? WHERE id = ?", (url, watch_id))
            conn.execute("DELETE FROM watch_aliases WHERE url = ?", (url,))
            conn.execute(
                "INSERT OR REPLACE INTO watch_aliases (url, watch_id, reason, added_at) VALUES (?, ?, ?, ?)",
                (row["url"], watch_id, reason, now),
            )
