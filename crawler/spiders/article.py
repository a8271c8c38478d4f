"""The article spider: turns due watches into requests and responses into :class:`PageFetch` items.

Run standalone with ``scrapy crawl article -a url=URL`` (adds the watch if needed
and checks it), ``-a watch_ids=1,2,3`` or ``-a all=1``; ``-a source_ids=1,2`` polls
sources (see :mod:`crawler.spiders.sources`). The daemon starts it with
``daemon=1``: it then stays open and is fed requests through :meth:`request_for`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import scrapy
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.failures import describe_failure
from crawler.items import PageFetch
from crawler.middlewares import SiteBackedOff
from crawler.rendering import RENDER_META, TRIAL_META
from crawler.rendering.decision import render_choice
from crawler.spiders.sources import SourcePolling
from crawler.urls import InvalidURL, validate_url
from storage import Store, Watch, clock
from storage.errors import StorageError

# Where a request carries its watch's learnt region, read with many others' as the requests were made.
REGION_META = "learned_region"
# Regions read in one query when a crawl starts: its first requests wait for no more than this many.
REGIONS_AT_ONCE = 256
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")


class ArticleSpider(SourcePolling, scrapy.Spider):
    name = "article"
    # Let lifecycle statuses and 304 reach the callback instead of being dropped.
    handle_httpstatus_list = [304, 404, 410]

    def __init__(
        self,
        url: str | None = None,
        watch_ids: str | None = None,
        all: str | None = None,
        daemon: str | None = None,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.target_url = url
        self.watch_ids = [int(i) for i in str(watch_ids).split(",") if i.strip()] if watch_ids else []
        self.check_all = bool(all)
        self.daemon = bool(daemon)
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = Store(crawler.settings.get("EDITWATCH_DB"))
        spider.render_choice = render_choice(crawler.settings, spider.store)
        crawler.signals.connect(spider.keep_open_in_daemon, signals.spider_idle)
        crawler.signals.connect(spider.close_store, signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        watches = self.initial_watches()
        for start in range(0, len(watches), REGIONS_AT_ONCE):
            for request in self.requests_for(watches[start : start + REGIONS_AT_ONCE]):
                yield request
        for source in self.initial_sources():
            yield self.request_for_source(source)

    def initial_watches(self) -> list[Watch]:
        """The watches named on the command line (none in daemon mode)."""
        assert self.store is not None
        if self.target_url:
            try:
                url = validate_url(self.target_url)
            except InvalidURL as exc:
                self.logger.error("%s", exc)
                return []
            watch, _ = self.store.watches.add(url)
            return [watch]
        watches = self.store.watches.get_many(self.watch_ids)
        for missing in sorted(set(self.watch_ids) - {watch.id for watch in watches}):
            self.logger.error("no watch with ID %s", missing)
        if self.check_all:
            watches.extend(self.store.watches.all())
        return watches

    def check_request(
        self, watch_id: int, url: str, etag: str | None, last_modified: str | None, **meta
    ) -> Request:
        """The request that checks one watch's page (re-checks bypass the duplicate filter)."""
        return Request(
            url,
            callback=self.page_fetched,
            errback=self.fetch_failed,
            dont_filter=True,
            meta={
                "watch_id": watch_id,
                "watch_url": url,
                "validators": {"etag": etag, "last_modified": last_modified},
                "fetched_at": clock.now_text(),
                "started": time.monotonic(),
                **meta,
            },
        )

    def requests_for(self, watches: list[Watch]) -> list[Request]:
        """The requests that check these watches, each carrying its watch's learnt region (one query for all)."""
        assert self.store is not None
        try:
            regions = self.store.regions.for_checks([watch.id for watch in watches])
        except StorageError:
            return [self.request_for(watch) for watch in watches]  # the pipeline reads each region itself
        requests = [self.request_for(watch) for watch in watches]
        for request, watch in zip(requests, watches, strict=True):
            request.meta[REGION_META] = regions.get(watch.id)
        return requests

    def request_for(self, watch: Watch) -> Request:
        """The request that checks one watch, in a browser when its site is read in one."""
        request = self.check_request(watch.id, watch.url, watch.etag, watch.last_modified)
        choice = getattr(self, "render_choice", None)
        if choice is not None and choice.renders(watch.url):
            request.meta[RENDER_META] = True
            request.meta["validators"] = {}  # a browser cannot show a 304
        return request

    def page_fetched(self, response: Response):
        meta = response.meta
        item = self._item(meta, status=response.status)
        item.final_url = response.url
        item.content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        item.etag = _header(response, b"ETag")
        item.last_modified = _header(response, b"Last-Modified")
        if response.status == 200:
            mime = (item.content_type or "").split(";")[0].strip().lower()
            if not isinstance(response, TextResponse) or (mime and mime not in _HTML_TYPES):
                item.error = f"not an HTML page (Content-Type: {mime or 'unknown'})"
            else:
                item.raw = response.body
                item.html = response.text
                item.headers = response_headers(response)
        yield item

    def fetch_failed(self, failure: Failure):
        request = failure.request
        item = self._item(request.meta, status=None)
        if isinstance(failure.value, SiteBackedOff):
            item.deferred_until = clock.to_text(datetime.fromtimestamp(failure.value.until, UTC))
            yield item
            return
        reason, item.status = describe_failure(
            failure, self.settings.getfloat("DOWNLOAD_TIMEOUT"), self.settings.getint("DOWNLOAD_MAXSIZE")
        )
        item.error = reason
        if request.meta.get("retry_not_before"):
            item.retry_not_before = clock.to_text(
                datetime.fromtimestamp(request.meta["retry_not_before"], UTC)
            )
        yield item

    def _item(self, meta: dict, status: int | None) -> PageFetch:
        return PageFetch(
            watch_id=meta["watch_id"],
            url=meta["watch_url"],
            fetched_at=meta["fetched_at"],
            status=status,
            duration_ms=int((time.monotonic() - meta["started"]) * 1000),
            rendered=bool(meta.get(RENDER_META)),
            render_trial=bool(meta.get(TRIAL_META)),
            region_read=REGION_META in meta,
            stored_region=meta.get(REGION_META),
        )

    def keep_open_in_daemon(self, spider: scrapy.Spider) -> None:
        if spider is self and self.daemon:
            raise DontCloseSpider

    def close_store(self, spider: scrapy.Spider) -> None:
        if spider is self and self.store is not None:
            self.store.close()


def response_headers(response: Response) -> list[tuple[str, str]]:
    """Every header of a response as ``(name, value)`` pairs, repeated headers kept apart."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
