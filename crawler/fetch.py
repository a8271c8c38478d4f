"""Fetch and extract given URLs once, through the crawler: one HTTP stack, one policy, nothing stored.

Every fetch editwatch makes goes through Scrapy with the settings and downloader
middlewares of :mod:`crawler.settings` and the user's ``[fetch]`` section:
robots.txt (kept in the database, when there is one, like the crawler's), the
User-Agent and its contact, politeness, the address rules
(``block_private_addresses``), the page size cap, the timeout, TLS verification,
and the charset from the HTTP header. Pages are read by
:class:`crawler.pipelines.page.ExtractPagePipeline`, as the crawler reads them
(the site's rules, the chrome learned on the site). Each URL gives a
:class:`crawler.items.FetchedPage`: final URL, status, headers, and the Article or a
one-line error ("blocked by robots.txt", "refused to fetch ...", "page too large ...").

Two ways to run it:

- :func:`fetch_pages` runs the crawl in this process. Scrapy's reactor starts once
  per process and cannot be restarted, so this suits a one-shot command
  (``editwatch extract URL``), not a process that fetches again later.
- :func:`fetch_pages_apart` runs it in a short-lived child process,
  ``python -m crawler.fetch``, which answers one JSON object per line on stdout.
  The alerts' confirming re-fetch uses it: it runs in the daemon's alert worker
  threads (where the daemon's reactor already runs, on another thread, and must
  not be blocked) and in ``editwatch alerts dispatch`` (where no reactor runs).
  A child keeps the daemon responsive: its event loop never waits for a
  re-fetch or for extraction (CPU that would otherwise hold the loop, and the
  GIL, against the checks in flight), only a worker thread waits for the child.
  The price is the child's start-up, about a second of CPU per pass of
  confirmations (all of a pass's pages are fetched by one child), against
  confirmations that are few: only edits for rules with ``--confirm``. The child
  shares robots.txt with the daemon's crawler through the database, not the
  crawler's memory of a site (the pause between its requests, a 429's backoff):
  a confirmation is one request per edit, made ``confirm_delay`` after the check.
  (Scheduling the re-fetch on the daemon's own crawler would share those too, but
  the response would then be read on the daemon's loop, and ``alerts dispatch``,
  which has no crawler, would still need a way of its own.)

Run by hand: ``python -m crawler.fetch URL...`` (``editwatch.toml`` and
``$EDITWATCH_DB`` as for ``scrapy crawl``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from crawler.items import FetchedPage

PIPELINE = "crawler.pipelines.page.ExtractPagePipeline"
# The configuration sections a fetch reads: how to fetch, and the per-site extraction rules.
SECTIONS = ("fetch", "sites", "rules")


def page_settings(config: dict[str, Any], db_path: str | None = None) -> Any:
    """Scrapy settings for a one-off fetch: the crawler's, the user's ``[fetch]`` over them, and only
    the extraction pipeline. Without an existing database nothing is kept, not even robots.txt."""
    from crawler.crawl_settings import crawl_settings

    database = db_path if db_path and Path(db_path).is_file() else ""
    # Each page's outcome is its item's one-line error; the libraries need not say it again.
    return crawl_settings(config, database, pipelines={PIPELINE: 100}, log_level="CRITICAL")


def fetch_pages(
    urls: Iterable[str],
    config: dict[str, Any],
    *,
    db_path: str | None = None,
    watch_ids: dict[str, int] | None = None,
    on_page: Callable[[FetchedPage], None] | None = None,
    render: str = "auto",
) -> list[FetchedPage]:
    """Fetch and read ``urls`` in this process (once per process: see the module); one page per URL, in order.

    ``watch_ids`` names the watch whose learned chrome applies to a URL. ``render``: ``auto``
    renders a page in the browser when a check would, ``browser`` every page, ``static`` none.
    """
    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerProcess

    from crawler.spiders.page import PageSpider

    urls = list(dict.fromkeys(urls))
    if not urls:
        return []
    process = AsyncCrawlerProcess(page_settings(config, db_path))
    crawler = process.create_crawler(PageSpider)
    pages: dict[str, FetchedPage] = {}

    # Scrapy holds signal receivers weakly; this closure lives as long as the call.
    def item_done(item: Any, **_: Any) -> None:
        if isinstance(item, FetchedPage):
            pages[item.url] = item
            if on_page is not None:
                on_page(item)

    crawler.signals.connect(item_done, signal=signals.item_scraped)
    process.crawl(crawler, urls=urls, watch_ids=watch_ids or {}, render=render)
    process.start()
    return [pages.get(url) or FetchedPage(url=url, error="no answer from the crawler") for url in urls]


def fetch_pages_apart(
    urls: Iterable[str],
    config: dict[str, Any],
    *,
    db_path: str | None = None,
    watch_ids: dict[str, int] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[FetchedPage]:
    """:func:`fetch_pages` in a child process (``python -m crawler.fetch``): safe in any thread, any number
    of times, with or without a reactor running in this process. ``cancelled`` is polled; when it says
    so, the child is stopped and the pages not yet read get an error."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return []
    request = {
        "urls": urls,
        "config": {k: config[k] for k in SECTIONS if k in config},
        "db": db_path,
        "watch_ids": watch_ids or {},
    }
    deadline = time.monotonic() + _time_allowed(config, len(urls))
    # The child imports this very package, wherever it was imported from.
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen(
        [sys.executable, "-m", "crawler.fetch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    payload: str | None = json.dumps(request, default=str)
    problem = None
    while True:
        try:
            out, err = child.communicate(payload, timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            payload = None  # sent with the first call
            if cancelled() or time.monotonic() > deadline:
                problem = "stopped: editwatch is shutting down" if cancelled() else "the fetch took too long"
                child.kill()
                out, err = child.communicate()
                break
    pages = {page.url: page for page in _read_pages(out)}
    if problem is None and child.returncode != 0:
        lines = (err or "").strip().splitlines()
        problem = f"the fetcher failed: {lines[-1] if lines else f'exit status {child.returncode}'}"
    missing = problem or "no answer from the crawler"
    return [pages.get(url) or FetchedPage(url=url, error=missing) for url in urls]


def _time_allowed(config: dict[str, Any], count: int) -> float:
    """Long enough for every page of one site, one after the other, with its retries and delays."""
    from crawler import settings as defaults
    from crawler.config import scrapy_overrides

    fetch = scrapy_overrides(config)
    timeout = float(fetch.get("DOWNLOAD_TIMEOUT", defaults.DOWNLOAD_TIMEOUT))
    attempts = int(fetch.get("RETRY_TIMES", defaults.RETRY_TIMES)) + 1
    delay = float(fetch.get("DOWNLOAD_DELAY", defaults.DOWNLOAD_DELAY)) * 2
    return 60 + (count + 1) * (timeout * attempts + delay)  # +1: robots.txt


def page_to_json(page: FetchedPage) -> str:
    """One page as the child prints it (the bytes left out: the article is what is read)."""
    data = {k: v for k, v in asdict(page).items() if k not in ("raw", "html", "article")}
    data["article"] = page.article.to_dict() if page.article is not None else None
    return json.dumps(data, ensure_ascii=False)


def page_from_json(line: str) -> FetchedPage:
    """The page :func:`page_to_json` printed."""
    from crawler.extraction import Article
    from crawler.extraction.chrome import Removal

    data = json.loads(line)
    article = data.pop("article", None)
    if article is not None:
        removed = [Removal(**r) for r in article.pop("removed", [])]
        article = Article(**article, removed=removed)
    data["headers"] = [tuple(pair) for pair in data.get("headers") or []]
    return FetchedPage(**data, article=article)


def _read_pages(out: str | None) -> list[FetchedPage]:
    pages = []
    for line in (out or "").splitlines():
        try:
            pages.append(page_from_json(line))
        except (ValueError, TypeError, KeyError):
            continue  # not a page: a library printed something
    return pages


def main(argv: list[str]) -> int:
    """``python -m crawler.fetch URL...``, or a JSON request on stdin: one JSON page per line on stdout."""
    if argv:
        from crawler.config import ConfigError, load_config

        try:
            config = load_config()
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        request = {"urls": argv, "config": config, "db": os.environ.get("EDITWATCH_DB", "editwatch.db")}
    else:
        request = json.load(sys.stdin)

    def emit(page: FetchedPage) -> None:
        print(page_to_json(page), flush=True)

    fetch_pages(
        request["urls"],
        request.get("config") or {},
        db_path=request.get("db"),
        watch_ids=request.get("watch_ids"),
        on_page=emit,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
