"""Alert delivery inside the daemon: a job on its APScheduler, sends in worker threads.

Sends block (HTTP, SMTP, Apprise), so they run in a small thread pool and the
reactor thread only schedules them. Each channel is worked by at most one
thread at a time, and a tick never waits for a send: a slow or failing channel
holds up nothing but itself.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from monitor.alerts.dispatch import AlertDispatcher
from monitor.alerts.settings import AlertSettings

logger = logging.getLogger("editwatch.alerts")

WORKERS = 6


class AlertService:
    """Runs the dispatcher on a scheduler until stopped."""

    def __init__(self, db_path: str, config: dict[str, Any]):
        self.settings = AlertSettings.from_config(config)
        self.dispatcher = AlertDispatcher(db_path, self.settings)
        self.executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="editwatch-alerts")
        self.busy: set[int | str] = set()

    async def tick(self) -> None:
        """Start work on every channel with due alerts that is not already being worked on."""
        if self.dispatcher.stopping.is_set():
            return
        loop = asyncio.get_running_loop()
        if "confirm" not in self.busy:
            self._start(loop, "confirm", self.dispatcher.confirm_due)
        try:
            rule_ids = await loop.run_in_executor(self.executor, self.dispatcher.due_channels)
        except Exception as exc:
            logger.error("cannot look for alerts to deliver: %s", exc)
            return
        for rule_id in rule_ids:
            if rule_id not in self.busy:
                self._start(loop, rule_id, self.dispatcher.run_channel, rule_id)

    def _start(self, loop: asyncio.AbstractEventLoop, name: int | str, work, *args) -> None:
        self.busy.add(name)
        try:
            future: Future = self.executor.submit(work, *args)
        except RuntimeError:  # shutting down
            self.busy.discard(name)
            return

        def done(f: Future) -> None:
            if not f.cancelled() and f.exception() is not None:
                logger.error("alert delivery stopped unexpectedly: %s", f.exception())
            try:
                loop.call_soon_threadsafe(self.busy.discard, name)
            except RuntimeError:  # the loop has closed: the daemon is exiting
                pass

        future.add_done_callback(done)

    def stop(self, *_: Any, **__: Any) -> None:
        """Start no new sends; a send in progress finishes and is recorded before the process exits."""
        self.dispatcher.stopping.set()
        self.executor.shutdown(wait=False, cancel_futures=True)


def add_alert_jobs(scheduler, daemon) -> AlertService:
    """Register alert delivery on the daemon's scheduler (called by the daemon when its spider opens)."""
    service = AlertService(daemon.db_path, daemon.config)
    scheduler.add_job(
        service.tick,
        "interval",
        seconds=service.settings.poll_seconds,
        id="deliver-alerts",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    return service
