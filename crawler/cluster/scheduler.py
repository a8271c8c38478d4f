"""scrapy-redis's scheduler, carrying on through a Redis restart.

The worker's requests wait in its own scrapy-redis queue (``editwatch:requests:NAME``).
While Redis is unreachable, requests wait in memory instead and are served first when
it comes back: a restart of Redis delays checks, it does not drop them.
"""

from __future__ import annotations

import logging
from collections import deque

import redis
from scrapy import Request
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger("editwatch.worker")


class ResilientRedisScheduler(Scheduler):
    """:class:`scrapy_redis.scheduler.Scheduler` with a memory queue for while Redis is away."""

    def open(self, spider):
        self.held: deque[Request] = deque()
        self.failing = False
        return super().open(spider)

    def enqueue_request(self, request: Request) -> bool:
        try:
            return super().enqueue_request(request)
        except redis.RedisError as exc:
            self._failed(exc)
            self.held.append(request)
            return True

    def next_request(self) -> Request | None:
        if self.held:
            return self.held.popleft()
        try:
            request = super().next_request()
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        self.failing = False
        return request

    def has_pending_requests(self) -> bool:
        if self.held:
            return True
        try:
            return super().has_pending_requests()
        except redis.RedisError:
            return False

    def __len__(self) -> int:
        try:
            return super().__len__() + len(self.held)
        except redis.RedisError:
            return len(self.held)

    def close(self, reason):
        try:
            return super().close(reason)
        except redis.RedisError:
            return None

    def _failed(self, exc: Exception) -> None:
        if not self.failing:
            logger.warning("the request queue in Redis is unreachable (%s); holding requests in memory", exc)
        self.failing = True
