"""The worker's article spider: check tasks from Redis in, fetches out, no database.

It is the article spider (same requests, callbacks and items) whose ``start()`` takes
its work from the worker's task list in Redis instead of the database and hands it to
the engine as the daemon does its own, and never ends: the worker runs until it is stopped. It holds at most ``prefetch`` tasks at a time, so
that a worker that dies loses few, and a busy one does not hoard work others could do.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import redis
from scrapy import Request
from scrapy.crawler import Crawler

from crawler.cluster import keys
from crawler.cluster.protocol import CheckTask, ClusterFetch
from crawler.spiders.article import ArticleSpider

logger = logging.getLogger("editwatch.worker")

# How long an idle worker waits before looking for tasks again.
IDLE_POLL_SECONDS = 0.1


class WorkerSpider(ArticleSpider):
    """The article spider of ``editwatch worker``."""

    name = "article-worker"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args, **kwargs):
        # Not ArticleSpider's: a worker opens no database.
        spider = cls(*args, **kwargs)
        spider._set_crawler(crawler)
        spider.server = keys.connect(crawler.settings["EDITWATCH_REDIS_URL"])
        spider.tasks_key = keys.TASKS.format(worker=crawler.settings["EDITWATCH_WORKER_NAME"])
        spider.prefetch = crawler.settings.getint("EDITWATCH_WORKER_PREFETCH", 64)
        spider.outstanding = 0
        return spider

    async def start(self) -> AsyncIterator[Request]:
        failing = False
        while True:
            room = self.prefetch - self.outstanding
            batch: list[bytes] = []
            if room > 0:
                try:
                    batch = self.server.lpop(self.tasks_key, room) or []
                    if failing:
                        logger.info("Redis is reachable again")
                    failing = False
                except redis.RedisError as exc:
                    if not failing:
                        logger.warning("cannot take tasks from Redis: %s; retrying", exc)
                    failing = True
            for data in batch:
                try:
                    task = CheckTask.decode(data)
                except (ValueError, TypeError) as exc:
                    logger.warning("dropped a malformed task: %s", exc)
                    continue
                self.outstanding += 1
                # Straight to the engine, as the daemon feeds its own: Scrapy's processing of
                # start requests (through every spider middleware, one at a time) is not paid per check.
                self.crawler.engine.crawl(self.request_for_task(task))
            await asyncio.sleep(0 if batch else IDLE_POLL_SECONDS if not failing else 1.0)
        yield  # never reached: start() is an asynchronous generator that yields no request itself

    def request_for_task(self, task: CheckTask) -> Request:
        """The request that checks one task's watch (as :meth:`request_for` builds it from a watch)."""
        return self.check_request(
            task.watch_id, task.url, task.etag, task.last_modified, task=task.encode().decode()
        )

    def _item(self, meta: dict, status: int | None) -> ClusterFetch:
        # Every request ends in exactly one item: it frees a place for the next task.
        self.outstanding = max(0, self.outstanding - 1)
        return ClusterFetch(
            watch_id=meta["watch_id"],
            url=meta["watch_url"],
            fetched_at=meta["fetched_at"],
            status=status,
            duration_ms=int((time.monotonic() - meta["started"]) * 1000),
            task=CheckTask.decode(meta["task"].encode()),
        )

    def close_store(self, spider=None) -> None:
        pass  # no database
