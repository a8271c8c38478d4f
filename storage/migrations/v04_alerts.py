"""Schema version 4. Alert rules, the alert outbox and the log of delivery attempts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v4_alerts(db: sqlite_utils.Database) -> None:
    # Written as SQL for ON DELETE CASCADE: removing a watch or a rule takes its queued alerts with it.
    db.execute(
        """
        CREATE TABLE alert_rules (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,          -- the channel URL as given: may hold secrets, never printed
            kind TEXT NOT NULL,             -- webhook | apprise | stdout
            events TEXT NOT NULL,           -- JSON list of event names
            watch_id INTEGER REFERENCES watches(id) ON DELETE CASCADE,  -- NULL: every watch
            label TEXT,                     -- only watches with this label
            min_words INTEGER NOT NULL DEFAULT 0,
            digest_seconds INTEGER,         -- NULL: one message per event
            confirm INTEGER NOT NULL DEFAULT 0,  -- re-fetch the page before alerting an edit
            created_at TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed deliveries on this channel
            retry_at TEXT,                  -- the channel backs off until then
            last_error TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE alert_outbox (
            id INTEGER PRIMARY KEY,
            rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
            change_id INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
            watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
            event TEXT NOT NULL,
            event_id TEXT NOT NULL UNIQUE,  -- the event's "id" in the webhook JSON
            payload TEXT NOT NULL,          -- the event as JSON, frozen when the change was recorded
            delivery_key TEXT,              -- Idempotency-Key; set when a digest batch is formed
            state TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | failed | dropped
            confirm_pending INTEGER NOT NULL DEFAULT 0,  -- 1: re-fetch the page before delivering
            created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_until TEXT,             -- set while a dispatcher is delivering it
            last_error TEXT,
            delivered_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX alert_outbox_pending ON alert_outbox(rule_id, id) WHERE state = 'pending'")
    db.execute("CREATE INDEX alert_outbox_by_key ON alert_outbox(delivery_key)")
    db.execute("CREATE INDEX alert_outbox_by_change ON alert_outbox(change_id)")
    db.execute(
        """
        CREATE TABLE alert_attempts (
            id INTEGER PRIMARY KEY,
            rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
            delivery_key TEXT NOT NULL,
            events INTEGER NOT NULL,        -- how many queued alerts the message carried
            started_at TEXT NOT NULL,
            duration_ms INTEGER,
            outcome TEXT NOT NULL,          -- sending | delivered | failed (sending: interrupted)
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX alert_attempts_by_rule ON alert_attempts(rule_id, id)")
