"""Which workers are alive, and which of them takes each site.

Every worker beats (a Redis key that expires, :class:`Heartbeat`). The coordinator
assigns each site to one live worker by rendezvous hashing (the highest hash of site and
worker wins), so a site is fetched by one worker at a time and its per-site limit holds
however many workers run; when a worker leaves, only its sites move.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
import uuid

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet.task import LoopingCall

from crawler.cluster import keys

logger = logging.getLogger("editwatch.worker")


def new_worker_name() -> str:
    """A name for this worker process, unique across machines and restarts."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def live_workers(server: redis.Redis) -> list[str]:
    """The names of the workers whose heartbeat has not expired."""
    prefix = keys.WORKER.format(worker="")
    return sorted(key.decode()[len(prefix) :] for key in server.scan_iter(match=prefix + "*", count=1000))


def site_owner(site: str, workers: list[str]) -> str:
    """The worker that takes ``site`` among ``workers`` (rendezvous hashing)."""
    return max(workers, key=lambda w: hashlib.blake2b(f"{site}\0{w}".encode(), digest_size=8).digest())


class Heartbeat:
    """A worker's heartbeat in Redis, every :data:`keys.HEARTBEAT_SECONDS` while it runs (an extension)."""

    def __init__(self, crawler: Crawler):
        self.server = keys.connect(crawler.settings["EDITWATCH_REDIS_URL"])
        self.name = crawler.settings["EDITWATCH_WORKER_NAME"]
        self.key = keys.WORKER.format(worker=self.name)
        self.started = time.time()
        self.failing = False
        self.loop = LoopingCall(self.beat)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Heartbeat:
        return cls(crawler)

    def opened(self) -> None:
        self.loop.start(keys.HEARTBEAT_SECONDS, now=True)

    def beat(self) -> None:
        """Say this worker is alive (an unreachable Redis is logged once, then retried)."""
        value = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": self.started})
        try:
            self.server.set(self.key, value, ex=keys.WORKER_TIMEOUT_SECONDS)
        except redis.RedisError as exc:
            if not self.failing:
                logger.warning("cannot reach Redis: %s; retrying", exc)
            self.failing = True
            return
        if self.failing:
            logger.info("Redis is reachable again")
        self.failing = False

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        try:
            self.server.delete(self.key)  # its sites move at once, not after the timeout
            self.server.delete(keys.TASKS.format(worker=self.name))
        except redis.RedisError:
            pass
