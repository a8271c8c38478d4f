"""The download handler for http(s): Scrapy's own, and the browser for requests that must be rendered.

Installed as ``DOWNLOAD_HANDLERS["http"/"https"]``. A request without
``meta["playwright"]`` is fetched by Scrapy's HTTP handler, as if this one were not
there: playwright is not imported, no driver nor browser started. The first rendered
request starts scrapy-playwright's handler, and with it Playwright and Chromium; both
stop when the crawl closes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import weakref
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.settings import Settings

from crawler.fetch_policy import SETTING as BLOCK_PRIVATE
from crawler.rendering import RENDER_META
from crawler.rendering.browser import DEFAULT_BROWSER_PATH, context_options, playwright_settings, settle
from crawler.rendering.pool import PagePool
from crawler.rendering.subrequests import site_of, subrequest_refusal

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger("editwatch.rendering")


class BrowserError(Exception):
    """A page could not be rendered: no browser, or the browser failed or timed out (one line)."""


class RenderingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler that hands rendered requests to scrapy-playwright, started on first use."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.crawler = crawler
        self._browser: Any = None
        self._starting = asyncio.Lock()
        self._page_urls: dict[int, str] = {}  # id(page) -> the URL it renders
        # One rendered page per site at a time: pages share one browser context (a context per page
        # costs a renderer process each), so a site's cookies are cleared before its page loads, and
        # no other page of the site is loading to lose them or to see them.
        self._site_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # Pooled pages stay open, so scrapy-playwright's page limit is never given back: a request
        # beyond [fetch] browser_pages waits here for a page of the pool, not there for ever.
        self._pages = asyncio.Semaphore(max(1, crawler.settings.getint("EDITWATCH_BROWSER_PAGES", 4)))
        self.pool = PagePool()
        self._timeout_ms = crawler.settings.getfloat("EDITWATCH_BROWSER_TIMEOUT", 20) * 1000
        self._proxy: Any = None  # with block_private_addresses: the browser's checked way out

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get(RENDER_META):
            return await super().download_request(request)
        browser = await self._started_browser()
        site = _site(request.url)
        lock = self._site_locks.get(site)
        if lock is None:
            lock = self._site_locks[site] = asyncio.Lock()
        async with lock, self._pages:
            return await self._render(browser, request)

    async def _render(self, browser: Any, request: Request) -> Response:
        request.meta["playwright_context_kwargs"] = context_options(self.crawler.settings)
        request.meta["playwright_page_init_callback"] = self._page_opened
        request.meta["playwright_page_methods"] = [_page_method(settle, self._timeout_ms / 2)]
        # Pages are kept open and reused: in headless Chromium a new page costs more CPU than
        # loading the article in it. A page waits frozen (no script, timer or request runs).
        request.meta["playwright_include_page"] = True
        page = await self.pool.take()
        if page is not None:
            request.meta["playwright_page"] = page
        try:
            response = await browser.download_request(request)
        except BaseException as exc:
            page = request.meta.pop("playwright_page", None)
            if page is not None:
                await self.pool.discard(page)
            if _is_playwright_error(exc):
                raise BrowserError(_one_line(exc, self._timeout_ms)) from None
            raise
        page = request.meta.pop("playwright_page", None)
        response.meta.pop("playwright_page", None)
        if page is not None:
            await self.pool.give_back(page)
        return response

    async def _started_browser(self) -> Any:
        """scrapy-playwright's handler, created and launched by the first rendered request."""
        async with self._starting:
            if self._browser is None:
                path = self.crawler.settings.get("EDITWATCH_BROWSER_PATH") or DEFAULT_BROWSER_PATH
                if not os.access(path, os.X_OK):
                    raise BrowserError(
                        f"no browser at {path} to render the page (apt-get install chromium; [fetch] browser_path)"
                    )
                from scrapy_playwright.handler import Config

                from crawler.rendering.routes import LeanPlaywrightHandler

                browser = LeanPlaywrightHandler(self.crawler)
                settings = Settings(self.crawler.settings.copy_to_dict())
                settings.update(playwright_settings(self.crawler.settings))
                if self.crawler.settings.getbool(BLOCK_PRIVATE):
                    from crawler.rendering.socks import CheckedProxy

                    # Chromium would resolve names again itself: it connects through a proxy that
                    # reaches only the address it checked (DNS rebinding).
                    if self._proxy is not None:  # left by a launch that failed
                        await self._proxy.close()
                    self._proxy = CheckedProxy()
                    proxy = {"server": await self._proxy.start()}
                    settings["PLAYWRIGHT_LAUNCH_OPTIONS"] = {
                        **settings["PLAYWRIGHT_LAUNCH_OPTIONS"],
                        "proxy": proxy,
                    }
                browser.config = Config.from_settings(settings)
                browser.context_semaphore = asyncio.Semaphore(1)
                browser.abort_request = self._refused
                try:
                    await browser._launch()
                except Exception as exc:
                    raise BrowserError(
                        f"the browser did not start: {_one_line(exc, self._timeout_ms)}"
                    ) from None
                self._browser = browser
        return self._browser

    async def _page_opened(self, page: Any, request: Request) -> None:
        key = id(page)
        new_page = key not in self._page_urls
        self._page_urls[key] = request.url
        if new_page:
            # scrapy-playwright reads the rendered page with page.content(), which injects Playwright's
            # selector engine (345 KB of script) into every document it reads: read it through DevTools.
            page.content = functools.partial(self.pool.document_html, page)
        await self.pool.thaw(page)
        # Checks carry nothing from one to the next (as COOKIES_ENABLED = False for static pages).
        site = re.escape(_site(request.url))
        await page.context.clear_cookies(domain=re.compile(rf"^(.*\.)?{site}$"))
        page.on("close", lambda _page: self._page_urls.pop(key, None))

    def _refused(self, playwright_request: Any) -> bool:
        """Whether to abort a request the rendered page makes (scrapy-playwright's abort hook)."""
        try:
            frame = playwright_request.frame
            page_url = self._page_urls.get(id(frame.page))
            child_frame = frame.parent_frame is not None
        except Exception:  # a service worker's request has no frame
            return True
        if page_url is None:
            return True
        reason = subrequest_refusal(
            playwright_request.url,
            playwright_request.resource_type,
            page_url,
            child_frame=child_frame,
            block_private=self.crawler.settings.getbool(BLOCK_PRIVATE),
            robots_allow=self._robots_allow,
        )
        if reason and logger.isEnabledFor(logging.DEBUG):
            logger.debug("not loaded for %s: %s (%s)", page_url, playwright_request.url, reason)
        return reason is not None

    def _robots_allow(self, url: str) -> bool:
        """Whether the site's robots.txt, as the crawler read it for the page, allows ``url``."""
        middleware = _robots_middleware(self.crawler)
        if middleware is None:
            return True  # robots.txt is not obeyed ([fetch] obey_robots_txt = false)
        from urllib.parse import urlsplit

        parser = middleware._parsers.get(urlsplit(url).netloc)
        if not isinstance(parser, RobotParser):
            # Another host of the site whose robots.txt was never read: not loaded.
            return False
        agent = middleware._robotstxt_useragent or middleware._default_useragent
        return parser.allowed(url, agent)

    async def close(self) -> None:
        self.pool.forget()
        if self._browser is not None:
            browser, self._browser = self._browser, None
            try:
                await browser.close()
            except Exception as exc:
                logger.warning("the browser did not close cleanly: %s", exc)
        if self._proxy is not None:
            await self._proxy.close()
        await super().close()


def _site(url: str) -> str:
    from urllib.parse import urlsplit

    return site_of(urlsplit(url).hostname or "")


def _page_method(function: Any, *args: Any) -> Any:
    from scrapy_playwright.page import PageMethod

    return PageMethod(function, *args)


def _robots_middleware(crawler: Crawler) -> RobotsTxtMiddleware | None:
    engine = crawler.engine
    if engine is None:
        return None
    for middleware in engine.downloader.middleware.middlewares:
        if isinstance(middleware, RobotsTxtMiddleware):
            return middleware
    return None


def _is_playwright_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("playwright.")


def _one_line(exc: BaseException, timeout_ms: float) -> str:
    """Playwright's message without its call log: its first line, a timeout said in seconds."""
    if type(exc).__name__ == "TimeoutError":
        seconds = f"{timeout_ms / 1000:g}"
        return f"the page did not load within {seconds} s in the browser ([fetch] browser_timeout_seconds)"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return (lines[0] if lines else type(exc).__name__)[:300]
