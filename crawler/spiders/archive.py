"""The archive spider: lists a URL's captures in a web archive and fetches each raw capture.

``scrapy crawl archive -a url=URL [-a archive=CDX] [-a since=TS] [-a until=TS]``
yields a :class:`CaptureListing`, then one :class:`CaptureFetch` per capture. The
backfill passes ``choose`` (a function from the listed captures to those worth
fetching) when it starts the spider. The requests go through the same downloader
middlewares as live checks: robots.txt, politeness, size caps, the fetch policy.

Any failure of the archive itself (refused connection, timeout, an error status for
a capture it listed as fine, an answer that is not a replay) stops the crawl: a
history built from part of an archive's answers could not be told from a whole one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import scrapy
from scrapy import Request
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.archives import (
    ArchiveEndpoints,
    ArchiveError,
    Capture,
    memento_time,
    original_headers,
    parse_cdx,
)
from crawler.failures import describe_failure
from crawler.items import CaptureFetch, CaptureListing
from crawler.spiders.article import response_headers
from storage import clock

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class ArchiveSpider(scrapy.Spider):
    name = "archive"
    # Archived error pages replay with their status; the callback tells them from the archive's own errors.
    handle_httpstatus_list = list(range(400, 600))

    def __init__(
        self,
        url: str,
        archive: str | None = None,
        replay: str | None = None,
        since: str | None = None,
        until: str | None = None,
        choose: Callable[[list[Capture]], list[Capture]] | None = None,
        watch_id: int | str | None = None,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.url = url
        self.endpoints = ArchiveEndpoints.from_urls(archive, replay)
        self.since, self.until = since, until
        self.choose = choose or (lambda captures: captures)
        self.host = self.endpoints.cdx.split("/")[2]
        self.queue: list[Capture] = []
        self.watch_id = int(watch_id) if watch_id not in (None, "") else None

    async def start(self) -> AsyncIterator[Request]:
        listing = self.endpoints.listing_url(self.url, self.since, self.until)
        yield Request(listing, callback=self.listed, errback=self.failed, dont_filter=True)

    def listed(self, response: Response):
        item = CaptureListing(url=response.url)
        if response.status != 200:
            yield from self._stop(item, f"{self.host} answered HTTP {response.status} to the capture list")
        try:
            item.captures = parse_cdx(response.body)
        except ArchiveError as exc:
            yield from self._stop(item, f"{self.host}: {exc}")
            return
        item.chosen = list(self.choose(item.captures))
        self.queue = list(item.chosen)
        yield item
        yield from self._next_capture()

    def _next_capture(self):
        """The request for the next capture: one at a time, oldest first (each is evidence for the next)."""
        if self.queue:
            capture = self.queue.pop(0)
            yield Request(
                self.endpoints.raw_capture_url(capture),
                callback=self.captured,
                errback=self.failed,
                dont_filter=True,
                meta={"capture": capture},
            )

    def captured(self, response: Response):
        capture: Capture = response.meta["capture"]
        item = CaptureFetch(
            capture=capture, replay_url=response.request.url, watch_id=self.watch_id, status=response.status
        )
        moment = memento_time(_header(response, b"Memento-Datetime"))
        if moment is None:
            yield from self._stop(
                item,
                f"{self.host} did not send the capture of {capture.timestamp} as an archived page"
                " (no Memento-Datetime header): is it a web archive?",
            )
            return
        if response.status >= 400 and response.status != capture.status:
            yield from self._stop(
                item, f"{self.host} answered HTTP {response.status} for the capture of {capture.timestamp}"
            )
            return
        item.captured_at = clock.to_text(moment)
        item.headers = original_headers(response_headers(response), moment)
        item.content_type = _header(response, b"Content-Type")
        mime = (item.content_type or "").split(";")[0].strip().lower()
        if not isinstance(response, TextResponse) or (mime and mime not in _HTML_TYPES):
            item.problem = f"not an HTML page (Content-Type: {mime or 'unknown'})"
        else:
            item.raw = response.body
            item.html = response.text
        yield item
        yield from self._next_capture()

    def failed(self, failure: Failure):
        request = failure.request
        capture = request.meta.get("capture")
        reason, _ = describe_failure(
            failure, self.settings.getfloat("DOWNLOAD_TIMEOUT"), self.settings.getint("DOWNLOAD_MAXSIZE")
        )
        what = f"the capture of {capture.timestamp}" if capture else "the capture list"
        if capture is None:
            item = CaptureListing(url=request.url)
        else:
            item = CaptureFetch(capture=capture, replay_url=request.url, watch_id=self.watch_id)
            if reason.startswith("page too large"):
                # The capture is over the size cap, as a live page would be: skipped, not a failure.
                item.problem = reason
                yield item
                yield from self._next_capture()
                return
        yield from self._stop(item, f"{self.host} failed on {what}: {reason}")

    def _stop(self, item, error: str):
        """Report ``item`` as the archive's failure, then close the crawl (see the module)."""
        item.error = error
        yield item
        raise CloseSpider("archive failed")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
