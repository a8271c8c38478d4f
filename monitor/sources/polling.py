"""The daemon's source polling: due sources go to the same crawler as articles.

A :class:`~monitor.daemon.jobs.DaemonJob` (see :mod:`monitor.daemon.jobs`) that every
``[daemon] poll_seconds`` leases the sources whose interval has passed and hands
their requests to the daemon's crawler, so robots.txt, per-site limits and
delays are shared with article checks. What they list is recorded by
:class:`monitor.sources.pipeline.RecordSourcePollPipeline`; the watches it
creates are due at once, and the daemon's own feeding checks them next.
"""

from __future__ import annotations

import logging
from typing import Any

from crawler import settings as crawler_settings
from crawler.config import scrapy_overrides
from monitor.daemon.jobs import DaemonJob, JobContext
from monitor.sources.liveblogs import end_live_blogs
from monitor.sources.policy import DiscoveryPolicy

logger = logging.getLogger("editwatch.sources")

# Sources polled at most per round; the rest are next in line one round later.
POLLS_PER_ROUND = 16


class SourcePoller:
    """One round: lease due sources and submit their requests to the crawler."""

    def __init__(self, lease_seconds: float):
        self.lease_seconds = lease_seconds
        self.started = False

    async def __call__(self, ctx: JobContext) -> None:
        if ctx.submit is None or ctx.spider is None:
            return  # not running inside a crawler
        if not self.started:
            # Nothing is in flight before the first round: leases left by a killed daemon are void.
            ctx.store.sources.release_all_leases()
            self.started = True
        end_live_blogs(ctx.store)
        for source in ctx.store.sources.lease_due(limit=POLLS_PER_ROUND, lease_seconds=self.lease_seconds):
            if ctx.stopping:
                break
            ctx.submit(ctx.spider.request_for_source(source))


def source_polling_job(config: dict[str, Any]) -> DaemonJob:
    """The daemon job that polls due sources (validates ``[sources]`` at start)."""
    DiscoveryPolicy.from_config(config)
    poll = config.get("daemon", {}).get("poll_seconds", 1.0)
    overrides = scrapy_overrides(config)
    timeout = overrides.get("DOWNLOAD_TIMEOUT", crawler_settings.DOWNLOAD_TIMEOUT)
    retries = overrides.get("RETRY_TIMES", crawler_settings.RETRY_TIMES)
    # Long enough for a poll with its retries; a lease that outlives a lost request just expires.
    lease = timeout * (retries + 1) + 60
    return DaemonJob("poll-due-sources", every=float(poll), run=SourcePoller(lease), run_at_start=True)
