"""The Scrapy settings of a crawl editwatch runs itself: one place builds them for every caller.

``scrapy crawl`` reads :mod:`crawler.settings` alone. The daemon, ``editwatch check``, the
archives' backfill and the one-off fetches (``editwatch extract``, the alerts' confirming
re-fetch) build their settings here: the same module, the user's ``[fetch]`` section over it,
then what the caller asks (its item pipelines, its log level). Every crawl therefore runs the
same politeness policy.
"""

from __future__ import annotations

from typing import Any

from crawler.config import scrapy_overrides

# Scrapy components editwatch's crawls never use. Some are off in crawler.settings already
# (cookies, the cache, telnet, the remote control); the others serve only a `scrapy crawl` user
# (feeds with -o, JOBDIR, a CLOSESPIDER_* limit, periodic log lines) or count what editwatch never
# reads (stats, log records, memory use): editwatch reports every check through its items.
# Scrapy imports every component it is given, even a disabled one (the remote control pulls in
# aiohttp, the cookies middleware tldextract), and CoreStats and LogCount run on every response
# or log record: so these are left out of the lists altogether.
LEFT_OUT = {
    "DOWNLOADER_MIDDLEWARES": (
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
        "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
        "scrapy.downloadermiddlewares.stats.DownloaderStats",
    ),
    "SPIDER_MIDDLEWARES": (),
    "EXTENSIONS": (
        "scrapy.extensions.corestats.CoreStats",
        "scrapy.extensions.logcount.LogCount",
        "scrapy.extensions.logstats.LogStats",
        "scrapy.extensions.memusage.MemoryUsage",
        "scrapy.extensions.memdebug.MemoryDebugger",
        "scrapy.extensions.feedexport.FeedExporter",
        "scrapy.extensions.closespider.CloseSpider",
        "scrapy.extensions.spiderstate.SpiderState",
        "scrapy.extensions.telnet.TelnetConsole",
        "scrapy.extensions.remote_control.RemoteControl",
    ),
}
# With CoreStats gone nothing fills the stats; the few counters Scrapy's middlewares keep go nowhere.
STATS_CLASS = "scrapy.statscollectors.DummyStatsCollector"


def crawl_settings(
    config: dict[str, Any],
    db_path: str,
    *,
    pipelines: dict[str, int | None],
    log_level: str = "WARNING",
    **extra: Any,
) -> Any:
    """Scrapy settings for one of editwatch's crawls: :mod:`crawler.settings`, the user's ``[fetch]``
    config over them, then ``pipelines`` (``ITEM_PIPELINES``), ``log_level`` and ``extra``.

    ``db_path`` is where checks and robots.txt are kept (``""``: nowhere).
    """
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, left_out in _left_out().items():
        settings.set(name, _components(settings, name, left_out), priority="project")
        settings.set(f"{name}_BASE", {}, priority="project")
    settings.set("STATS_CLASS", STATS_CLASS, priority="project")
    settings.update(scrapy_overrides(config), priority="project")
    settings.set("EDITWATCH_DB", db_path, priority="cmdline")
    settings.set("EDITWATCH_CONFIG", config, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("LOGSTATS_INTERVAL", 0, priority="cmdline")
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    for name, value in extra.items():
        settings.set(name, value, priority="cmdline")
    return settings


def _left_out() -> dict[str, tuple[str, ...]]:
    """:data:`LEFT_OUT`, plus the proxy middleware when the environment names no proxy.

    The proxy middleware reads ``*_proxy`` from the environment once, at start, and editwatch
    never sets a request's ``proxy``: with none set it only looks up and rewrites meta per request.
    """
    from urllib.request import getproxies

    if getproxies():
        return LEFT_OUT
    proxy = "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"
    return {**LEFT_OUT, "DOWNLOADER_MIDDLEWARES": (*LEFT_OUT["DOWNLOADER_MIDDLEWARES"], proxy)}


def _components(settings: Any, name: str, left_out: tuple[str, ...]) -> dict[str, int]:
    """A component list with Scrapy's base list folded in, less the disabled and ``left_out`` ones."""
    merged = {**settings.getdict(f"{name}_BASE"), **settings.getdict(name)}
    return {path: order for path, order in merged.items() if order is not None and path not in left_out}
