"""The daemon's periodic one-line activity report: what it checked, what it found, how big it is."""

from __future__ import annotations

import logging
import os
from collections import Counter
from typing import Any

from monitor.daemon.jobs import DaemonJob, JobContext
from monitor.daemon.schedule import parse_duration

logger = logging.getLogger("editwatch.daemon")


def resident_memory_bytes(pid: int | None = None) -> int | None:
    """Resident set size of a process (default: this one) from /proc; ``None`` where unavailable."""
    try:
        with open(f"/proc/{pid or 'self'}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class ActivityReport:
    """Logs the checks made since the previous report, the watches by state and the memory in use."""

    def __init__(self, every: float):
        self.every = every
        self.previous: Counter[str] = Counter()

    async def __call__(self, ctx: JobContext) -> None:
        delta = ctx.counters - self.previous
        self.previous = Counter(ctx.counters)
        states = ctx.store.watches.count_by_state()
        rss = resident_memory_bytes()
        checks = sum(delta.values())
        found = (
            ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in sorted(delta.items())) or "none"
        )
        logger.info(
            "activity: %d checks in the last %s (%s); watches: %s; %d due now; memory %s; %s",
            checks,
            _span(self.every),
            found,
            ", ".join(f"{n} {s}" for s, n in sorted(states.items())) or "none",
            ctx.store.watches.count_due(),
            f"{rss / 2**20:.0f} MB" if rss else "unknown",
            timer_counts(),
        )
        if logger.isEnabledFor(logging.DEBUG):
            import gc
            import sys

            logger.debug(
                "memory detail: %d Python memory blocks, %d objects tracked by the garbage collector",
                sys.getallocatedblocks(),
                len(gc.get_objects()),
            )


def timer_counts() -> str:
    """Timers the event loop holds: cancelled ones stay queued until Twisted or asyncio purges them.

    (Reads private attributes of both loops; a diagnostic for the memory benchmark.)
    """
    import asyncio

    from twisted.internet import reactor

    live = len(reactor.getDelayedCalls())
    held = len(getattr(reactor, "_pendingTimedCalls", ())) + len(getattr(reactor, "_newTimedCalls", ()))
    scheduled = len(getattr(asyncio.get_event_loop(), "_scheduled", ()))
    return f"timers: {live} live, {held} queued in Twisted, {scheduled} in asyncio"


def activity_report_job(config: dict[str, Any]) -> DaemonJob | None:
    """Every ``[daemon] report_every`` (default 1h; ``"off"`` disables it)."""
    every = config.get("daemon", {}).get("report_every", "1h")
    if every in ("off", False, 0, "0"):
        return None
    seconds = parse_duration(every)
    return DaemonJob("activity-report", every=seconds, run=ActivityReport(seconds))


def _span(seconds: float) -> str:
    if seconds % 3600 == 0:
        hours = int(seconds // 3600)
        return "hour" if hours == 1 else f"{hours} hours"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"
