"""The worker's last pipeline: each fetch goes back to the coordinator through Redis.

Where a crawler alone stores its snapshot in SQLite (``StoreSnapshotPipeline``), a
worker pushes it to the results list; the coordinator, the single writer, records it.
Results go in batches, every :data:`PUSH_SECONDS` (one round trip for many checks); while
Redis is unreachable they wait in memory, in order, and go as soon as it is back.
"""

from __future__ import annotations

import logging
from collections import deque

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet.task import LoopingCall

from crawler.cluster import keys
from crawler.cluster.protocol import ClusterFetch, encode_result

logger = logging.getLogger("editwatch.worker")

# How long a result may wait to travel with others.
PUSH_SECONDS = 0.05


class PushResultPipeline:
    """Push each fetch's result to ``editwatch:results``."""

    def __init__(self, server: redis.Redis, worker: str):
        self.server = server
        self.worker = worker
        self.waiting: deque[bytes] = deque()
        self.failing = False
        self.loop = LoopingCall(self.flush)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PushResultPipeline:
        pipeline = cls(
            keys.connect(crawler.settings["EDITWATCH_REDIS_URL"]), crawler.settings["EDITWATCH_WORKER_NAME"]
        )
        crawler.signals.connect(pipeline.opened, signal=signals.spider_opened)
        return pipeline

    def opened(self) -> None:
        self.loop.start(PUSH_SECONDS, now=False)

    def close_spider(self, spider=None) -> None:
        if self.loop.running:
            self.loop.stop()
        self.flush()
        if self.waiting:
            logger.warning(
                "%d results could not reach Redis; their checks will be made again", len(self.waiting)
            )

    def process_item(self, item):
        if not isinstance(item, ClusterFetch) or item.task is None:
            return item
        self.waiting.append(encode_result(item, item.task.token, self.worker))
        item.raw = item.html = item.headers = None
        return item

    def flush(self) -> None:
        """Push what waits, oldest first (an unreachable Redis leaves it for the next call)."""
        if not self.waiting:
            return
        try:
            self.server.rpush(keys.RESULTS, *self.waiting)
        except redis.RedisError as exc:
            if not self.failing:
                logger.warning(
                    "cannot push results to Redis (%d waiting): %s; retrying", len(self.waiting), exc
                )
            self.failing = True
            return
        if self.failing:
            logger.info("Redis is reachable again: %d results pushed", len(self.waiting))
        self.failing = False
        self.waiting.clear()
