"""The page spider: fetches given URLs once and yields :class:`FetchedPage` items, storing nothing.

For ``editwatch extract URL`` and the alerts' confirming re-fetches (run through
:mod:`crawler.fetch`): the same settings and downloader middlewares as the
article spider (robots.txt, User-Agent, politeness, address rules, size cap,
timeout, TLS), and the same extraction, by
:class:`crawler.pipelines.page.ExtractPagePipeline`, its only pipeline. A page is
rendered in the browser as a check would render it (``render="auto"``): when the site's
rule or the crawler's stored decision says so, or when the page as served is an
application shell without an article and the site was never decided; ``render="browser"``
renders every page, ``render="static"`` none. Run standalone with
``scrapy crawl page -a urls=URL,URL -o pages.jsonl``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.failures import describe_failure
from crawler.items import FetchedPage
from crawler.rendering import RENDER_META
from crawler.rendering.decision import RenderChoice, render_choice
from crawler.rendering.shell import looks_like_app_shell
from crawler.spiders.article import response_headers

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
RENDER_MODES = ("auto", "browser", "static")
# meta: why the request is rendered in the browser
RENDERED_META = "rendered_because"


class PageSpider(scrapy.Spider):
    name = "page"
    # Read, never recorded: whatever the project's pipelines, only extraction runs.
    custom_settings = {"ITEM_PIPELINES": {"crawler.pipelines.page.ExtractPagePipeline": 100}}

    def __init__(
        self,
        urls: str | list[str] | None = None,
        watch_ids: dict[str, int] | None = None,
        render: str = "auto",
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if isinstance(urls, str):
            urls = [u for u in urls.split(",") if u.strip()]
        if render not in RENDER_MODES:
            raise ValueError(f"render must be one of {', '.join(RENDER_MODES)}, not {render!r}")
        self.urls: list[str] = list(urls or [])
        self.watch_ids = dict(watch_ids or {})  # URL -> the watch whose learned chrome applies
        self.render = render
        self._shells_tried: set[str] = set()  # URLs whose static page may be rendered if it is a shell

    async def start(self) -> AsyncIterator[Request]:
        choice = self._render_choice()
        for url in dict.fromkeys(self.urls):
            because = None
            if self.render == "browser":
                because = "--render browser"
            elif self.render == "auto" and choice.rule_mode(url) == "browser":
                because = 'the site\'s rule says render = "browser"'
            elif self.render == "auto" and choice.renders(url):
                because = "editwatch decided that the site is read in a browser"
            elif self.render == "auto" and choice.may_try(url):
                self._shells_tried.add(url)
            yield self._request(url, because)
        if choice.store is not None:
            choice.store.close()

    def render_shell(self, item: FetchedPage, html: str) -> bool:
        """Fetch the page again in the browser if it is an application shell that gave no article,
        as a check would (the rendered page's item replaces this one); whether it was."""
        if (
            item.url not in self._shells_tried
            or not looks_like_app_shell(html)
            or self.crawler.engine is None
        ):
            return False
        self._shells_tried.discard(item.url)
        because = "the page as served is an application shell without an article"
        self.crawler.engine.crawl(self._request(item.url, because))
        return True

    def _request(self, url: str, rendered_because: str | None) -> Request:
        meta: dict = {"page_url": url}
        if rendered_because is not None:
            meta[RENDER_META] = True
            meta[RENDERED_META] = rendered_because
        return Request(
            url, callback=self.page_fetched, errback=self.fetch_failed, dont_filter=True, meta=meta
        )

    def _render_choice(self) -> RenderChoice:
        """The site rules and the stored decisions (the database open while the requests are made)."""
        from storage import Store

        store = Store.if_present(self.settings.get("EDITWATCH_DB")) if self.render == "auto" else None
        return render_choice(self.settings, store)

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
        return FetchedPage(url=url, watch_id=self.watch_ids.get(url), rendered=meta.get(RENDERED_META))
