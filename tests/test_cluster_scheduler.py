"""A worker's request queue in Redis: many requests to a round trip, in order, and kept through an outage.

A real redis-server; the scheduler is the worker's own, built from the worker's settings.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.cluster.protocol import CheckTask
from crawler.cluster.scheduler import ResilientRedisScheduler
from crawler.cluster.settings import worker_settings
from crawler.cluster.spider import WorkerSpider
from tests.cluster_parts import needs_redis

pytestmark = needs_redis


def _calls(client, command: str) -> int:
    return client.info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0)


def _scheduler(redis_server):
    settings = worker_settings({}, redis_server.url, "test-worker", 16)
    crawler = Crawler(WorkerSpider, settings)  # not crawling: the scheduler alone, with its stats
    crawler.stats = StatsCollector(crawler)
    spider = WorkerSpider.from_crawler(crawler)
    scheduler = ResilientRedisScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return spider, scheduler


def test_requests_cross_redis_many_to_a_round_trip_in_order(redis_server):
    spider, scheduler = _scheduler(redis_server)
    client = redis_server.client()
    requests = [
        spider.request_for_task(CheckTask(n, f"https://news.example/{n}", f"t{n}")) for n in range(10)
    ]
    pushes, takes = _calls(client, "lpush"), _calls(client, "rpop")
    for request in requests:
        assert scheduler.enqueue_request(request)
    served = [scheduler.next_request() for _ in requests]
    assert [r.meta["watch_id"] for r in served] == list(range(10))
    # One push of all ten and one take of all ten: not a push and a take for each.
    assert (_calls(client, "lpush") - pushes, _calls(client, "rpop") - takes) == (1, 1)
    # Nothing left: asked again, it answers without Redis.
    assert scheduler.next_request() is None and not scheduler.has_pending_requests()
    assert _calls(client, "rpop") - takes == 1


def test_requests_enqueued_while_redis_is_down_are_served_from_memory(redis_server):
    spider, scheduler = _scheduler(redis_server)
    redis_server.stop()
    requests = [spider.request_for_task(CheckTask(n, f"https://news.example/{n}", f"t{n}")) for n in (1, 2)]
    for request in requests:
        assert scheduler.enqueue_request(request)
    assert [scheduler.next_request().meta["watch_id"] for _ in requests] == [1, 2]
    assert scheduler.next_request() is None
    redis_server.start()
    later = spider.request_for_task(CheckTask(3, "https://news.example/3", "t3"))
    scheduler.enqueue_request(later)
    assert scheduler.next_request().meta["watch_id"] == 3
