"""Periodic jobs the daemon runs beside the crawl, on the same asyncio loop.

The daemon's own work (feeding due watches to the crawler) is one such job;
other features add theirs without touching the daemon:

1. Write an ``async def`` that takes a :class:`JobContext` and does one round of
   work (send queued alerts, poll feeds, ...). It runs on the event loop that
   Scrapy uses, so it must not block: hand blocking calls (SMTP, a slow HTTP
   client) to ``await asyncio.to_thread(...)``, and give such a thread its own
   ``Store`` (one SQLite connection per thread).
2. Write a factory ``def my_job(config: dict) -> DaemonJob | None`` that reads its
   section of editwatch.toml and returns ``None`` when the feature is off.
3. List the factory's dotted path in :data:`JOB_FACTORIES` (or, for a user's own
   job, in ``[daemon] jobs = ["package.module:factory"]`` in editwatch.toml).

Example::

    async def dispatch_outbox(ctx: JobContext) -> None:
        for alert in ctx.store.outbox.due():
            ...

    def outbox_job(config: dict) -> DaemonJob | None:
        every = config.get("alerts", {}).get("dispatch_seconds", 5)
        return DaemonJob("dispatch-alerts", every=every, run=dispatch_outbox)

A job that raises is logged on one line and runs again at its next time. On
shutdown no job is started any more and running ones get the shutdown grace
period to finish (see :attr:`JobContext.stopping`).
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from storage import Store

logger = logging.getLogger("editwatch.daemon")

# Factories of the jobs every daemon runs, by dotted path ("package.module:function").
JOB_FACTORIES: list[str] = [
    "monitor.daemon.reporting:activity_report_job",
    "monitor.alerts.service:alert_delivery_job",
    "monitor.sources.polling:source_polling_job",
    "monitor.changes.catchup:snapshot_processing_job",
    "monitor.daemon.retention:retention_job",
]


@dataclass
class JobContext:
    """What a job may use: the daemon's database connection, the configuration, the stop flag."""

    store: Store
    config: dict[str, Any]
    db_path: str
    is_stopping: Callable[[], bool]
    counters: Counter[str] = field(default_factory=Counter)  # check outcomes since the daemon started
    # The daemon's crawler, for jobs that fetch: its spider (to build requests) and
    # ``submit(request)`` to queue one behind the same politeness rules as every check.
    spider: Any = None
    submit: Callable[[Any], None] | None = None

    @property
    def stopping(self) -> bool:
        """True once the daemon was asked to stop: finish the current item and return."""
        return self.is_stopping()


@dataclass(frozen=True)
class DaemonJob:
    """A task the daemon runs every ``every`` seconds (never two runs of one job at once)."""

    name: str
    every: float
    run: Callable[[JobContext], Awaitable[None]]
    run_at_start: bool = False  # also run once as soon as the daemon starts


class JobConfigError(ValueError):
    """A job named in the configuration cannot be loaded."""


def load_factory(path: str) -> Callable[[dict[str, Any]], DaemonJob | None]:
    """Import ``package.module:function`` (or ``package.module.function``)."""
    module_name, sep, attr = path.partition(":")
    if not sep:
        module_name, _, attr = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise JobConfigError(f"cannot load daemon job {path!r}: {exc}") from None


def configured_jobs(config: dict[str, Any]) -> list[DaemonJob]:
    """The jobs to run: the built-in factories, then ``[daemon] jobs`` from the configuration."""
    paths = list(JOB_FACTORIES) + list(config.get("daemon", {}).get("jobs", []))
    jobs = []
    for path in paths:
        job = load_factory(path)(config)
        if job is None:
            continue
        if not isinstance(job, DaemonJob):
            raise JobConfigError(
                f"daemon job factory {path!r} returned {type(job).__name__}, not a DaemonJob"
            )
        if job.every <= 0:
            raise JobConfigError(f"daemon job {job.name!r} must run every positive number of seconds")
        jobs.append(job)
    return jobs
