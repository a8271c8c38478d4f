"""Changes: what happened between versions (edits) and to the article (removed, moved...)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.errors import NotFound

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store


@dataclass(frozen=True)
class Change:
    """One recorded change of a watch."""

    id: int
    watch_id: int
    event: str
    from_version: int | None
    to_version: int | None
    detected_at: str
    summary: str
    fields: list[str]
    diff: list[dict]
    words_added: int
    words_removed: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Change:
        return cls(
            id=row["id"],
            watch_id=row["watch_id"],
            event=row["event"],
            from_version=row["from_version"],
            to_version=row["to_version"],
            detected_at=row["detected_at"],
            summary=row["summary"],
            fields=json.loads(row["fields"] or "[]"),
            diff=json.loads(row["diff"] or "[]"),
            words_added=row["words_added"] or 0,
            words_removed=row["words_removed"] or 0,
        )


@dataclass
class NewChange:
    """A change about to be stored; ``to_version`` may be filled in by the transaction."""

    event: str
    summary: str
    from_version: int | None = None
    to_version: int | None = None
    fields: list[str] | None = None
    diff: list[dict] | None = None
    words_added: int = 0
    words_removed: int = 0
    # Not stored: False keeps a change out of alerts (a known A/B test showing a variant again).
    notify: bool = True


class ChangeRepository:
    """Queries and writes on ``changes``."""

    def __init__(self, store: Store):
        self.store = store

    def for_watch(self, watch_id: int) -> list[Change]:
        """Every change of a watch, oldest first."""
        rows = self.store.conn.execute("SELECT * FROM changes WHERE watch_id = ? ORDER BY id", (watch_id,))
        return [Change.from_row(r) for r in rows]

    def get(self, change_id: int) -> Change:
        """The change with this ID, or :class:`NotFound`."""
        row = self.store.conn.execute("SELECT * FROM changes WHERE id = ?", (change_id,)).fetchone()
        if row is None:
            raise NotFound(f"no change with ID {change_id}")
        return Change.from_row(row)

    def recent(self, limit: int = 50) -> list[Change]:
        """The newest changes across all watches, newest first."""
        rows = self.store.conn.execute("SELECT * FROM changes ORDER BY id DESC LIMIT ?", (limit,))
        return [Change.from_row(r) for r in rows]

    def insert(self, conn: sqlite3.Connection, watch_id: int, change: NewChange, detected_at: str) -> int:
        """Store a change and run the store's change hooks; call inside a transaction. Returns its ID."""
        cursor = conn.execute(
            "INSERT INTO changes (watch_id, event, from_version, to_version, detected_at,"
            " summary, fields, diff, words_added, words_removed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                watch_id,
                change.event,
                change.from_version,
                change.to_version,
                detected_at,
                change.summary,
                json.dumps(change.fields or [], ensure_ascii=False),
                json.dumps(change.diff or [], ensure_ascii=False),
                change.words_added,
                change.words_removed,
            ),
        )
        for hook in self.store.checks.change_hooks:
            hook(conn, watch_id, cursor.lastrowid, change)
        return cursor.lastrowid
