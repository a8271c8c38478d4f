"""``editwatch run``: one long-lived Scrapy crawler, fed due watches by APScheduler on the same loop.

APScheduler's ``AsyncIOScheduler`` runs ``async def`` jobs on the asyncio loop
that Scrapy's reactor runs on, so jobs may call ``engine.crawl`` directly (a
``TwistedScheduler`` would run them in a thread pool, which the engine does not
allow). The spider stays open by raising ``DontCloseSpider`` when idle.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import time
from datetime import UTC
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess

from crawler.items import PageFetch
from crawler.spiders.article import ArticleSpider
from monitor.crawl import build_settings, quiet_libraries
from storage import Store

logger = logging.getLogger("editwatch.daemon")

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


class DaemonAlreadyRunning(Exception):
    """Another daemon holds this database."""


class DaemonLock:
    """An exclusive lock file beside the database: one daemon per database.

    The kernel drops the lock when the process dies, even by ``kill -9``.
    """

    def __init__(self, db_path: str):
        self.path = Path(f"{db_path}.daemon.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = self.holder()
            who = f" (pid {pid})" if pid else ""
            raise DaemonAlreadyRunning(
                f"another editwatch daemon{who} is already running on this database"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> int | None:
        """The PID of the running daemon, or ``None`` when no daemon holds the lock."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                text = Path(self.path).read_text().strip()
                return int(text) if text.isdigit() else -1
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)


class Daemon:
    """Checks every watch when it falls due, until SIGINT or SIGTERM."""

    def __init__(
        self, db_path: str, config: dict[str, Any], *, poll_seconds: float = 1.0, verbose: bool = False
    ):
        self.db_path = db_path
        self.config = config
        self.poll_seconds = float(config.get("daemon", {}).get("poll_seconds", poll_seconds))
        self.verbose = verbose
        self.store = Store(db_path)
        self.lock = DaemonLock(db_path)
        self.in_flight: dict[int, float] = {}
        self.scheduler: AsyncIOScheduler | None = None
        self.crawler = None
        self.spider: ArticleSpider | None = None
        self.max_in_flight = 0
        self.lease_seconds = 0.0

    def run(self) -> None:
        """Run in the foreground; returns after a graceful shutdown."""
        self.lock.acquire()
        try:
            settings = build_settings(
                self.db_path,
                self.config,
                log_level="DEBUG" if self.verbose else "INFO",
                LOG_FORMAT=LOG_FORMAT,
            )
            self.max_in_flight = settings.getint("CONCURRENT_REQUESTS") * 2
            # Long enough for every retry of a slow fetch; a lease outliving a crash just expires.
            self.lease_seconds = (
                settings.getfloat("DOWNLOAD_TIMEOUT") * (settings.getint("RETRY_TIMES") + 1) + 30
            )
            process = AsyncCrawlerProcess(settings)
            if not self.verbose:
                quiet_libraries()
            self.crawler = process.create_crawler(ArticleSpider)
            self.crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)
            self.crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)
            self.crawler.signals.connect(self._item_done, signal=signals.item_scraped)
            self.crawler.signals.connect(self._item_failed, signal=signals.item_error)
            # Nothing is in flight before we start: leases left by a killed daemon are void.
            self.store.watches.release_all_leases()
            counts = self.store.watches.count_by_state()
            logger.info(
                "editwatch daemon started on %s: %d watches (%s)",
                self.db_path,
                sum(counts.values()),
                ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none yet",
            )
            process.crawl(self.crawler, daemon="1")
            process.start()
            logger.info("editwatch daemon stopped")
        finally:
            self.store.close()
            self.lock.release()

    def _spider_opened(self, spider: ArticleSpider) -> None:
        self.spider = spider
        self.scheduler = AsyncIOScheduler(event_loop=asyncio.get_event_loop())
        self.scheduler.add_job(
            self.feed_due_watches,
            "interval",
            seconds=self.poll_seconds,
            id="feed-due-watches",
            max_instances=1,
            coalesce=True,
            next_run_time=None,
        )
        self.scheduler.start()
        self.scheduler.modify_job("feed-due-watches", next_run_time=_now_tz())

    def _spider_closed(self, spider: ArticleSpider, reason: str = "") -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def feed_due_watches(self) -> None:
        """Lease due watches up to the free capacity and hand them to the engine."""
        if self.crawler is None or self.spider is None or not self.crawler.crawling:
            return
        now = time.monotonic()
        for watch_id, started in list(self.in_flight.items()):
            if now - started > self.lease_seconds:  # lost without a result; its lease has expired
                del self.in_flight[watch_id]
        free = self.max_in_flight - len(self.in_flight)
        if free <= 0:
            return
        for watch in self.store.watches.lease_due(limit=free, lease_seconds=self.lease_seconds):
            self.in_flight[watch.id] = now
            self.crawler.engine.crawl(self.spider.request_for(watch))

    def _item_done(self, item: PageFetch, **_: Any) -> None:
        self.in_flight.pop(item.watch_id, None)

    def _item_failed(self, item: PageFetch, failure=None, **_: Any) -> None:
        self.in_flight.pop(item.watch_id, None)
        logger.error(
            "%s %s: could not record the check: %s",
            item.watch_id,
            item.url,
            failure.value if failure else "?",
        )


def _now_tz():
    from datetime import datetime

    return datetime.now(UTC)
