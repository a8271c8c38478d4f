"""Watches: the articles editwatch follows, their state and their schedule."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from storage import clock
from storage.errors import NotFound

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store

# States in which a watch is still fetched (retired and paused watches are kept, not fetched).
FETCHED_STATES = ("active", "failing", "removed")
# Written out literally so SQLite can match the partial index ``watches_due``.
_FETCHED_SQL = "state IN ('active', 'failing', 'removed')"


@dataclass(frozen=True)
class Watch:
    """One watched article."""

    id: int
    url: str
    label: str | None
    interval_seconds: int | None
    added_at: str
    state: str
    etag: str | None
    last_modified: str | None
    published_at: str | None
    last_checked_at: str | None
    last_changed_at: str | None
    next_check_at: str | None
    lease_until: str | None
    consecutive_failures: int
    source: str | None
    failing_since: str | None = None  # when the current run of failed checks began
    failure_reason: str | None = None  # why the latest check failed (None after a good one)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Watch:
        return cls(**{name: row[name] for name in _NAMES})


_NAMES = tuple(f.name for f in fields(Watch))  # once: fields() is slow for a row read per check
_COLUMNS = ", ".join(_NAMES)


class WatchRepository:
    """Queries and writes on the ``watches`` table."""

    def __init__(self, store: Store):
        self.store = store

    def add(
        self,
        url: str,
        *,
        label: str | None = None,
        interval_seconds: int | None = None,
        source: str | None = None,
    ) -> tuple[Watch, bool]:
        """Watch ``url``; returns the watch and whether it was newly created.

        Adding a URL that is already watched (or is an alias of a watched
        article) updates its label and interval when given, and is otherwise a no-op.
        """
        now = clock.now_text()
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT id FROM watches WHERE id = (SELECT watch_id FROM watch_aliases WHERE url = ?)"
                " UNION ALL SELECT id FROM watches WHERE url = ? LIMIT 1",
                (url, url),
            ).fetchone()
            if row is not None:
                if label is not None or interval_seconds is not None:
                    conn.execute(
                        "UPDATE watches SET label = COALESCE(?, label),"
                        " interval_seconds = COALESCE(?, interval_seconds) WHERE id = ?",
                        (label, interval_seconds, row["id"]),
                    )
                return self.get(row["id"]), False
            cursor = conn.execute(
                "INSERT INTO watches (url, label, interval_seconds, added_at, state,"
                " consecutive_failures, next_check_at, source)"
                " VALUES (?, ?, ?, ?, 'active', 0, ?, ?)",
                (url, label, interval_seconds, now, now, source),
            )
            return self.get(cursor.lastrowid), True

    def find(self, url: str) -> Watch | None:
        """The watch for ``url``, or for the article ``url`` is an alias of, if any."""
        row = self.store.conn.execute(
            "SELECT id FROM watches WHERE id = (SELECT watch_id FROM watch_aliases WHERE url = ?)"
            " UNION ALL SELECT id FROM watches WHERE url = ? LIMIT 1",
            (url, url),
        ).fetchone()
        return self.get(row["id"]) if row is not None else None

    def set_label(self, watch_id: int, label: str | None) -> Watch:
        """Give the watch this label (``None``: none)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE watches SET label = ? WHERE id = ?", (label, watch_id))
        return self.get(watch_id)

    def set_interval(self, watch_id: int, interval_seconds: int | None) -> Watch:
        """Check the watch every ``interval_seconds``, or by the age-based schedule (``None``).

        A fixed interval shorter than the wait already scheduled brings the next check forward,
        so that ``--every 1h`` on a watch not due for a day takes effect within the hour.
        """
        with self.store.transaction() as conn:
            conn.execute("UPDATE watches SET interval_seconds = ? WHERE id = ?", (interval_seconds, watch_id))
            if interval_seconds is not None:
                due = clock.later(interval_seconds)
                conn.execute(
                    "UPDATE watches SET next_check_at = ? WHERE id = ? AND next_check_at > ?",
                    (due, watch_id, due),
                )
        return self.get(watch_id)

    def pause(self, watch_id: int) -> Watch:
        """Stop fetching the watch (state ``paused``, outside the fetched states); its history stays."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE watches SET state = 'paused', lease_until = NULL WHERE id = ?", (watch_id,))
        return self.get(watch_id)

    def resume(self, watch_id: int) -> Watch:
        """Fetch a paused watch again, due now."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE watches SET state = 'active', next_check_at = ? WHERE id = ? AND state = 'paused'",
                (clock.now_text(), watch_id),
            )
        return self.get(watch_id)

    def get(self, watch_id: int) -> Watch:
        """The watch with this ID, or :class:`NotFound`."""
        row = self.store.conn.execute(f"SELECT {_COLUMNS} FROM watches WHERE id = ?", (watch_id,)).fetchone()
        if row is None:
            raise NotFound(f"no watch with ID {watch_id}")
        return Watch.from_row(row)

    def get_many(self, watch_ids: list[int]) -> list[Watch]:
        """The watches with these IDs, in the given order, a few hundred a query; missing ones left out."""
        found: dict[int, Watch] = {}
        for start in range(0, len(watch_ids), 500):
            chunk = watch_ids[start : start + 500]
            rows = self.store.conn.execute(
                f"SELECT {_COLUMNS} FROM watches WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update((watch.id, watch) for watch in map(Watch.from_row, rows))
        return [found[watch_id] for watch_id in watch_ids if watch_id in found]

    def by_url(self, url: str) -> Watch | None:
        """The watch for exactly this URL, if any."""
        row = self.store.conn.execute(f"SELECT {_COLUMNS} FROM watches WHERE url = ?", (url,)).fetchone()
        return Watch.from_row(row) if row else None

    def resolve(self, ref: str | int) -> Watch:
        """A watch named by its ID or its URL, as users type them."""
        text = str(ref).strip()
        if text.isdigit():
            return self.get(int(text))
        watch = self.by_url(text)
        if watch is None:
            raise NotFound(f"no watch for {text}")
        return watch

    def all(self, states: tuple[str, ...] | None = None) -> list[Watch]:
        """Every watch (optionally only those in ``states``), oldest first."""
        if states:
            marks = ",".join("?" * len(states))
            rows = self.store.conn.execute(
                f"SELECT {_COLUMNS} FROM watches WHERE state IN ({marks}) ORDER BY id", states
            )
        else:
            rows = self.store.conn.execute(f"SELECT {_COLUMNS} FROM watches ORDER BY id")
        return [Watch.from_row(r) for r in rows]

    def summaries(self) -> list[dict]:
        """Every watch with its version count and last check, for listings."""
        rows = self.store.conn.execute(
            "SELECT w.id, w.url, w.label, w.state, w.interval_seconds, w.last_checked_at, w.failure_reason,"
            " (SELECT COUNT(*) FROM versions v WHERE v.watch_id = w.id) AS versions,"
            " (SELECT headline FROM versions v WHERE v.watch_id = w.id"
            "  ORDER BY number DESC LIMIT 1) AS headline"
            " FROM watches w ORDER BY w.id"
        )
        return [dict(r) for r in rows]

    def lease_due(self, *, limit: int, lease_seconds: float, now: str | None = None) -> list[Watch]:
        """Claim up to ``limit`` due watches so no other worker fetches them meanwhile.

        A lease that outlives a crashed process simply expires.
        """
        now = now or clock.now_text()
        until = clock.later(lease_seconds)
        with self.store.transaction() as conn:
            # One statement: choose through the partial index, claim, and return the rows.
            rows = conn.execute(
                f"UPDATE watches SET lease_until = ? WHERE id IN (SELECT id FROM watches"
                f" WHERE {_FETCHED_SQL} AND next_check_at <= ?"
                " AND (lease_until IS NULL OR lease_until < ?)"
                f" ORDER BY next_check_at LIMIT ?) RETURNING {_COLUMNS}",
                (until, now, now, limit),
            ).fetchall()
        watches = [Watch.from_row(r) for r in rows]
        watches.sort(key=lambda w: w.next_check_at or "")
        return watches

    def lease(self, watch_ids: list[int], *, lease_seconds: float) -> list[int]:
        """Claim these watches for an explicit check; returns those not already in flight."""
        if not watch_ids:
            return []
        now = clock.now_text()
        marks = ",".join("?" * len(watch_ids))
        with self.store.transaction() as conn:
            free = [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM watches WHERE id IN ({marks})"
                    " AND (lease_until IS NULL OR lease_until < ?)",
                    (*watch_ids, now),
                )
            ]
            if free:
                conn.execute(
                    f"UPDATE watches SET lease_until = ? WHERE id IN ({','.join('?' * len(free))})",
                    (clock.later(lease_seconds), *free),
                )
        return [i for i in watch_ids if i in free]

    def release(self, watch_ids: list[int]) -> None:
        """Give up the leases on these watches (their checks were abandoned)."""
        if not watch_ids:
            return
        with self.store.transaction() as conn:
            for start in range(0, len(watch_ids), 500):
                chunk = watch_ids[start : start + 500]
                conn.execute(
                    f"UPDATE watches SET lease_until = NULL WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )

    def postpone(self, watch_id: int, until: str) -> None:
        """Check this watch no earlier than ``until`` and release its lease (no check was made)."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE watches SET lease_until = NULL,"
                " next_check_at = CASE WHEN next_check_at IS NULL OR next_check_at < ? THEN ? ELSE next_check_at END"
                " WHERE id = ?",
                (until, until, watch_id),
            )

    def overdue(self, now: str | None = None, *, after_id: int = 0, limit: int = -1) -> list[Watch]:
        """Fetched watches whose check time has passed and that nobody is checking.

        ``after_id`` and ``limit`` read them in ID order, a batch at a time.
        """
        now = now or clock.now_text()
        rows = self.store.conn.execute(
            f"SELECT {_COLUMNS} FROM watches WHERE {_FETCHED_SQL} AND next_check_at <= ?"
            " AND (lease_until IS NULL OR lease_until < ?) AND id > ? ORDER BY id LIMIT ?",
            (now, now, after_id, limit),
        )
        return [Watch.from_row(r) for r in rows]

    def reschedule(self, times: dict[int, str]) -> None:
        """Set new check times (watch ID → stored timestamp) in one transaction."""
        if not times:
            return
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE watches SET next_check_at = ? WHERE id = ?", [(at, i) for i, at in times.items()]
            )

    def release_all_leases(self) -> None:
        """Forget every lease (the daemon does this when it starts: nothing is in flight)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE watches SET lease_until = NULL WHERE lease_until IS NOT NULL")

    def next_due_at(self) -> str | None:
        """When the earliest fetched watch falls due."""
        row = self.store.conn.execute(
            f"SELECT MIN(next_check_at) FROM watches WHERE {_FETCHED_SQL}"
        ).fetchone()
        return row[0]

    def count_due(self, now: str | None = None) -> int:
        """How many watches are due now."""
        row = self.store.conn.execute(
            f"SELECT COUNT(*) FROM watches WHERE {_FETCHED_SQL} AND next_check_at <= ?",
            (now or clock.now_text(),),
        ).fetchone()
        return row[0]

    def failing(self, limit: int = 20) -> list[dict]:
        """Failing watches with why and since when, longest failing first."""
        rows = self.store.conn.execute(
            "SELECT id, url, failure_reason AS reason, failing_since, consecutive_failures FROM watches"
            " WHERE state = 'failing' ORDER BY failing_since, id LIMIT ?",
            (limit,),
        )
        return [dict(r) for r in rows]

    def count_by_state(self) -> dict[str, int]:
        """How many watches are in each state."""
        rows = self.store.conn.execute("SELECT state, COUNT(*) FROM watches GROUP BY state")
        return {r[0]: r[1] for r in rows}

    def remove(self, watch_id: int) -> dict[str, int]:
        """Stop watching and delete the watch with its whole history; returns what was deleted."""
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM watches WHERE id = ?", (watch_id,)).fetchone() is None:
                raise NotFound(f"no watch with ID {watch_id}")
            counts = {}
            for table in self.store.history_tables():
                counts[table] = conn.execute(f"DELETE FROM {table} WHERE watch_id = ?", (watch_id,)).rowcount
            conn.execute("DELETE FROM watch_aliases WHERE watch_id = ?", (watch_id,))
            # Sources keep the listing, so that they do not bring the article back.
            conn.execute(
                "UPDATE source_items SET watch_id = NULL, skip_reason = 'watch removed' WHERE watch_id = ?",
                (watch_id,),
            )
            conn.execute("DELETE FROM watches WHERE id = ?", (watch_id,))
            # Raw pages no version refers to any more, directly or as the base of another's delta.
            conn.execute(
                "WITH RECURSIVE needed(hash) AS (SELECT page_hash FROM versions WHERE page_hash IS NOT NULL"
                " UNION SELECT p.base FROM pages p JOIN needed n ON p.hash = n.hash WHERE p.base IS NOT NULL)"
                " DELETE FROM pages WHERE hash NOT IN needed"
            )
        return counts
