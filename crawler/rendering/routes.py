"""scrapy-playwright's handler with one call into Python per request a rendered page makes, and no more.

Every request of a rendered page is paused in Chromium until Python says whether it may load
(:mod:`.subrequests`). scrapy-playwright's own route handler then asks Playwright's driver for
the request's headers (a round trip through the driver to Chromium) to copy them back into the
request, and keeps counters fed by an event per request and per response; each of those is
CPU in editwatch, the driver and Chromium's browser process, on every check. Here a request is
refused or let through as it is: the page's context already sends editwatch's User-Agent, and
only the page's own navigation carries the headers of the Scrapy request, as before. Imported
only when the first page is rendered (it imports scrapy-playwright).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import Error as PlaywrightError
from scrapy.http.headers import Headers
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

logger = logging.getLogger("editwatch.rendering")


class LeanPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler, with a lean route per page request and no per-request counters."""

    async def _create_page(self, request: Any, spider: Any) -> Any:
        page = await super()._create_page(request=request, spider=spider)
        # Unsubscribed, the driver no longer sends an event per request and per response to Python.
        page.remove_listener("request", self._increment_request_stats)
        page.remove_listener("response", self._increment_response_stats)
        return page

    def _make_request_handler(
        self,
        *,
        method: str,
        url: str,
        headers: Headers,
        body: bytes | None,
        encoding: str,
        initial_request_done: asyncio.Event,
        **_unused: Any,
    ) -> Callable[[Any, Any], Awaitable[None]]:
        async def handle(route: Any, playwright_request: Any) -> None:
            try:
                if self.abort_request is not None and self.abort_request(playwright_request):
                    await route.abort()
                    return
                if initial_request_done.is_set() or not _is_the_navigation(playwright_request, url):
                    await route.continue_()
                    return
                initial_request_done.set()
                overrides: dict[str, Any] = {"headers": _navigation_headers(headers)}
                if method.upper() != playwright_request.method.upper():
                    overrides["method"] = method
                if body:
                    overrides["post_data"] = body.decode(encoding)
                # The response's request shows the headers that were sent.
                headers.clear()
                headers.update(overrides["headers"])
                await route.continue_(**overrides)
            except PlaywrightError as exc:  # the page closed meanwhile
                logger.debug("a request of %s was not handled: %s", url, exc)

        return handle


def _is_the_navigation(playwright_request: Any, url: str) -> bool:
    return (
        playwright_request.url.rstrip("/") == url.rstrip("/") and playwright_request.is_navigation_request()
    )


def _navigation_headers(headers: Headers) -> dict[str, str]:
    """The Scrapy request's headers, as scrapy-playwright's ``use_scrapy_headers`` sends them."""
    return dict(headers.to_unicode_dict())
