"""Running the crawler from the monitor: Scrapy settings, and one-off checks of given watches."""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings

from crawler.crawl_settings import crawl_settings
from crawler.items import PageFetch
from crawler.spiders.article import ArticleSpider
from monitor.daemon.logs import QUIET_LOGGERS

# The pipelines of a crawl run by the monitor: the crawler's extraction, then the monitor's, which
# store each snapshot and draw its changes, alerts and next check in one transaction (so the
# crawler's StoreSnapshotPipeline, which leaves that for later, is replaced).
PIPELINES = {
    "crawler.pipelines.article.ExtractArticlePipeline": 100,
    "monitor.sources.dedupe.OneWatchPerArticlePipeline": 150,
    "monitor.sources.liveblogs.LiveBlogPipeline": 160,
    "crawler.pipelines.snapshot.StoreSnapshotPipeline": None,
    "monitor.changes.pipeline.RecordCheckPipeline": 200,
    "monitor.sources.pipeline.RecordSourcePollPipeline": 300,
}


def build_settings(
    db_path: str, config: dict[str, Any], log_level: str = "WARNING", **extra: Any
) -> Settings:
    """Scrapy settings: the crawler's (see :func:`crawler.crawl_settings.crawl_settings`) with the
    monitor's pipelines, then ``extra``."""
    return crawl_settings(config, db_path, pipelines=PIPELINES, log_level=log_level, **extra)


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


# From this many watches on, ``check`` splits the work by site over one crawler process per
# core: a check is CPU-bound and Python runs one thread at a time, so one process uses one core.
PARALLEL_FROM = 200


def check_watches(
    db_path: str,
    config: dict[str, Any],
    watch_ids: list[int],
    on_result: Callable[[PageFetch], None],
    *,
    workers: int | None = None,
) -> None:
    """Fetch the given watches now, calling ``on_result`` as each check is recorded.

    Many watches are checked by ``workers`` crawler processes (default: one per core
    from :data:`PARALLEL_FROM` watches on). With a pause between requests to a site, each
    process takes whole sites, so that every site still sees one polite crawler. Without
    one, a site's watches are dealt over the processes and its limit of requests at a time
    divided between them (see :func:`shared_politeness`). Each check is stored in its own
    transaction by whichever process made it; results come back here in the order they land.
    """
    if not watch_ids:
        return
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(watch_ids) >= PARALLEL_FROM else 1
    plan = crawl_plan(db_path, config, watch_ids, workers)
    if len(plan) == 1:
        _check_here(db_path, plan[0][1], plan[0][0], on_result)
        return
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    results = context.Queue()
    processes = [context.Process(target=_check_worker, args=(db_path, c, g, results)) for g, c in plan]
    for process in processes:
        process.start()
    running = len(processes)
    while running:
        try:
            item = results.get(timeout=1)
        except queue.Empty:
            # A worker that died without saying so (killed) has nothing more to report.
            running = min(running, sum(p.is_alive() for p in processes))
            continue
        if item is None:
            running -= 1
        else:
            on_result(item)
    for process in processes:
        process.join()


def _check_worker(db_path: str, config: dict[str, Any], watch_ids: list[int], results: Any) -> None:
    """One crawler process of a parallel check: its results go back through ``results``."""
    try:
        _check_here(db_path, config, watch_ids, results.put)
    finally:
        results.put(None)


def crawl_plan(
    db_path: str, config: dict[str, Any], watch_ids: list[int], workers: int
) -> list[tuple[list[int], dict[str, Any]]]:
    """The crawler processes of a check of ``watch_ids``: each one's watches and configuration."""
    shared = shared_politeness(config, workers) if workers > 1 else None
    if shared is not None:
        parts, per_domain = shared
        groups = [watch_ids[part::parts] for part in range(parts)]  # dealt like cards
        each = {**config, "fetch": {**config.get("fetch", {}), "per_domain": per_domain}}
    else:
        groups = _split_by_site(db_path, watch_ids, workers) if workers > 1 else [watch_ids]
        each = config
    groups = [group for group in groups if group]
    if len(groups) <= 1:
        return [(watch_ids, config)]
    return [(group, each) for group in groups]


def shared_politeness(config: dict[str, Any], workers: int) -> tuple[int, int] | None:
    """How many processes may share one site, and each one's requests at a time to it; ``None``: one.

    A pause between a site's requests (``delay_seconds``) is kept by one crawler only, so a
    site then stays in one process. Without a pause, the policy is only how many requests
    a site gets at a time: processes that divide that number between them keep it.
    """
    settings = build_settings("", config)
    if settings.getfloat("DOWNLOAD_DELAY") > 0:
        return None
    per_domain = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    parts = min(workers, per_domain)
    return (parts, per_domain // parts) if parts > 1 else None


def _split_by_site(db_path: str, watch_ids: list[int], parts: int) -> list[list[int]]:
    """The watches in ``parts`` groups of about equal size, each site's watches in one group."""
    from collections import defaultdict
    from urllib.parse import urlsplit

    from storage import Store

    by_site: defaultdict[str, list[int]] = defaultdict(list)
    with Store(db_path) as store:
        for watch in store.watches.get_many(watch_ids):
            by_site[urlsplit(watch.url).hostname or ""].append(watch.id)
    groups: list[list[int]] = [[] for _ in range(parts)]
    for ids in sorted(by_site.values(), key=len, reverse=True):
        min(groups, key=len).extend(ids)
    return groups


def _check_here(
    db_path: str, config: dict[str, Any], watch_ids: list[int], on_result: Callable[[PageFetch], None]
) -> None:
    """Fetch the given watches in this process."""
    settings = build_settings(db_path, config)
    process = AsyncCrawlerProcess(settings)
    # Every outcome is reported on its own line below; the libraries need not repeat it.
    quiet_libraries(logging.CRITICAL)
    # Scrapy's handler drops what is below its level; a record not made at all costs nothing
    # (the pipelines log every check at INFO for the daemon).
    logging.getLogger().setLevel(settings.get("LOG_LEVEL"))
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


def fetch_captures(
    db_path: str,
    config: dict[str, Any],
    url: str,
    *,
    archive: str | None,
    replay: str | None,
    since: str | None,
    until: str | None,
    choose: Callable[[list[Any]], list[Any]],
    watch_id: int | None = None,
) -> list[Any]:
    """List ``url``'s captures in a web archive and fetch those ``choose`` picks, in this process.

    Returns the crawl's items: one ``CaptureListing``, then one ``CaptureFetch`` per
    capture fetched. One request at a time: an archive is one site, and a shared one.
    """
    from crawler.spiders.archive import ArchiveSpider

    settings = build_settings(
        db_path,
        config,
        ITEM_PIPELINES={"crawler.pipelines.capture.ExtractCapturePipeline": 100},
        CONCURRENT_REQUESTS_PER_DOMAIN=1,
    )
    process = AsyncCrawlerProcess(settings)
    quiet_libraries(logging.CRITICAL)
    crawler = process.create_crawler(ArchiveSpider)
    items: list[Any] = []

    def item_done(item: Any, **_: Any) -> None:
        items.append(item)

    crawler.signals.connect(item_done, signal=signals.item_scraped)
    process.crawl(
        crawler, url=url, archive=archive, replay=replay, since=since, until=until, choose=choose,
        watch_id=watch_id,
    )  # fmt: skip
    process.start()
    return items
