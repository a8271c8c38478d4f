"""Running the crawler from the monitor: Scrapy settings, and one-off checks of given watches."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings

from crawler.config import scrapy_overrides
from crawler.items import PageFetch
from crawler.spiders.article import ArticleSpider
from monitor.logs import QUIET_LOGGERS


def build_settings(
    db_path: str, config: dict[str, Any], log_level: str = "WARNING", **extra: Any
) -> Settings:
    """Scrapy settings: the project's defaults, then the user's ``[fetch]`` config, then ``extra``."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(scrapy_overrides(config), priority="project")
    settings.set("EDITWATCH_DB", db_path, priority="cmdline")
    settings.set("EDITWATCH_CONFIG", config, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("LOGSTATS_INTERVAL", 0, priority="cmdline")
    for name, value in extra.items():
        settings.set(name, value, priority="cmdline")
    return settings


class OneLineFilter(logging.Filter):
    """One event per line: a library's traceback becomes ``ExceptionType: message`` on the same line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        elif record.exc_text:
            record.exc_text = None
        return True


def quiet_libraries(level: int = logging.WARNING) -> None:
    """Keep third-party loggers to ``level`` and every log event on one line."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(level)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, OneLineFilter) for f in handler.filters):
            handler.addFilter(OneLineFilter())


def check_watches(
    db_path: str, config: dict[str, Any], watch_ids: list[int], on_result: Callable[[PageFetch], None]
) -> None:
    """Fetch the given watches now, calling ``on_result`` as each check is recorded."""
    if not watch_ids:
        return
    settings = build_settings(db_path, config)
    process = AsyncCrawlerProcess(settings)
    # Every outcome is reported on its own line below; the libraries need not repeat it.
    quiet_libraries(logging.CRITICAL)
    crawler = process.create_crawler(ArticleSpider)

    # Scrapy holds signal receivers weakly; this closure lives as long as the call.
    def item_done(item: PageFetch, **_: Any) -> None:
        on_result(item)

    crawler.signals.connect(item_done, signal=signals.item_scraped)
    process.crawl(crawler, watch_ids=",".join(str(i) for i in watch_ids))
    process.start()


def poll_sources(
    db_path: str, config: dict[str, Any], source_ids: list[int], on_result: Callable[[Any], None]
) -> None:
    """Poll the given sources now and check the articles they newly list, in one crawl.

    ``on_result`` gets every :class:`SourceFetch` (sources and child sitemaps)
    and every :class:`PageFetch` (first checks of discovered articles) as recorded.
    """
    if not source_ids:
        return
    settings = build_settings(db_path, config)
    process = AsyncCrawlerProcess(settings)
    # Every poll and first check is reported by the caller; the logs need not repeat them.
    quiet_libraries(logging.CRITICAL)
    logging.getLogger("editwatch.sources").setLevel(logging.CRITICAL)
    crawler = process.create_crawler(ArticleSpider)

    def item_done(item: Any, **_: Any) -> None:
        on_result(item)

    crawler.signals.connect(item_done, signal=signals.item_scraped)
    process.crawl(crawler, source_ids=",".join(str(i) for i in source_ids), follow="1")
    process.start()
