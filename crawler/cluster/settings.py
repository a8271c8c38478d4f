"""The Scrapy settings of a crawl worker: the crawler's own, with its Redis components swapped in."""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings

from crawler.cluster import keys
from crawler.config import scrapy_overrides

# The crawler's settings, changed only where a worker differs: its queue, its robots.txt memory,
# its heartbeat and its pipelines (the region check, then the result pushed back).
WORKER_SETTINGS: dict[str, Any] = {
    "SCHEDULER": "crawler.cluster.scheduler.ResilientRedisScheduler",
    # Every check has the same priority: a list (one command a push or pop) rather than a sorted set,
    # with requests encoded without searching the spider for their callbacks (see the module).
    "SCHEDULER_QUEUE_CLASS": "crawler.cluster.queue.SpiderRequestQueue",
    # Not pickle: whoever can write to Redis must not be able to run code on a worker.
    "SCHEDULER_SERIALIZER": "crawler.cluster.serializer",
    "SCHEDULER_PERSIST": False,
    # Every check request is dont_filter; scrapy-redis's own filter is named so that its scheduler
    # builds (Scrapy 2.19's filter has no from_settings).
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    # Our own log handler, not Scrapy's: its start-up banner spans many lines.
    "LOG_INSTALL_ROOT_HANDLER": False,
    "ITEM_PIPELINES": {
        "crawler.cluster.region.SameRegionPipeline": 100,
        "crawler.cluster.results.PushResultPipeline": 900,
    },
    "EDITWATCH_DB": "",
}


def worker_settings(config: dict[str, Any], redis_url: str, worker: str, prefetch: int) -> Settings:
    """Settings for worker ``worker``: the project's defaults, the ``[fetch]`` config, then the worker's."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(scrapy_overrides(config), priority="project")
    for name, value in WORKER_SETTINGS.items():
        settings.set(name, value, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.pop("crawler.middlewares.ExpiringRobotsTxtMiddleware", None)
    middlewares["crawler.cluster.robots.SharedRobotsTxtMiddleware"] = 100
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.cluster.membership.Heartbeat"] = 10
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("EDITWATCH_CONFIG", config, priority="cmdline")
    settings.set("REDIS_URL", redis_url, priority="cmdline")
    settings.set("EDITWATCH_REDIS_URL", redis_url, priority="cmdline")
    settings.set("EDITWATCH_WORKER_NAME", worker, priority="cmdline")
    settings.set("EDITWATCH_WORKER_PREFETCH", prefetch, priority="cmdline")
    settings.set("SCHEDULER_QUEUE_KEY", keys.REQUESTS.format(worker=worker), priority="cmdline")
    settings.set(
        "SCHEDULER_DUPEFILTER_KEY", keys.REQUESTS.format(worker=worker) + ":seen", priority="cmdline"
    )
    settings.set("LOGSTATS_INTERVAL", 0, priority="cmdline")
    return settings
