"""scrapy-redis's scheduler, a round trip per batch of requests, carrying on through a Redis restart.

The worker's requests wait in its own scrapy-redis queue (``editwatch:requests:NAME``),
encoded by that queue. Only this worker fills that queue, so it keeps count of what it put
there and never asks Redis when the count is zero (Scrapy asks for the next request many
times per response). It also meets Redis once for many requests rather than twice for
each: requests enqueued go to the queue together with the next take from it, in one
pipelined round trip, and a take brings back up to :data:`TAKE_AT_ONCE` requests, held in
order in memory until Scrapy asks for them. Those in memory die with the worker as its
downloads in progress do; the coordinator hands their checks out again either way. While
Redis is unreachable, requests wait in memory instead and are served first when it
comes back: a restart of Redis delays checks, it does not drop them.
"""

from __future__ import annotations

import logging
from collections import deque

import redis
from scrapy import Request
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger("editwatch.worker")

# Requests taken from the Redis queue in one round trip (a worker holds at most its prefetch).
TAKE_AT_ONCE = 64


class ResilientRedisScheduler(Scheduler):
    """:class:`scrapy_redis.scheduler.Scheduler` exchanging with its queue in batches, with an outage queue."""

    def open(self, spider):
        self.held: deque[Request] = deque()  # waiting out a Redis outage
        self.outgoing: list[Request] = []  # enqueued, to go to Redis with the next take
        self.taken: deque[Request] = deque()  # taken from Redis, oldest first
        self.queued = 0  # requests this worker put in its Redis queue and has not taken back
        self.failing = False
        result = super().open(spider)
        try:
            self.queued = len(self.queue)
        except redis.RedisError:
            self.queued = 0
        return result

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.outgoing.append(request)
        return True

    def next_request(self) -> Request | None:
        if self.held:
            return self.held.popleft()
        if not self.taken and (self.outgoing or self.queued > 0):
            self._exchange()
            if self.held:
                return self.held.popleft()
        if not self.taken:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return self.taken.popleft()

    def _exchange(self) -> None:
        """Push what was enqueued and take the oldest requests back, in one round trip."""
        outgoing, self.outgoing = self.outgoing, []
        try:
            pipe = self.server.pipeline(transaction=False)
            if outgoing:
                pipe.lpush(self.queue.key, *(self.queue._encode_request(r) for r in outgoing))
            pipe.rpop(self.queue.key, TAKE_AT_ONCE)
            replies = pipe.execute()
        except redis.RedisError as exc:
            self._failed(exc)
            self.held.extend(outgoing)  # whether they reached Redis or not: served from memory
            return
        if self.failing:
            logger.info("the request queue in Redis is reachable again")
        self.failing = False
        entries = replies[-1] or []
        # Fewer than asked for: the queue is empty now (after a Redis restart, what it held was
        # lost with it; the coordinator hands those checks out again).
        self.queued = (
            max(0, self.queued + len(outgoing) - len(entries)) if len(entries) == TAKE_AT_ONCE else 0
        )
        for data in entries:
            try:
                self.taken.append(self.queue._decode_request(data))
            except (ValueError, TypeError, KeyError) as exc:  # an entry that is not a check request
                logger.warning("dropped a queued entry that is not a check request: %s", exc)

    def has_pending_requests(self) -> bool:
        return bool(self.held or self.outgoing or self.taken) or self.queued > 0

    def __len__(self) -> int:
        return len(self.held) + len(self.outgoing) + len(self.taken) + max(self.queued, 0)

    def close(self, reason):
        try:
            return super().close(reason)
        except redis.RedisError:
            return None

    def _failed(self, exc: Exception) -> None:
        if not self.failing:
            logger.warning("the request queue in Redis is unreachable (%s); holding requests in memory", exc)
        self.failing = True
