"""scrapy-redis's scheduler, cheap when idle and carrying on through a Redis restart.

The worker's requests wait in its own scrapy-redis queue (``editwatch:requests:NAME``).
Only this worker fills that queue, so it counts what it put there and does not ask Redis
when the count is zero (Scrapy asks for the next request many times per response). While
Redis is unreachable, requests wait in memory instead and are served first when it comes
back: a restart of Redis delays checks, it does not drop them.
"""

from __future__ import annotations

import logging
from collections import deque

import redis
from scrapy import Request
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger("editwatch.worker")


class ResilientRedisScheduler(Scheduler):
    """:class:`scrapy_redis.scheduler.Scheduler` with a count of its queue and a memory queue for outages."""

    def open(self, spider):
        self.held: deque[Request] = deque()
        self.queued = 0  # requests this worker put in its Redis queue and has not taken back
        self.failing = False
        result = super().open(spider)
        try:
            self.queued = len(self.queue)
        except redis.RedisError:
            self.queued = 0
        return result

    def enqueue_request(self, request: Request) -> bool:
        try:
            added = super().enqueue_request(request)
        except redis.RedisError as exc:
            self._failed(exc)
            self.held.append(request)
            return True
        self.queued += int(bool(added))
        return added

    def next_request(self) -> Request | None:
        if self.held:
            return self.held.popleft()
        if self.queued <= 0:
            return None
        try:
            request = super().next_request()
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        except (ValueError, TypeError, KeyError) as exc:  # an entry that is not a check request: skipped
            logger.warning("dropped a queued entry that is not a check request: %s", exc)
            self.queued -= 1
            return None
        if self.failing:
            logger.info("the request queue in Redis is reachable again")
        self.failing = False
        # None: the queue was lost with a Redis restart (the coordinator hands those checks out again).
        self.queued = self.queued - 1 if request is not None else 0
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.held) or self.queued > 0

    def __len__(self) -> int:
        return len(self.held) + max(self.queued, 0)

    def close(self, reason):
        try:
            return super().close(reason)
        except redis.RedisError:
            return None

    def _failed(self, exc: Exception) -> None:
        if not self.failing:
            logger.warning("the request queue in Redis is unreachable (%s); holding requests in memory", exc)
        self.failing = True
