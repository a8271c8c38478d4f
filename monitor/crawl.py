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

QUIET_LOGGERS = ("scrapy", "apscheduler", "twisted", "py.warnings", "trafilatura", "htmldate", "filelock")


def build_settings(db_path: str, config: dict[str, Any], log_level: str = "WARNING", **extra: Any) -> Settings:
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


def quiet_libraries(level: int = logging.WARNING) -> None:
    """Keep third-party loggers to warnings so editwatch's own events stand out."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(level)


def check_watches(
    db_path: str, config: dict[str, Any], watch_ids: list[int], on_result: Callable[[PageFetch], None]
) -> None:
    """Fetch the given watches now, calling ``on_result`` as each check is recorded."""
    if not watch_ids:
        return
    settings = build_settings(db_path, config)
    process = AsyncCrawlerProcess(settings)
    quiet_libraries()
    crawler = process.create_crawler(ArticleSpider)

    # Scrapy holds signal receivers weakly; this closure lives as long as the call.
    def item_done(item: PageFetch, **_: Any) -> None:
        on_result(item)

    crawler.signals.connect(item_done, signal=signals.item_scraped)
    process.crawl(crawler, watch_ids=",".join(str(i) for i in watch_ids))
    process.start()
