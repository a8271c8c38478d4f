"""Running one crawl worker: the crawler with its Redis components, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
from typing import Any

import redis
from scrapy.crawler import AsyncCrawlerProcess

from crawler.cluster import keys
from crawler.cluster.membership import new_worker_name
from crawler.cluster.settings import worker_settings
from crawler.cluster.spider import WorkerSpider

logger = logging.getLogger("editwatch.worker")


class WorkerError(Exception):
    """The worker cannot start (Redis unreachable, say)."""


def run_worker(
    config: dict[str, Any], redis_url: str, *, prefetch: int = 64, log_level: str = "INFO"
) -> None:
    """Take check tasks from Redis and push their results back until stopped."""
    try:
        keys.connect(redis_url).ping()
    except redis.RedisError as exc:
        raise WorkerError(f"cannot reach Redis at {redis_url}: {exc}") from None
    name = new_worker_name()
    settings = worker_settings(config, redis_url, name, prefetch)
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    for quiet in ("scrapy", "twisted", "scrapy_redis"):
        logging.getLogger(quiet).setLevel(max(logging.WARNING, logging.getLevelName(log_level)))
    logger.info("editwatch worker %s taking checks from %s", name, redis_url)
    process.crawl(WorkerSpider)
    process.start()
    logger.info("editwatch worker %s stopped", name)
