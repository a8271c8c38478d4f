"""The root logger's level in a crawl that logs through Scrapy's own handler."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.utils.log import get_scrapy_root_handler


class RootLogLevel:
    """Give the root logger ``LOG_LEVEL`` again once the crawl has started.

    Scrapy installs its root handler with the root logger at ``NOTSET`` and lets the
    handler drop what is below ``LOG_LEVEL``: every ``logger.debug()`` of a crawl then
    builds a record only to throw it away, a few per check. A record not made costs nothing.
    Crawls that install their own handler (the daemon) set the root level themselves.
    """

    def __init__(self, level: str | int):
        self.level = level

    @classmethod
    def from_crawler(cls, crawler) -> RootLogLevel:
        extension = cls(crawler.settings.get("LOG_LEVEL"))
        # The crawl re-installs Scrapy's handler (and NOTSET) just before it opens the spider.
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider=None) -> None:
        if get_scrapy_root_handler() is not None and logging.root.level == logging.NOTSET:
            logging.root.setLevel(self.level)
