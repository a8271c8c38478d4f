"""The page spider: fetches given URLs once and yields :class:`FetchedPage` items, storing nothing.

For ``editwatch extract URL`` and the alerts' confirming re-fetches (run through
:mod:`crawler.fetch`): the same settings and downloader middlewares as the
article spider (robots.txt, User-Agent, politeness, address rules, size cap,
timeout, TLS), and the same extraction, by
:class:`crawler.pipelines.page.ExtractPagePipeline`, its only pipeline. Run
standalone with ``scrapy crawl page -a urls=URL,URL -o pages.jsonl``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.failures import describe_failure
from crawler.items import FetchedPage
from crawler.spiders.article import response_headers

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")


class PageSpider(scrapy.Spider):
    name = "page"
    # Read, never recorded: whatever the project's pipelines, only extraction runs.
    custom_settings = {"ITEM_PIPELINES": {"crawler.pipelines.page.ExtractPagePipeline": 100}}

    def __init__(
        self,
        urls: str | list[str] | None = None,
        watch_ids: dict[str, int] | None = None,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if isinstance(urls, str):
            urls = [u for u in urls.split(",") if u.strip()]
        self.urls: list[str] = list(urls or [])
        self.watch_ids = dict(watch_ids or {})  # URL -> the watch whose learned chrome applies

    async def start(self) -> AsyncIterator[Request]:
        for url in dict.fromkeys(self.urls):
            yield Request(
                url,
                callback=self.page_fetched,
                errback=self.fetch_failed,
                dont_filter=True,
                meta={"page_url": url},
            )

    def page_fetched(self, response: Response) -> Iterator[FetchedPage]:
        item = self._item(response.meta)
        item.final_url, item.status = response.url, response.status
        item.content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        item.headers = response_headers(response)
        mime = (item.content_type or "").split(";")[0].strip().lower()
        if not isinstance(response, TextResponse) or (mime and mime not in HTML_TYPES):
            item.error = f"not an HTML page (Content-Type: {mime or 'unknown'})"
        else:
            item.raw, item.html = response.body, response.text
        yield item

    def fetch_failed(self, failure: Failure) -> Iterator[FetchedPage]:
        item = self._item(failure.request.meta)
        item.error, item.status = describe_failure(
            failure, self.settings.getfloat("DOWNLOAD_TIMEOUT"), self.settings.getint("DOWNLOAD_MAXSIZE")
        )
        response = getattr(failure.value, "response", None)
        if response is not None:  # an HTTP error: the answer's facts still count
            item.final_url = response.url
            item.headers = response_headers(response)
        yield item

    def _item(self, meta: dict) -> FetchedPage:
        url = meta["page_url"]
        return FetchedPage(url=url, watch_id=self.watch_ids.get(url))
