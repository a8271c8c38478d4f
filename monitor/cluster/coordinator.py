"""The coordinator: the daemon with its crawl on workers elsewhere, recording what they send back.

It is :class:`monitor.daemon.runner.Daemon` with two things changed. Due watches are leased as
always but pushed to Redis, each site to the one live worker that takes it
(:func:`crawler.cluster.membership.site_owner`; a site stays with its worker while it has
checks in flight, so its per-site limit holds across workers). And results come back
through Redis and go through the same pipelines as the daemon's own crawl (extraction
when the worker could not settle the page, then ``RecordCheckPipeline``), in this one
process: the single writer. Everything else (alerts, jobs, catch-up) is the daemon's.

Results a worker settled (unchanged pages) are recorded many to a SQLite transaction
(:mod:`monitor.cluster.batch`). Faults: a result stays in Redis until the transaction that
records it has committed (read, recorded, then trimmed), and one seen twice is recorded once (its fetch time is already a check of the watch). A
worker that stops beating has its checks handed out again at once; one that hangs
has them handed out when their lease expires. Redis going away pauses the hand-out and
the recording; both carry on when it is back.
"""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.cluster import keys
from crawler.cluster.membership import live_workers, site_owner
from crawler.cluster.protocol import CheckTask, decode_result, rules_key
from crawler.items import PageFetch
from monitor.changes.pipeline import RecordCheckPipeline
from monitor.cluster.batch import RECORD_BATCH, record_batch, settled
from monitor.daemon.crawl import PIPELINES
from monitor.daemon.runner import Daemon, DaemonError
from storage import Store, Watch
from storage.errors import StorageError
from storage.receipts import check_recorded
from storage.regions import LearnedRegion

logger = logging.getLogger("editwatch.daemon")

# How many results are collected at a time (every round, before the hand-out).
DRAIN_BATCH = 500
# How long the list of live workers is trusted: one SCAN of Redis a second, not one a round.
WORKERS_SECONDS = 1.0


@dataclass
class HandedOut:
    """A check handed to a worker and not yet recorded."""

    token: str
    worker: str
    site: str
    at: float  # monotonic


class Coordinator(Daemon):
    """``editwatch run`` with a Redis URL: leases due work to crawl workers and records their results."""

    def __init__(
        self, db_path: str, config: dict[str, Any], options: dict[str, Any], *, verbose: bool = False
    ):
        super().__init__(db_path, config, verbose=verbose)
        self.redis_url = options["redis"]
        self.redis = keys.connect(self.redis_url)
        self.prefetch = options["prefetch"]
        self.cluster_lease = options["lease_seconds"]
        self.rules_key = rules_key(config)
        self.handed: dict[int, HandedOut] = {}
        self.site_checks: dict[str, tuple[str, int]] = {}  # site -> (its worker, its checks handed out)
        self.workers: list[str] = []
        self.recorders: list[Any] = []
        self.writer: Store | None = None
        self.batch_recorders: list[Any] = []
        self._redis_down = False
        self._workers_at = 0.0  # monotonic time of the last look at the live workers
        # A hand-out's token: this run's random prefix and a count (unique across restarts, cheaper than uuids).
        self._token_prefix, self._handouts = uuid.uuid4().hex[:8], itertools.count()

    def _run(self) -> None:
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            raise DaemonError(f"cannot reach Redis at {self.redis_url}: {exc}") from None
        super()._run()

    def _spider_opened(self, spider: Any) -> None:
        super()._spider_opened(spider)
        self.lease_seconds = self.cluster_lease
        order = sorted((n, p) for p, n in PIPELINES.items() if n is not None)
        self.recorders = [build_from_crawler(load_object(path), self.crawler) for _, path in order]
        # Settled results are recorded in batches on the recording pipeline's own connection.
        self.writer = next((r.store for r in self.recorders if isinstance(r, RecordCheckPipeline)), None)
        self.batch_recorders = [r for r in self.recorders if isinstance(r, RecordCheckPipeline)]
        logger.info("coordinating crawl workers through %s", self.redis_url)

    # -- handing out -------------------------------------------------------------

    async def _feed(self) -> None:
        """One round: record the results waiting, then hand out due work in the room they freed."""
        # One job, not two: a round's fixed costs (a wake-up, a look at Redis) are paid once.
        await self._drain()
        if self.stopping or self.store is None:
            return
        now = time.monotonic()
        if now - self._workers_at >= WORKERS_SECONDS or not self.workers:
            try:
                workers = live_workers(self.redis)
            except redis.RedisError as exc:
                self._redis_failed(exc)
                return
            self._workers_at = now
            self._workers_changed(workers)
        workers = self.workers
        if not workers:
            return
        for watch_id, out in list(self.handed.items()):
            if now - out.at > self.lease_seconds:  # its lease expired: lease_due hands it out again
                self._forget(watch_id)
        self.capacity = len(workers) * self.prefetch * 2
        free = self.capacity - len(self.handed)
        if free <= 0:
            return
        try:
            due = self.store.watches.lease_due(limit=free, lease_seconds=self.lease_seconds)
        except StorageError as exc:
            logger.error("cannot look up due watches: %s", exc)
            return
        self._backlog = len(due) == free
        by_worker: dict[str, list[bytes]] = {}
        handed: list[int] = []
        regions = self._regions([watch.id for watch in due])
        for watch in due:
            if watch.id in self.handed:
                continue
            site = urlsplit(watch.url).hostname or ""
            out = HandedOut(
                f"{self._token_prefix}{next(self._handouts):08x}", self._worker_for(site, workers), site, now
            )
            by_worker.setdefault(out.worker, []).append(self._task(watch, out.token, regions).encode())
            self.handed[watch.id] = out
            self.site_checks[site] = (out.worker, self.site_checks.get(site, (out.worker, 0))[1] + 1)
            self.in_flight[watch.id] = now
            handed.append(watch.id)
        try:
            pipe = self.redis.pipeline(transaction=False)
            for worker, tasks in by_worker.items():
                pipe.rpush(keys.TASKS.format(worker=worker), *tasks)
            pipe.execute()
        except redis.RedisError as exc:
            self._redis_failed(exc)
            for watch_id in handed:
                self._forget(watch_id)
            self.store.watches.release(handed)
            return
        self._redis_back()

    def _worker_for(self, site: str, workers: list[str]) -> str:
        """The worker already fetching this site, else the site's owner among the live workers."""
        current = self.site_checks.get(site)
        if current is not None and current[0] in workers:
            return current[0]
        return site_owner(site, workers)

    def _regions(self, watch_ids: list[int]) -> dict[int, LearnedRegion]:
        """The learnt regions of the watches about to be handed out, in one query (none if it fails)."""
        try:
            return self.store.regions.for_checks(watch_ids) if self.store else {}
        except StorageError:
            return {}

    def _task(self, watch: Watch, token: str, regions: dict[int, LearnedRegion]) -> CheckTask:
        region = None
        stored = regions.get(watch.id)
        if stored is not None:
            region = {
                "recipe": stored.recipe, "fingerprint": stored.fingerprint,
                "content_hash": stored.content_hash, "learned_at": stored.learned_at,
            }  # fmt: skip
        return CheckTask(
            watch_id=watch.id, url=watch.url, token=token, etag=watch.etag,
            last_modified=watch.last_modified, region=region, rules_key=self.rules_key,
        )  # fmt: skip

    def _workers_changed(self, workers: list[str]) -> None:
        """Hand out again at once the checks of workers that left."""
        gone = set(self.workers) - set(workers)
        self.workers = workers
        if not gone:
            return
        lost = [wid for wid, out in self.handed.items() if out.worker in gone]
        for watch_id in lost:
            self._forget(watch_id)
        if self.store is not None:
            self.store.watches.release(lost)
        try:
            for worker in gone:
                self.redis.delete(keys.TASKS.format(worker=worker), keys.REQUESTS.format(worker=worker))
        except redis.RedisError:
            pass
        logger.warning("worker %s left: %d checks handed out again", ", ".join(sorted(gone)), len(lost))

    def _forget(self, watch_id: int) -> None:
        out = self.handed.pop(watch_id, None)
        self.in_flight.pop(watch_id, None)
        if out is not None:
            worker, count = self.site_checks.get(out.site, (out.worker, 1))
            if count <= 1:
                self.site_checks.pop(out.site, None)
            else:
                self.site_checks[out.site] = (worker, count - 1)

    # -- recording ---------------------------------------------------------------

    async def _drain(self) -> None:
        """Record the results waiting in Redis; trim them only once recorded."""
        if self.store is None or not self.recorders:
            return
        while True:
            try:
                batch = self.redis.lrange(keys.RESULTS, 0, DRAIN_BATCH - 1)
            except redis.RedisError as exc:
                self._redis_failed(exc)
                return
            self._record_all(batch)
            if not batch:
                return
            try:
                self.redis.ltrim(keys.RESULTS, len(batch), -1)
            except redis.RedisError as exc:
                self._redis_failed(exc)  # read again later: recognised as recorded
                return
            if len(batch) < DRAIN_BATCH:
                return

    def _record_all(self, batch: list[bytes]) -> None:
        """Record results in their order: runs of settled ones a transaction each, any other alone."""
        run: list[tuple[PageFetch, str]] = []
        for data in batch:
            try:
                item, token, _worker = decode_result(data)
            except ValueError as exc:
                logger.warning("dropped a result that cannot be read: %s", exc)
                continue
            if settled(item) and self.writer is not None:
                run.append((item, token))
                if len(run) >= RECORD_BATCH:
                    self._record_run(run)
                    run = []
                continue
            self._record_run(run)  # first what came before it, so a watch's results keep their order
            run = []
            self._record(item, token)
        self._record_run(run)

    def _record_run(self, run: list[tuple[PageFetch, str]]) -> None:
        """Record settled results in one transaction; a hand-out ends only once it has committed."""
        if not run:
            return
        assert self.writer is not None
        done = record_batch(self.writer, run, self.batch_recorders, self._duplicate)
        self.counters["duplicate"] += done.duplicates
        for item, why in done.failed:
            logger.error("%s %s: could not record the check: %s", item.watch_id, item.url, why)
            self._forget(item.watch_id)
        for item, token in done.recorded:
            out = self.handed.get(item.watch_id)
            if out is not None and out.token == token:
                self._forget(item.watch_id)
            self._checked(item)

    def _duplicate(self, item: PageFetch, token: str) -> bool:
        """Whether a result whose hand-out is not the one pending here was recorded already."""
        out = self.handed.get(item.watch_id)
        return (out is None or out.token != token) and self._seen(item)

    def _record(self, item: PageFetch, token: str) -> None:
        out = self.handed.get(item.watch_id)
        if self._duplicate(item, token):
            self.counters["duplicate"] += 1
            return
        try:
            for recorder in self.recorders:
                item = recorder.process_item(item)
        except DropItem:
            pass
        except Exception as exc:  # one bad result must not stop the coordinator
            logger.error(
                "%s %s: could not record the check: %s: %s", item.watch_id, item.url, type(exc).__name__, exc
            )
            self._forget(item.watch_id)
            return
        if out is not None and out.token == token:
            self._forget(item.watch_id)
        if isinstance(item, PageFetch):
            self._checked(item)

    def _seen(self, item: PageFetch) -> bool:
        assert self.store is not None
        try:
            return check_recorded(self.store, item.watch_id, item.fetched_at)
        except StorageError:
            return False

    def _redis_failed(self, exc: Exception) -> None:
        if not self._redis_down:
            logger.warning("cannot reach Redis (%s); carrying on when it is back", exc)
        self._redis_down = True

    def _redis_back(self) -> None:
        if self._redis_down:
            logger.info("Redis is reachable again")
        self._redis_down = False
