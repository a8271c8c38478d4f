"""Downloader middlewares: cross-cutting fetch concerns, configured by settings."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler


class ConditionalGetMiddleware:
    """Send the stored ETag and Last-Modified so an unchanged page costs a 304, not a download.

    The spider puts the watch's validators in ``request.meta["validators"]``.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls()

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        validators = request.meta.get("validators") or {}
        if validators.get("etag") and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = validators["etag"]
        if validators.get("last_modified") and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = validators["last_modified"]
        return None
