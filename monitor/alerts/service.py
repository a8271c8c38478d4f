"""Alert delivery inside the daemon: a job (see :mod:`monitor.daemon.jobs`), sends in worker threads.

Sends block (HTTP, SMTP, Apprise), so they run in a small thread pool and the
event loop only schedules them. Each channel is worked by at most one thread at
a time, and a run of the job never waits for a send: a slow or failing channel
holds up nothing but itself. When the daemon stops, no new send starts; a send
in progress finishes and is recorded before the process exits (the pool's
threads are joined at exit).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from monitor.alerts.dispatch import AlertDispatcher
from monitor.alerts.settings import AlertSettings
from monitor.daemon.jobs import DaemonJob, JobContext

logger = logging.getLogger("editwatch.alerts")

WORKERS = 6


class AlertService:
    """Runs the dispatcher from the daemon's job until the daemon stops."""

    def __init__(self, db_path: str, settings: AlertSettings, is_stopping: Callable[[], bool]):
        self.settings = settings
        self.dispatcher = AlertDispatcher(db_path, settings, is_stopping=is_stopping)
        self.executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="editwatch-alerts")
        self.busy: set[int | str] = set()

    async def tick(self) -> None:
        """Start work on every channel with due alerts that is not already being worked on."""
        if self.dispatcher.should_stop():
            return
        loop = asyncio.get_running_loop()
        if "confirm" not in self.busy:
            self._start(loop, "confirm", self.dispatcher.confirm_due)
        try:
            rule_ids = await loop.run_in_executor(self.executor, self.dispatcher.due_channels)
        except Exception as exc:  # a locked database now is not a reason to stop delivering
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


def alert_delivery_job(config: dict[str, Any]) -> DaemonJob:
    """The daemon job that delivers queued alerts every ``[alerts] poll_seconds`` (see monitor.daemon.jobs)."""
    settings = AlertSettings.from_config(config)
    services: dict[str, AlertService] = {}

    async def deliver_alerts(ctx: JobContext) -> None:
        service = services.get(ctx.db_path)
        if service is None:
            service = services[ctx.db_path] = AlertService(ctx.db_path, settings, lambda: ctx.stopping)
        await service.tick()

    return DaemonJob("deliver-alerts", every=settings.poll_seconds, run=deliver_alerts, run_at_start=True)
