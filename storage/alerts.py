"""Alert rules, the alert outbox and the log of delivery attempts.

The outbox is written in the transaction that records a change, so a change
and its pending alerts exist together or not at all. A dispatcher then claims
deliveries (one alert, or a digest of several, under one ``delivery_key``),
sends them, and records the outcome in one short transaction.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from storage import clock
from storage.alert_records import AlertRule, Delivery, QueuedAlert
from storage.errors import NotFound

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store


class AlertRepository:
    """Queries and writes on ``alert_rules``, ``alert_outbox`` and ``alert_attempts``."""

    def __init__(self, store: Store):
        self.store = store

    # -- rules --------------------------------------------------------------------

    def add_rule(
        self,
        channel: str,
        kind: str,
        events: list[str],
        *,
        watch_id: int | None = None,
        label: str | None = None,
        min_words: int = 0,
        digest_seconds: int | None = None,
        confirm: bool = False,
        fields: list[str] | None = None,
    ) -> AlertRule:
        """Store a new rule and return it (``fields``: only edits of these fields; ``None``: any)."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO alert_rules (channel, kind, events, watch_id, label, min_words,"
                " digest_seconds, confirm, created_at, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    channel,
                    kind,
                    json.dumps(events),
                    watch_id,
                    label,
                    min_words,
                    digest_seconds,
                    int(confirm),
                    clock.now_text(),
                    json.dumps(fields) if fields else None,
                ),
            )
        return self.get_rule(cursor.lastrowid)

    def get_rule(self, rule_id: int) -> AlertRule:
        """The rule with this ID, or :class:`NotFound`."""
        row = self.store.conn.execute("SELECT * FROM alert_rules WHERE id = ?", (rule_id,)).fetchone()
        if row is None:
            raise NotFound(f"no alert rule with ID {rule_id}")
        return AlertRule.from_row(row)

    def rules(self) -> list[AlertRule]:
        """Every rule, oldest first."""
        rows = self.store.conn.execute("SELECT * FROM alert_rules ORDER BY id")
        return [AlertRule.from_row(r) for r in rows]

    def remove_rule(self, rule_id: int) -> int:
        """Delete a rule with its queue and log; returns how many undelivered alerts went with it."""
        with self.store.transaction() as conn:
            self.get_rule(rule_id)
            pending = conn.execute(
                "SELECT COUNT(*) FROM alert_outbox WHERE rule_id = ? AND state = 'pending'", (rule_id,)
            ).fetchone()[0]
            conn.execute("DELETE FROM alert_rules WHERE id = ?", (rule_id,))
        return pending

    def queue_counts(self) -> dict[int, dict[str, int]]:
        """Per rule, how many alerts are in each outbox state."""
        counts: dict[int, dict[str, int]] = {}
        rows = self.store.conn.execute(
            "SELECT rule_id, state, COUNT(*) FROM alert_outbox GROUP BY rule_id, state"
        )
        for rule_id, state, n in rows:
            counts.setdefault(rule_id, {})[state] = n
        return counts

    def summary(self) -> dict:
        """Rules, queued alerts by state, and the rules whose channel is failing (for ``status``)."""
        rules = self.store.conn.execute("SELECT COUNT(*) FROM alert_rules").fetchone()[0]
        states = dict(
            self.store.conn.execute("SELECT state, COUNT(*) FROM alert_outbox GROUP BY state").fetchall()
        )
        failing = [
            r[0] for r in self.store.conn.execute("SELECT id FROM alert_rules WHERE failures > 0 ORDER BY id")
        ]
        return {
            "rules": rules,
            "pending": states.get("pending", 0),
            "failed": states.get("failed", 0),
            "failing_channels": failing,
        }

    # -- the outbox ---------------------------------------------------------------

    def enqueue(
        self,
        conn: sqlite3.Connection,
        rule: AlertRule,
        change_id: int,
        watch_id: int,
        event: str,
        payload: dict,
        *,
        not_before: str,
        confirm: bool = False,
    ) -> str:
        """Queue one alert; call inside the transaction that records the change. Returns its event ID."""
        event_id = str(uuid.uuid4())
        # A digest's key is chosen when its batch is formed; a single alert's is its own ID.
        key = None if rule.digest_seconds else event_id
        conn.execute(
            "INSERT INTO alert_outbox (rule_id, change_id, watch_id, event, event_id, payload,"
            " delivery_key, confirm_pending, created_at, next_attempt_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rule.id,
                change_id,
                watch_id,
                event,
                event_id,
                json.dumps({**payload, "id": event_id}, ensure_ascii=False),
                key,
                int(confirm),
                clock.now_text(),
                not_before,
            ),
        )
        return event_id

    def rules_with_due_work(self, now: str | None = None) -> list[int]:
        """Rules whose channel is not backing off and that have alerts ready to try."""
        now = now or clock.now_text()
        rows = self.store.conn.execute(
            "SELECT DISTINCT o.rule_id FROM alert_outbox o JOIN alert_rules r ON r.id = o.rule_id"
            " WHERE o.state = 'pending' AND o.confirm_pending = 0 AND o.next_attempt_at <= ?"
            " AND (o.claimed_until IS NULL OR o.claimed_until < ?)"
            " AND (r.retry_at IS NULL OR r.retry_at <= ?) ORDER BY o.rule_id",
            (now, now, now),
        )
        return [r[0] for r in rows]

    def awaiting_confirmation(self, now: str | None = None, limit: int = 50) -> list[QueuedAlert]:
        """One queued alert per change whose page is due to be re-fetched before alerting."""
        rows = self.store.conn.execute(
            "SELECT * FROM alert_outbox WHERE id IN (SELECT MIN(id) FROM alert_outbox"
            " WHERE state = 'pending' AND confirm_pending = 1 AND next_attempt_at <= ?"
            " GROUP BY change_id) ORDER BY id LIMIT ?",
            (now or clock.now_text(), limit),
        )
        return [QueuedAlert.from_row(r) for r in rows]

    def settle_confirmation(
        self,
        change_id: int,
        *,
        confirmed: bool | None,
        reason: str | None = None,
        retry_at: str | None = None,
    ) -> int:
        """Record a re-fetch: confirmed (deliver now), not confirmed (drop), or ``None`` (try again later)."""
        with self.store.transaction() as conn:
            where = "WHERE change_id = ? AND state = 'pending' AND confirm_pending = 1"
            if confirmed is None:
                cursor = conn.execute(
                    f"UPDATE alert_outbox SET next_attempt_at = ?, last_error = ? {where}",
                    (retry_at or clock.now_text(), reason, change_id),
                )
            elif confirmed:
                cursor = conn.execute(
                    f"UPDATE alert_outbox SET confirm_pending = 0, next_attempt_at = ? {where}",
                    (clock.now_text(), change_id),
                )
            else:
                cursor = conn.execute(
                    f"UPDATE alert_outbox SET state = 'dropped', last_error = ? {where}", (reason, change_id)
                )
        return cursor.rowcount

    def claim(self, rule_id: int, *, claim_seconds: float, digest_limit: int = 200) -> Delivery | None:
        """Claim the next delivery of a rule, if one is due; it is the caller's to send.

        The claim is a lease: if the process dies while sending, it expires and
        the same delivery (same key) is tried again. Each claim starts an
        attempt in the log, so an interrupted attempt stays visible.
        """
        now = clock.now_text()
        with self.store.transaction() as conn:
            row = conn.execute("SELECT * FROM alert_rules WHERE id = ?", (rule_id,)).fetchone()
            if row is None:
                return None
            rule = AlertRule.from_row(row)
            if rule.retry_at and rule.retry_at > now:
                return None
            free = (
                "state = 'pending' AND confirm_pending = 0 AND (claimed_until IS NULL OR claimed_until < ?)"
            )
            key = conn.execute(
                f"SELECT delivery_key FROM alert_outbox WHERE rule_id = ? AND {free}"
                " AND delivery_key IS NOT NULL AND next_attempt_at <= ? ORDER BY id LIMIT 1",
                (rule_id, now, now),
            ).fetchone()
            key = key[0] if key else None
            if key is None and rule.digest_seconds:
                key = self._form_digest(conn, rule, now, free, digest_limit)
            if key is None:
                return None
            conn.execute(
                "UPDATE alert_outbox SET claimed_until = ?, attempts = attempts + 1"
                " WHERE delivery_key = ? AND state = 'pending'",
                (clock.later(claim_seconds), key),
            )
            rows = conn.execute(
                "SELECT * FROM alert_outbox WHERE delivery_key = ? AND state = 'pending' ORDER BY id", (key,)
            ).fetchall()
            cursor = conn.execute(
                "INSERT INTO alert_attempts (rule_id, delivery_key, events, started_at, outcome)"
                " VALUES (?, ?, ?, ?, 'sending')",
                (rule_id, key, len(rows), now),
            )
        alerts = [QueuedAlert.from_row(r) for r in rows]
        return Delivery(
            rule=rule, key=key, alerts=alerts, attempt_id=cursor.lastrowid, digest=bool(rule.digest_seconds)
        )

    def _form_digest(
        self, conn: sqlite3.Connection, rule: AlertRule, now: str, free: str, limit: int
    ) -> str | None:
        """Give one key to the waiting alerts of a digest rule once the oldest has waited a period."""
        oldest = conn.execute(
            f"SELECT MIN(created_at) FROM alert_outbox WHERE rule_id = ? AND {free} AND delivery_key IS NULL",
            (rule.id, now),
        ).fetchone()[0]
        if oldest is None or clock.later(rule.digest_seconds, clock.from_text(oldest)) > now:
            return None
        key = str(uuid.uuid4())
        conn.execute(
            "UPDATE alert_outbox SET delivery_key = ? WHERE id IN (SELECT id FROM alert_outbox"
            f" WHERE rule_id = ? AND {free} AND delivery_key IS NULL ORDER BY id LIMIT ?)",
            (key, rule.id, now, limit),
        )
        return key

    def mark_delivered(self, delivery: Delivery, duration_ms: int) -> None:
        """Record a successful send: the delivery is never sent again, and the channel is healthy."""
        now = clock.now_text()
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE alert_outbox SET state = 'delivered', delivered_at = ?, claimed_until = NULL,"
                " last_error = NULL WHERE delivery_key = ? AND state = 'pending'",
                (now, delivery.key),
            )
            conn.execute(
                "UPDATE alert_attempts SET outcome = 'delivered', duration_ms = ? WHERE id = ?",
                (duration_ms, delivery.attempt_id),
            )
            conn.execute(
                "UPDATE alert_rules SET failures = 0, retry_at = NULL, last_error = NULL WHERE id = ?",
                (delivery.rule.id,),
            )

    def mark_failed(
        self,
        delivery: Delivery,
        error: str,
        duration_ms: int,
        *,
        next_attempt_at: str,
        channel_retry_at: str,
        give_up: bool,
    ) -> None:
        """Record a failed send: retry the delivery later (or give up on it), and back the channel off."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE alert_outbox SET state = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ?"
                " WHERE delivery_key = ? AND state = 'pending'",
                ("failed" if give_up else "pending", next_attempt_at, error, delivery.key),
            )
            conn.execute(
                "UPDATE alert_attempts SET outcome = 'failed', duration_ms = ?, error = ? WHERE id = ?",
                (duration_ms, error, delivery.attempt_id),
            )
            conn.execute(
                "UPDATE alert_rules SET failures = failures + 1, retry_at = ?, last_error = ? WHERE id = ?",
                (channel_retry_at, error, delivery.rule.id),
            )

    def retry_failed(self, rule_id: int | None = None) -> int:
        """Put alerts that were given up on back in the queue; returns how many."""
        with self.store.transaction() as conn:
            sql = (
                "UPDATE alert_outbox SET state = 'pending', next_attempt_at = ?, attempts = 0"
                " WHERE state = 'failed'"
            )
            params: tuple = (clock.now_text(),)
            if rule_id is not None:
                sql += " AND rule_id = ?"
                params += (rule_id,)
            count = conn.execute(sql, params).rowcount
            conn.execute(
                "UPDATE alert_rules SET retry_at = NULL" + (" WHERE id = ?" if rule_id is not None else ""),
                (rule_id,) if rule_id is not None else (),
            )
        return count

    def queued(self, rule_id: int | None = None, state: str | None = None) -> list[QueuedAlert]:
        """Queued alerts, oldest first (optionally of one rule, in one state)."""
        sql, params = "SELECT * FROM alert_outbox WHERE 1", []
        if rule_id is not None:
            sql += " AND rule_id = ?"
            params.append(rule_id)
        if state is not None:
            sql += " AND state = ?"
            params.append(state)
        rows = self.store.conn.execute(sql + " ORDER BY id", params)
        return [QueuedAlert.from_row(r) for r in rows]

    def attempts(self, limit: int = 50, rule_id: int | None = None) -> list[dict]:
        """The newest delivery attempts, newest first."""
        if rule_id is None:
            rows = self.store.conn.execute("SELECT * FROM alert_attempts ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = self.store.conn.execute(
                "SELECT * FROM alert_attempts WHERE rule_id = ? ORDER BY id DESC LIMIT ?", (rule_id, limit)
            )
        return [dict(r) for r in rows]
