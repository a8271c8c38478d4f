"""The ``[retention]`` rule: the daemon folds old uneventful checks into per-day counts, daily.

    [retention]
    unchanged_days = 30   # fold unchanged / not-modified checks older than this (0: keep all)

Off unless configured: what a check row holds is kept as long as the user has not
said otherwise. See :mod:`storage.retention` for what is kept and docs/scaling.md for the
bytes it saves.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from monitor.daemon.jobs import DaemonJob, JobContext
from storage import clock
from storage.retention import fold_old_checks

logger = logging.getLogger("editwatch.daemon")

# How often the daemon applies the rule (and once at start).
RETENTION_EVERY_SECONDS = 6 * 3600


def retention_days(config: dict[str, Any]) -> int:
    """The validated ``[retention] unchanged_days`` (0: keep every check)."""
    section = config.get("retention", {})
    if not isinstance(section, dict):
        raise ValueError("[retention] must be a table")
    unknown = sorted(set(section) - {"unchanged_days"})
    if unknown:
        raise ValueError(f"unknown key retention.{unknown[0]} (known: unchanged_days)")
    days = section.get("unchanged_days", 0)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 36500:
        raise ValueError("retention.unchanged_days must be a whole number of days (0 keeps every check)")
    return days


def retention_job(config: dict) -> DaemonJob | None:
    """The daemon's job that applies ``[retention]``; None when checks are kept forever."""
    days = retention_days(config)
    if not days:
        return None

    async def fold(ctx: JobContext) -> None:
        before = clock.to_text(clock.utcnow() - timedelta(days=days))
        folded, after = 0, 0
        while not ctx.is_stopping():
            result = fold_old_checks(ctx.store, before, after_id=after, batches=1)
            folded += result.folded
            if result.resume_after is None:
                break
            after = result.resume_after
            await asyncio.sleep(0)  # a first pass over years of checks: let checks be recorded meanwhile
        if folded:
            logger.info("retention: %d checks older than %d days folded into daily counts", folded, days)

    return DaemonJob("check-retention", every=RETENTION_EVERY_SECONDS, run=fold, run_at_start=True)
