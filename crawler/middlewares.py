"""Downloader middlewares: cross-cutting fetch concerns, configured by settings."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from storage import Store
from storage.errors import StorageError
from storage.robots import capped

logger = logging.getLogger("editwatch.fetch")


class ConditionalGetMiddleware:
    """Send the stored ETag and Last-Modified so an unchanged page costs a 304, not a download.

    The spider puts the watch's validators in ``request.meta["validators"]``.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls()

    def process_request(self, request: Request) -> None:
        validators = request.meta.get("validators") or {}
        if validators.get("etag") and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = validators["etag"]
        if validators.get("last_modified") and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = validators["last_modified"]
        return None


class SiteBackedOff(IgnoreRequest):
    """A request not sent because its site asked us to wait (HTTP 429 or 503 with Retry-After)."""

    def __init__(self, host: str, until: float):
        super().__init__(f"{host} asked to wait until {time.strftime('%H:%M:%S', time.localtime(until))}")
        self.host = host
        self.until = until  # epoch seconds


class SiteBackoffMiddleware:
    """Back a whole site off when it answers 429, or 503 with ``Retry-After``.

    The answer itself is not retried at once (``dont_retry``); its request gets
    ``meta["retry_not_before"]`` (epoch seconds) so the schedule can honour it.
    Until then every request to that host is dropped with :class:`SiteBackedOff`,
    which the spider reports so the watch is simply postponed, not failed. A 503
    without ``Retry-After`` is an ordinary transient error, retried as usual.

    Settings: ``BACKOFF_DEFAULT_SECONDS`` (a 429 without ``Retry-After``) and
    ``BACKOFF_MAX_SECONDS`` (the longest wait honoured).
    """

    def __init__(self, default_seconds: float, max_seconds: float):
        self.default_seconds = default_seconds
        self.max_seconds = max_seconds
        self.until: dict[str, float] = {}  # host -> epoch seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteBackoffMiddleware:
        settings = crawler.settings
        return cls(
            settings.getfloat("BACKOFF_DEFAULT_SECONDS", 60), settings.getfloat("BACKOFF_MAX_SECONDS", 3600)
        )

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        until = self.until.get(host)
        if until is None:
            return None
        if time.time() >= until:
            del self.until[host]
            return None
        raise SiteBackedOff(host, until)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503):
            return response
        seconds = parse_retry_after(response.headers.get(b"Retry-After"))
        if seconds is None:
            if response.status == 503:
                return response
            seconds = self.default_seconds
        seconds = max(1.0, min(seconds, self.max_seconds))
        host = urlparse_cached(request).hostname or ""
        until = time.time() + seconds
        if until > self.until.get(host, 0):
            self.until[host] = until
            logger.info(
                "%s answered HTTP %s: pausing all requests to it for %d s", host, response.status, seconds
            )
        request.meta["dont_retry"] = True
        request.meta["retry_not_before"] = until
        self._forget_expired()
        return response

    def _forget_expired(self) -> None:
        now = time.time()
        for host in [h for h, until in self.until.items() if until <= now]:
            del self.until[host]


def parse_retry_after(value: bytes | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); ``None`` if absent."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


class ExpiringRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, reading each site's robots.txt at most once per ``ROBOTSTXT_TTL`` seconds.

    Scrapy keeps a site's rules for the life of the crawler; a daemon runs for
    weeks, and a site's rules (or a robots.txt that failed to download) must not
    be remembered that long. And `editwatch check` starts a new crawler every
    time, often from cron: so what was read is kept in the database (``robots_txt``)
    and a site's robots.txt is fetched once per TTL across processes and restarts.
    A 2xx answer is kept as served, a 4xx as "no rules" (as Scrapy reads it); a
    network failure, a 5xx or a 429 is not kept, so the next process asks again.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.ttl = crawler.settings.getfloat("ROBOTSTXT_TTL", 86400)
        self._read_at: dict[str, float] = {}
        self._store: Store | None = None
        self._store_failed = False
        crawler.signals.connect(self._close_store, signal=signals.spider_closed)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        netloc = url.netloc
        now = time.monotonic()
        read_at = self._read_at.get(netloc)
        # An entry still being fetched is a Deferred: leave it alone.
        if (
            netloc in self._parsers
            and not isinstance(self._parsers[netloc], Deferred)
            and read_at is not None
            and now - read_at > self.ttl
        ):
            del self._parsers[netloc]
        if netloc not in self._parsers:
            self._read_at[netloc] = now
            # Synchronous, so that no other request of this site can start a fetch meanwhile.
            stored = self._stored_parser(f"{url.scheme}://{netloc}", netloc)
            if stored is not None:
                await self.crawler.signals.send_catch_log_async(
                    signal=signals.robots_parsed, robotparser=stored, request=request
                )
                return stored
        pending = self._parsers.get(netloc)
        if isinstance(pending, Deferred):
            # Robots.txt is still downloading. Scrapy 2.19 awaits the shared Deferred directly, and
            # its first waiter swallows the parser: every later one got None, "allowed". Relay it.
            waiter: Deferred = Deferred()

            def relay(parser: RobotParser | None) -> RobotParser | None:
                waiter.callback(parser)
                return parser

            pending.addCallback(relay)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)

    def _stored_parser(self, site: str, netloc: str) -> RobotParser | None:
        """The parser of the site's stored robots.txt if it is younger than the TTL (else Scrapy fetches it)."""
        store = self._open_store()
        if store is None:
            return None
        try:
            stored = store.robots_txt.get(site)
        except StorageError as exc:
            logger.warning("cannot read the stored robots.txt of %s: %s", site, exc)
            return None
        if stored is None:
            return None
        age = stored.age_seconds()
        if not 0 <= age < self.ttl:  # old, or from the future: the clock moved
            return None
        parser = build_from_crawler(self._parserimpl, self.crawler, stored.body)
        self._parsers[netloc] = parser
        # Expire it in memory when it expires in the database.
        self._read_at[netloc] = time.monotonic() - age
        self._stats.inc_value("robotstxt/stored_count")
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        body = _robots_body_to_keep(response)
        if body is not None:
            # Parse exactly what is kept, so this process and the next read the same rules.
            response = response.replace(body=body)
            url = urlparse_cached(request)
            self._keep(f"{url.scheme}://{netloc}", response.status, body)
        await super()._parse_robots(response, netloc, request)

    def _keep(self, site: str, status: int, body: bytes) -> None:
        store = self._open_store()
        if store is None:
            return
        try:
            store.robots_txt.put(site, status, body)
        except StorageError as exc:
            logger.warning("cannot store the robots.txt of %s: %s", site, exc)

    def _open_store(self) -> Store | None:
        """The crawl's database, opened on first use (None, with one warning, if it cannot be)."""
        if self._store is None and not self._store_failed:
            if not self.crawler.settings.get("EDITWATCH_DB"):
                # No database (a one-off fetch outside any): robots.txt is read for this run only.
                self._store_failed = True
                return None
            try:
                self._store = Store(self.crawler.settings.get("EDITWATCH_DB"))
            except StorageError as exc:
                self._store_failed = True
                logger.warning("robots.txt is not kept between runs: %s", exc)
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _robots_body_to_keep(response: Response) -> bytes | None:
    """What to store of a robots.txt answer: the body of a 2xx, nothing (no rules) for a 4xx; None: do not keep.

    A 429 is the site asking us to slow down, not an absent robots.txt: like a 5xx, it is not kept.
    """
    if 200 <= response.status < 300:
        return capped(response.body)
    if 400 <= response.status < 500 and response.status != 429:
        return b""
    return None
