"""``editwatch run``: one long-lived Scrapy crawler, fed due watches by APScheduler on the same loop.

APScheduler's ``AsyncIOScheduler`` runs ``async def`` jobs on the asyncio loop
that Scrapy's reactor runs on, so jobs may call ``engine.crawl`` directly (a
``TwistedScheduler`` would run them in a thread pool, which the engine does not
allow). The spider stays open by raising ``DontCloseSpider`` when idle. Other
features add their own periodic jobs through :mod:`monitor.daemon.jobs`.

Shutdown (SIGTERM or SIGINT): no new work is taken, the checks in flight get
the download timeout (plus a little) to finish and be recorded, then the
process exits 0. Whatever is still in flight by then is abandoned: its watch
is released and checked again after the restart. A second signal abandons at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.ossignal import install_shutdown_handlers, signal_names

from crawler.items import PageFetch
from crawler.spiders.article import ArticleSpider
from monitor.changes.catchup import process_pending
from monitor.daemon.crawl import build_settings
from monitor.daemon.jobs import DaemonJob, JobContext, configured_jobs
from monitor.daemon.lock import DaemonAlreadyRunning, DaemonLock
from monitor.daemon.logs import install_daemon_logging
from monitor.daemon.options import DaemonConfigError, DaemonError, daemon_options
from monitor.daemon.schedule import SchedulePolicy
from storage import Store, clock
from storage.errors import StorageError

__all__ = ["Daemon", "DaemonAlreadyRunning", "DaemonConfigError", "DaemonError", "DaemonLock"]

logger = logging.getLogger("editwatch.daemon")

# Extra time, beyond the download timeout, that a graceful stop may take.
SHUTDOWN_GRACE_SECONDS = 5.0
# A request that produced no result for this long is forgotten (and reported): it is lost.
LOST_REQUEST_SECONDS = 30 * 60


class Daemon:
    """Checks every watch when it falls due, until SIGINT or SIGTERM.

    ``add_job`` adds a periodic job for this run and ``on_check`` a callback for
    every recorded check (both before :meth:`run`); :mod:`monitor.daemon.jobs` adds
    jobs to every daemon.
    """

    def __init__(self, db_path: str, config: dict[str, Any], *, verbose: bool = False):
        self.db_path = db_path
        self.config = config
        self.verbose = verbose
        options = daemon_options(config)
        self.poll_seconds = options["poll_seconds"]
        try:
            self.policy = SchedulePolicy.from_config(config)
            self.jobs: list[DaemonJob] = configured_jobs(config)
        except ValueError as exc:
            raise DaemonConfigError(str(exc)) from None
        self.check_listeners: list[Callable[[PageFetch], None]] = []
        self.lock = DaemonLock(db_path)
        self.store: Store | None = None
        self.crawler = None
        self.spider: ArticleSpider | None = None
        self.scheduler: AsyncIOScheduler | None = None
        self.in_flight: dict[int, float] = {}  # watch ID -> when its request was handed to the crawler
        self.counters: Counter[str] = Counter()  # check outcomes since the daemon started
        self.capacity = 0
        self.lease_seconds = 0.0
        self.stopping = False
        self.failure: str | None = None
        self._shutdown_deadline = 0.0
        self._running_jobs: set[asyncio.Task] = set()
        self._last_feed = 0.0
        self._backlog = False  # the last feed had more due watches than room for them
        self._feed_scheduled = False
        self._tasks: set[asyncio.Task] = set()  # tasks we started (asyncio keeps only weak references)

    # -- extension points ------------------------------------------------------

    def add_job(self, job: DaemonJob) -> None:
        """Run ``job`` periodically in this daemon (call before :meth:`run`)."""
        self.jobs.append(job)

    def on_check(self, callback: Callable[[PageFetch], None]) -> None:
        """Call ``callback(item)`` after every recorded check (call before :meth:`run`)."""
        self.check_listeners.append(callback)

    def request_stop(self) -> None:
        """Stop gracefully, as SIGTERM does (safe to call from any thread)."""
        from twisted.internet import reactor

        reactor.callFromThread(self._begin_shutdown, None)

    # -- running -----------------------------------------------------------------

    def run(self) -> None:
        """Run in the foreground; returns after a graceful shutdown, raises :class:`DaemonError` on failure."""
        self.lock.acquire()
        try:
            self._run()
        finally:
            if self.store is not None:
                # Watches whose checks were abandoned are due again at once.
                self.store.watches.release(list(self.in_flight))
                self.store.close()
            self.lock.release()
        if self.failure:
            raise DaemonError(self.failure)

    def _run(self) -> None:
        settings = build_settings(
            self.db_path,
            self.config,
            log_level="DEBUG" if self.verbose else "INFO",
            # Our own handler, not Scrapy's: its start-up banner spans many lines.
            LOG_INSTALL_ROOT_HANDLER=False,
        )
        timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        self._shutdown_deadline = timeout + SHUTDOWN_GRACE_SECONDS
        # Enough queued to keep every download slot busy, not so much that leases go stale.
        self.capacity = settings.getint("CONCURRENT_REQUESTS") * 2
        self.lease_seconds = timeout * (settings.getint("RETRY_TIMES") + 1) + 60
        process = AsyncCrawlerProcess(settings)
        install_daemon_logging(self.verbose)
        self.crawler = process.create_crawler(ArticleSpider)
        # Scrapy holds receivers weakly: bound methods of this long-lived object are safe.
        self.crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)
        self.crawler.signals.connect(self._checked, signal=signals.item_scraped)
        self.crawler.signals.connect(self._check_failed, signal=signals.item_error)

        self.store = Store(self.db_path)
        # Nothing is in flight before we start: leases left by a killed daemon are void.
        self.store.watches.release_all_leases()
        # Checks a crawler stored on its own (or before a crash) become changes and alerts first.
        process_pending(self.store, self.config)
        self._catch_up("at start-up")
        counts = self.store.watches.count_by_state()
        logger.info(
            "editwatch daemon started on %s: %d watches (%s), pid %d",
            self.db_path,
            sum(counts.values()),
            ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none yet",
            os.getpid(),
        )
        if not counts:
            logger.info(
                "no watches yet: add some with `editwatch add URL`; the daemon picks them up as they come"
            )
        if "contact" not in self.config.get("fetch", {}) and "user_agent" not in self.config.get("fetch", {}):
            logger.info('tip: set [fetch] contact = "mailto:you@example.org" so sites can reach you')

        crawl = process.crawl(self.crawler, daemon="1")
        crawl.add_done_callback(self._crawl_ended)
        install_shutdown_handlers(self._on_signal)
        process.start(stop_after_crawl=False, install_signal_handlers=False)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        logger.info(
            "editwatch daemon stopped: %d checks this run (%s)",
            sum(self.counters.values()),
            ", ".join(f"{n} {k}" for k, n in sorted(self.counters.items())) or "none",
        )

    def _spider_opened(self, spider: ArticleSpider) -> None:
        self.spider = spider
        self.scheduler = AsyncIOScheduler(event_loop=asyncio.get_event_loop())
        now = datetime.now(UTC)
        # Never two runs of a job at once; a run delayed by a busy loop is still made, once.
        options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        self.scheduler.add_job(
            self._feed,
            "interval",
            seconds=self.poll_seconds,
            id="feed-due-watches",
            next_run_time=now,
            **options,
        )
        for job in self.jobs:
            # (APScheduler reads next_run_time=None as "paused": leave it out to follow the trigger.)
            first = {"next_run_time": now} if job.run_at_start else {}
            self.scheduler.add_job(
                self._job_runner(job), "interval", seconds=job.every, id=job.name, **first, **options
            )
        self.scheduler.start()

    def _job_runner(self, job: DaemonJob) -> Callable[[], Any]:
        assert self.store is not None
        context = JobContext(
            store=self.store,
            config=self.config,
            db_path=self.db_path,
            is_stopping=lambda: self.stopping,
            counters=self.counters,
            spider=self.spider,
            submit=self.crawler.engine.crawl if self.crawler is not None else None,
        )

        async def run_job() -> None:
            if self.stopping:
                return
            task = asyncio.current_task()
            if task is not None:
                self._running_jobs.add(task)
            try:
                await job.run(context)
            except Exception as exc:  # one failed run must not stop the daemon
                logger.error("daemon job %s failed: %s: %s", job.name, type(exc).__name__, exc)
            finally:
                if task is not None:
                    self._running_jobs.discard(task)

        return run_job

    # -- feeding the crawler ---------------------------------------------------------

    async def _feed(self) -> None:
        """Lease due watches up to the free capacity and hand them to the engine."""
        if self.stopping or self.crawler is None or self.spider is None or not self.crawler.crawling:
            return
        assert self.store is not None
        now = time.monotonic()
        # The wall clock, not the monotonic one: only it advances while the machine sleeps.
        wall = time.time()
        if self._last_feed and wall - self._last_feed > max(60.0, 10 * self.poll_seconds):
            self._catch_up(f"after a {wall - self._last_feed:.0f} s pause (was the machine asleep?)")
        self._last_feed = wall
        for watch_id, started in list(self.in_flight.items()):
            if now - started > LOST_REQUEST_SECONDS:
                logger.warning("%s: no result after %d s; checking it again", watch_id, LOST_REQUEST_SECONDS)
                del self.in_flight[watch_id]
        free = self.capacity - len(self.in_flight)
        if free <= 0:
            return
        try:
            due = self.store.watches.lease_due(limit=free, lease_seconds=self.lease_seconds)
        except StorageError as exc:  # e.g. another process held the write lock too long: try next time
            logger.error("cannot look up due watches: %s", exc)
            return
        self._backlog = len(due) == free
        # A watch still queued in the crawler is not requested again: the new lease just extends the old one.
        due = [watch for watch in due if watch.id not in self.in_flight]
        for watch, request in zip(due, self.spider.requests_for(due), strict=True):
            self.in_flight[watch.id] = now
            self.crawler.engine.crawl(request)

    def _feed_soon(self) -> None:
        """With a backlog, refill as soon as half the room is free instead of at the next poll."""
        if not self._backlog or self._feed_scheduled or self.stopping:
            return
        if len(self.in_flight) > self.capacity // 2:
            return
        self._feed_scheduled = True

        async def feed() -> None:
            self._feed_scheduled = False
            await self._feed()

        self._tasks.add(task := asyncio.get_event_loop().create_task(feed()))
        task.add_done_callback(self._tasks.discard)

    def _catch_up(self, why: str) -> None:
        """Spread a backlog of overdue watches out instead of firing it all at once."""
        assert self.store is not None
        now = clock.utcnow()
        if self.store.watches.count_due(clock.to_text(now)) <= self.capacity:
            return  # no more than the crawler takes at once: no backlog
        # A batch at a time: a hundred thousand overdue watches need not all be in memory at once.
        spread, last, after = 0, "", 0
        while batch := self.store.watches.overdue(clock.to_text(now), after_id=after, limit=5000):
            times = self.policy.catch_up_times(batch, now, burst=0)
            self.store.watches.reschedule(times)
            spread, last, after = spread + len(times), max([last, *times.values()]), batch[-1].id
        if spread:
            logger.info(
                "%d watches were overdue %s: spreading their checks until %s", spread, why, last[11:19]
            )

    def _checked(self, item: Any, **_: Any) -> None:
        if not isinstance(item, PageFetch):
            return  # a source's listing: not a check of a watch
        self._landed(item)
        self.counters[item.outcome or "unknown"] += 1
        self._feed_soon()
        for listener in self.check_listeners:
            try:
                listener(item)
            except Exception as exc:  # a listener must not break recording
                logger.error("check listener failed: %s: %s", type(exc).__name__, exc)

    def _check_failed(self, item: Any, failure: Any = None, **_: Any) -> None:
        if not isinstance(item, PageFetch):
            return
        self._landed(item)
        self.counters["unrecorded"] += 1
        self._feed_soon()
        reason = failure.value if failure is not None else "unknown error"
        logger.error("%s %s: could not record the check: %s", item.watch_id, item.url, reason)

    def _landed(self, item: PageFetch) -> None:
        self.in_flight.pop(item.watch_id, None)
        if item.merged_from is not None:  # fetched for a duplicate, recorded on the watch it joined
            self.in_flight.pop(item.merged_from, None)

    # -- stopping ----------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: Any) -> None:
        # Runs in a signal handler: only hand work to the loop (logging here could deadlock).
        from twisted.internet import reactor

        if self.stopping:
            install_shutdown_handlers(signal.SIG_IGN)
            reactor.callFromThread(self._abandon, f"{signal_names.get(signum, signum)} received again")
        else:
            reactor.callFromThread(self._begin_shutdown, signum)

    def _begin_shutdown(self, signum: int | None) -> None:
        if self.stopping:
            return
        self.stopping = True
        from twisted.internet import reactor

        what = f"received {signal_names.get(signum, signum)}" if signum else "stop requested"
        logger.info(
            "%s: taking no new work; waiting up to %.0f s for %d checks in flight",
            what,
            self._shutdown_deadline,
            len(self.in_flight),
        )
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()
        reactor.callLater(self._shutdown_deadline, self._abandon, "shutdown time limit reached")
        self._tasks.add(asyncio.get_event_loop().create_task(self._shutdown()))

    async def _shutdown(self) -> None:
        # Scrapy's graceful stop: nothing new leaves its queue, downloads in progress finish
        # and their items are recorded. Running jobs finish meanwhile.
        waiting: list[asyncio.Future] = list(self._running_jobs)
        if self.crawler is not None and self.crawler.crawling:
            waiting.append(asyncio.ensure_future(self.crawler.stop_async()))
        if waiting:
            await asyncio.wait(waiting)
        self._stop_reactor()

    def _abandon(self, why: str) -> None:
        logger.warning(
            "%s: abandoning %d checks still in flight (they will be retried)", why, len(self.in_flight)
        )
        if self.crawler is not None:
            # Otherwise the reactor's own shutdown trigger would wait for the crawler again.
            self.crawler.crawling = False
        self._stop_reactor()

    def _crawl_ended(self, task: asyncio.Future) -> None:
        if self.stopping:
            return
        error = task.exception() if not task.cancelled() else None
        self.failure = f"the crawler stopped unexpectedly: {error or 'closed'}"
        logger.error("%s", self.failure)
        self.stopping = True
        self._stop_reactor()

    def _stop_reactor(self) -> None:
        from twisted.internet import reactor

        if reactor.running:
            reactor.stop()
