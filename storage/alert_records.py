"""Alert rules, queued alerts and deliveries, as the alert repository returns them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3


@dataclass(frozen=True)
class AlertRule:
    """Where to send which alerts; the channel URL may hold secrets and is never printed."""

    id: int
    channel: str
    kind: str
    events: list[str]
    watch_id: int | None
    label: str | None
    min_words: int
    digest_seconds: int | None
    confirm: bool
    created_at: str
    failures: int
    retry_at: str | None
    last_error: str | None
    fields: list[str] | None = None  # edits and A/B tests only when they change one of these

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> AlertRule:
        return cls(
            id=row["id"],
            channel=row["channel"],
            kind=row["kind"],
            events=json.loads(row["events"]),
            watch_id=row["watch_id"],
            label=row["label"],
            min_words=row["min_words"],
            digest_seconds=row["digest_seconds"],
            confirm=bool(row["confirm"]),
            created_at=row["created_at"],
            failures=row["failures"],
            retry_at=row["retry_at"],
            last_error=row["last_error"],
            fields=json.loads(row["fields"]) if row["fields"] else None,
        )


@dataclass(frozen=True)
class QueuedAlert:
    """One alert waiting in (or delivered from) the outbox."""

    id: int
    rule_id: int
    change_id: int
    watch_id: int
    event: str
    event_id: str
    payload: dict
    attempts: int
    created_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> QueuedAlert:
        return cls(
            id=row["id"],
            rule_id=row["rule_id"],
            change_id=row["change_id"],
            watch_id=row["watch_id"],
            event=row["event"],
            event_id=row["event_id"],
            payload=json.loads(row["payload"]),
            attempts=row["attempts"],
            created_at=row["created_at"],
        )


@dataclass(frozen=True)
class Delivery:
    """Alerts claimed for one message to one channel; ``key`` is its Idempotency-Key."""

    rule: AlertRule
    key: str
    alerts: list[QueuedAlert]
    attempt_id: int
    digest: bool

    @property
    def attempt(self) -> int:
        """Which attempt this is (1 for the first)."""
        return max(a.attempts for a in self.alerts)
