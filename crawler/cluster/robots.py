"""robots.txt answers shared by every worker through Redis, read once per site per TTL for the cluster.

The crawler's robots.txt middleware keeps what it read in the database so that a site's
robots.txt is fetched once per TTL across processes; a worker has no database, so the
same answers are kept in Redis (``editwatch:robots:SITE``, expiring with the TTL), where
every worker finds them.
"""

from __future__ import annotations

import logging
import time

import redis
from scrapy.crawler import Crawler
from scrapy.robotstxt import RobotParser
from scrapy.utils.misc import build_from_crawler

from crawler.cluster import keys
from crawler.middlewares import ExpiringRobotsTxtMiddleware

logger = logging.getLogger("editwatch.fetch")


class SharedRobotsTxtMiddleware(ExpiringRobotsTxtMiddleware):
    """:class:`ExpiringRobotsTxtMiddleware` keeping robots.txt answers in Redis instead of SQLite."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.server = keys.connect(crawler.settings["EDITWATCH_REDIS_URL"])

    def _stored_parser(self, site: str, netloc: str) -> RobotParser | None:
        try:
            stored = self.server.hgetall(keys.ROBOTS.format(site=site))
        except redis.RedisError as exc:
            logger.warning("cannot read the shared robots.txt of %s: %s", site, exc)
            return None
        if not stored:
            return None
        age = time.time() - float(stored.get(b"read_at", b"0"))
        if not 0 <= age < self.ttl:
            return None
        parser = build_from_crawler(self._parserimpl, self.crawler, stored.get(b"body", b""))
        self._parsers[netloc] = parser
        self._read_at[netloc] = time.monotonic() - age
        self._stats.inc_value("robotstxt/shared_count")
        return parser

    def _keep(self, site: str, status: int, body: bytes) -> None:
        key = keys.ROBOTS.format(site=site)
        try:
            pipe = self.server.pipeline()
            pipe.hset(key, mapping={"status": status, "body": body, "read_at": time.time()})
            pipe.expire(key, int(self.ttl) + 1)
            pipe.execute()
        except redis.RedisError as exc:
            logger.warning("cannot share the robots.txt of %s: %s", site, exc)

    def _open_store(self):
        return None  # no database on a worker
