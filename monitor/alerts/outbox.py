"""The alert outbox writer: queues alerts inside the transaction that records a change.

Registered as a change hook of the store (see ``CheckRepository.change_hooks``):
if recording the check rolls back, so do its alerts, and a committed change
always has its alerts queued. Nothing is sent here.
"""

from __future__ import annotations

import sqlite3

from monitor.alerts.events import build_event, rule_wants
from monitor.alerts.settings import AlertSettings
from storage import NewChange, Store, clock


class AlertOutbox:
    """Turns every recorded change that a rule asks for into queued alerts."""

    def __init__(self, store: Store, settings: AlertSettings):
        self.store = store
        self.settings = settings

    @classmethod
    def install(cls, store: Store, config: dict) -> AlertOutbox:
        """Queue alerts for every change ``store`` records from now on."""
        outbox = cls(store, AlertSettings.from_config(config))
        store.checks.change_hooks.append(outbox.queue_alerts)
        return outbox

    def queue_alerts(self, conn: sqlite3.Connection, watch_id: int, change_id: int, new: NewChange) -> None:
        """Queue one alert per rule that wants this change (called inside the recording transaction)."""
        if not new.notify:
            return
        rules = [r for r in self.store.alerts.rules() if new.event in r.events]
        if not rules:
            return
        watch = self.store.watches.get(watch_id)
        change = self.store.changes.get(change_id)
        wanted = [r for r in rules if rule_wants(r, watch, change)]
        if not wanted:
            return
        latest = self.store.versions.latest(watch_id)
        event = build_event(watch, change, latest.headline if latest else None)
        now = clock.now_text()
        for rule in wanted:
            confirm = rule.confirm and change.event == "edit"
            self.store.alerts.enqueue(
                conn,
                rule,
                change_id,
                watch_id,
                change.event,
                event,
                not_before=clock.later(self.settings.confirm_delay) if confirm else now,
                confirm=confirm,
            )
