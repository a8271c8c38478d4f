"""Source polling for the article spider: feeds, sitemaps and section pages go through the same crawler.

Mixed into :class:`crawler.spiders.article.ArticleSpider` so that source
requests share its downloader: one robots.txt cache, one per-domain limit and
delay for articles and sources alike. Responses become :class:`SourceFetch`
items; the monitor's pipeline turns their listings into watches.

Spider arguments: ``source_ids=1,2`` polls those sources at start (``editwatch
sources check``); ``follow=1`` also checks, in the same crawl, the articles they
discover (see :data:`crawler.signals.articles_discovered`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.discovery import ListingError, parse_listing
from crawler.failures import describe_failure
from crawler.items import SourceFetch
from crawler.signals import articles_discovered
from storage import Source, clock
from storage.errors import StorageError

# An index may name hundreds of archive sitemaps; only this many changed ones are read per poll.
MAX_CHILD_SITEMAPS = 20
# Long enough for a fetch with its retries; a crashed command's lease simply expires.
FOLLOW_LEASE_SECONDS = 120


class SourcePolling:
    """Requests and callbacks for sources; expects ``self.store`` and ``self.request_for(watch)``."""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.check_discovered_articles, signal=articles_discovered)
        crawler.signals.connect(spider._note_closed, signal=signals.spider_closed)
        return spider

    def initial_sources(self) -> list[Source]:
        """The sources named by the ``source_ids`` spider argument."""
        text = getattr(self, "source_ids", None)
        if not text:
            return []
        sources = []
        for part in str(text).split(","):
            if part.strip():
                try:
                    sources.append(self.store.sources.get(int(part)))
                except (StorageError, ValueError) as exc:
                    self.logger.error("%s", exc)
        return sources

    def request_for_source(self, source: Source) -> Request:
        """The request that polls a source, conditional on its stored validators.

        A sitemap index is always read whole: many never change while the
        sitemaps they name do, and each child is then fetched conditionally.
        """
        validators = (
            {}
            if source.kind == "sitemap-index"
            else {"etag": source.etag, "last_modified": source.last_modified}
        )
        return Request(
            source.url,
            callback=self.source_fetched,
            errback=self.source_failed,
            dont_filter=True,
            priority=10,  # a listing leads to articles: read it before the articles queued behind it
            meta={
                "source_id": source.id,
                "requested_url": source.url,
                "links_selector": source.links_selector,
                "children": source.children,
                "validators": validators,
                "fetched_at": clock.now_text(),
                "started": time.monotonic(),
            },
        )

    def source_fetched(self, response: Response) -> Iterator[SourceFetch | Request]:
        meta = response.meta
        item = self._source_item(meta, status=response.status)
        item.final_url = response.url
        item.etag = _header(response, b"ETag")
        item.last_modified = _header(response, b"Last-Modified")
        if response.status == 304:
            yield item
            return
        if response.status != 200:
            item.error = f"HTTP {response.status}"
            yield item
            return
        content_type = _header(response, b"Content-Type")
        try:
            item.listing = parse_listing(
                response.body, response.url, content_type, meta.get("links_selector")
            )
        except ListingError as exc:
            item.error = str(exc)
            yield item
            return
        if item.listing.kind == "sitemap-index":
            if item.is_child:
                item.listing.warnings.append("an index inside an index is not followed")
            else:
                for request in self._child_requests(item, meta.get("children") or {}):
                    item.children_requested += 1
                    yield request
        yield item

    def source_failed(self, failure: Failure) -> Iterator[SourceFetch]:
        request = failure.request
        reason, status = describe_failure(failure, self.settings.getfloat("DOWNLOAD_TIMEOUT"))
        item = self._source_item(request.meta, status=status)
        item.error = reason
        yield item

    def _child_requests(self, item: SourceFetch, known: dict[str, dict]) -> Iterator[Request]:
        """Requests for the child sitemaps that changed since they were last read (newest first)."""
        children = sorted(item.listing.children, key=lambda c: c.lastmod or "", reverse=True)
        wanted = [
            c for c in children if c.lastmod is None or known.get(c.url, {}).get("lastmod") != c.lastmod
        ]
        for child in wanted[:MAX_CHILD_SITEMAPS]:
            stored = known.get(child.url, {})
            yield Request(
                child.url,
                callback=self.source_fetched,
                errback=self.source_failed,
                dont_filter=True,
                priority=10,
                meta={
                    "source_id": item.source_id,
                    "requested_url": child.url,
                    "child_lastmod": child.lastmod,
                    "is_child": True,
                    "validators": {"etag": stored.get("etag"), "last_modified": stored.get("last_modified")},
                    "fetched_at": clock.now_text(),
                    "started": time.monotonic(),
                },
            )

    def _source_item(self, meta: dict, status: int | None) -> SourceFetch:
        return SourceFetch(
            source_id=meta["source_id"],
            url=meta["requested_url"],
            fetched_at=meta["fetched_at"],
            child_lastmod=meta.get("child_lastmod"),
            is_child=bool(meta.get("is_child")),
            status=status,
            duration_ms=int((time.monotonic() - meta["started"]) * 1000),
        )

    def check_discovered_articles(self, source_id: int, watches: list, **_: Any) -> None:
        """With ``follow=1``, check newly discovered articles in this same crawl."""
        if not getattr(self, "follow", None) or getattr(self, "_closed", False) or not watches:
            return
        leased = set(self.store.watches.lease([w.id for w in watches], lease_seconds=FOLLOW_LEASE_SECONDS))
        for watch in watches:
            if watch.id in leased:
                self.crawler.engine.crawl(self.request_for(watch))

    def _note_closed(self, spider, reason: str = "") -> None:
        if spider is self:
            self._closed = True


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
