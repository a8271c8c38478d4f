"""Checks: one row per fetch, and the single transaction that records a fetch's outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage.changes import NewChange
from storage.regions import LearnedRegion
from storage.rejected import RejectedPage
from storage.versions import NewVersion, Version

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store

OUTCOMES = ("new_version", "unchanged", "not_modified", "error", "extraction_failed", "removed")

# Watch columns a check may update besides last_checked_at and the lease.
_UPDATABLE = {
    "url",
    "state",
    "etag",
    "last_modified",
    "published_at",
    "last_changed_at",
    "next_check_at",
    "consecutive_failures",
    "failing_since",
    "failure_reason",
}

# Changes that describe the new version a check stored (the others are lifecycle events).
VERSION_EVENTS = ("edit", "ab_test")

# Called inside the transaction that stores a change (by ``ChangeRepository.insert``, for
# every change however recorded), so that work derived from it (such as queued alerts)
# commits or rolls back with it.
ChangeHook = Callable[["sqlite3.Connection", int, int, NewChange], None]


@dataclass
class CheckResult:
    """Everything one fetch of a watch produced, recorded atomically by :meth:`CheckRepository.record`."""

    watch_id: int
    checked_at: str
    outcome: str
    http_status: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    new_version: NewVersion | None = None
    changes: list[NewChange] = field(default_factory=list)
    watch_update: dict = field(default_factory=dict)
    region: LearnedRegion | None = None  # the article region the check learnt, kept with it
    rejected: RejectedPage | None = None  # the page the check did not trust, kept to show a person
    # False: a snapshot the crawler stored alone, waiting for the monitor (see CheckRepository.process).
    processed: bool = True


@dataclass(frozen=True)
class RecordedCheck:
    """What :meth:`CheckRepository.record` wrote."""

    check_id: int
    version: Version | None
    change_ids: list[int]


def _assignments(update: dict) -> str:
    """The SET clause of a check's update of its watch.

    A watch paused while its check ran stays paused: the state the check worked out
    (active, failing, ...) is about fetching, which the pause has stopped.
    """
    return ", ".join(
        "state = CASE state WHEN 'paused' THEN 'paused' ELSE ? END" if column == "state" else f"{column} = ?"
        for column in update
    )


class CheckRepository:
    """Queries and writes on ``checks``."""

    def __init__(self, store: Store):
        self.store = store
        self.change_hooks: list[ChangeHook] = []

    def record(self, result: CheckResult) -> RecordedCheck:
        """Store a check, its new version and changes, and the watch's new state, in one transaction."""
        if result.outcome not in OUTCOMES:
            raise ValueError(f"unknown check outcome {result.outcome!r}")
        unknown = set(result.watch_update) - _UPDATABLE
        if unknown:
            raise ValueError(f"a check cannot update watch columns {sorted(unknown)}")
        with self.store.transaction() as conn:
            version = None
            if result.new_version is not None:
                version = self.store.versions.insert(conn, result.watch_id, result.new_version)
            change_ids = []
            for change in result.changes:
                if version is not None and change.to_version is None and change.event in VERSION_EVENTS:
                    change.to_version = version.number
                change_ids.append(self.store.changes.insert(conn, result.watch_id, change, result.checked_at))
            cursor = conn.execute(
                "INSERT INTO checks (watch_id, checked_at, http_status, duration_ms, outcome,"
                " error, version_id, processed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.watch_id,
                    result.checked_at,
                    result.http_status,
                    result.duration_ms,
                    result.outcome,
                    result.error,
                    version.id if version else None,
                    int(result.processed),
                ),
            )
            if result.region is not None:
                self.store.regions.save(conn, result.watch_id, result.region)
            if result.rejected is not None:  # before the watch's last_checked_at moves on
                self.store.rejected_pages.save(conn, result.watch_id, result.rejected)
            updates = {**result.watch_update, "last_checked_at": result.checked_at, "lease_until": None}
            conn.execute(
                f"UPDATE watches SET {_assignments(updates)} WHERE id = ?",
                (*updates.values(), result.watch_id),
            )
        return RecordedCheck(check_id=cursor.lastrowid, version=version, change_ids=change_ids)

    def pending(self, limit: int = 1000) -> list[dict]:
        """Checks the crawler stored that the monitor has not processed yet, oldest first."""
        rows = self.store.conn.execute(
            "SELECT * FROM checks WHERE processed = 0 ORDER BY id LIMIT ?", (limit,)
        )
        return [dict(r) for r in rows]

    def process(self, check_id: int, watch_id: int, changes: list[NewChange], watch_update: dict) -> bool:
        """Record what the monitor drew from a stored check, and mark it processed, in one transaction.

        Returns False (and writes nothing) when the check was already processed, so that
        two monitors catching up at once record each change, and queue each alert, once.
        """
        unknown = set(watch_update) - _UPDATABLE
        if unknown:
            raise ValueError(f"a check cannot update watch columns {sorted(unknown)}")
        with self.store.transaction() as conn:
            row = conn.execute(
                "UPDATE checks SET processed = 1 WHERE id = ? AND processed = 0 RETURNING checked_at",
                (check_id,),
            ).fetchone()
            if row is None:
                return False
            for change in changes:
                self.store.changes.insert(conn, watch_id, change, row[0])
            if watch_update:
                conn.execute(
                    f"UPDATE watches SET {_assignments(watch_update)} WHERE id = ?",
                    (*watch_update.values(), watch_id),
                )
        return True

    def recent(self, watch_id: int, limit: int = 20) -> list[dict]:
        """The newest checks of a watch, newest first."""
        rows = self.store.conn.execute(
            "SELECT * FROM checks WHERE watch_id = ? ORDER BY id DESC LIMIT ?", (watch_id, limit)
        )
        return [dict(r) for r in rows]

    def recent_errors(self, limit: int = 10) -> list[dict]:
        """The newest failed checks across all watches, newest first."""
        rows = self.store.conn.execute(
            "SELECT c.checked_at, c.watch_id, w.url, c.http_status, c.error FROM checks c"
            " JOIN watches w ON w.id = c.watch_id"
            " WHERE c.outcome IN ('error', 'extraction_failed') ORDER BY c.id DESC LIMIT ?",
            (limit,),
        )
        return [dict(r) for r in rows]

    def outcome_counts(self, since: str) -> dict[str, int]:
        """How many checks had each outcome since ``since`` (a stored timestamp)."""
        rows = self.store.conn.execute(
            "SELECT outcome, COUNT(*) FROM checks WHERE checked_at >= ? GROUP BY outcome", (since,)
        )
        return {r[0]: r[1] for r in rows}

    def last_success_at(self) -> str | None:
        """When any check last succeeded."""
        row = self.store.conn.execute(
            "SELECT MAX(checked_at) FROM checks WHERE outcome IN ('new_version','unchanged','not_modified')"
        ).fetchone()
        return row[0]
