"""The download handler of static pages: Scrapy's aiohttp handler, the fetch policy on its connections.

Scrapy's Twisted handler (``HTTP11DownloadHandler``) parses each response in
Python, line by line, through chains of Deferreds: most of what the crawler spends
on a request beside editwatch's own pipelines. Scrapy's asyncio handler on aiohttp
parses responses in C (llhttp) on the asyncio loop the crawl already runs on.
Everything above the handler is unchanged: the downloader middlewares (robots.txt,
User-Agent, timeouts, retries, redirects, ``<meta refresh>``, decompression,
conditional GET) and Scrapy's size limits (``DOWNLOAD_MAXSIZE``, checked against
``Content-Length`` and while the body arrives).

What the Twisted handler got from the crawler's Twisted resolver
(:class:`crawler.resolver.ExpiringResolver`) is given to aiohttp's connector here:

- DNS answers kept ``DNS_CACHE_SECONDS``, failures never kept, a lookup given
  ``DNS_TIMEOUT`` seconds;
- with ``EDITWATCH_BLOCK_PRIVATE_ADDRESSES``, a name that resolves to a private,
  loopback or link-local address is refused, and no connection is ever opened to
  such an address (the socket factory checks the address it is given to connect
  to: an answer that changed since the downloader middleware's check, an IP
  literal, a proxy);
- HTTPS certificates verified unless ``DOWNLOAD_VERIFY_CERTIFICATES`` is off
  (Scrapy's TLS context, built on the first https request: an http-only crawl
  never reads the system's certificates).
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Any, ClassVar

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler, _ClientResponse
from scrapy.core.downloader.handlers._base_streaming import BaseStreamingDownloadHandler
from scrapy.utils.ssl import _make_ssl_context
from twisted.internet.error import DNSLookupError

from crawler.fetch_policy import SETTING as BLOCK_PRIVATE
from crawler.fetch_policy import PrivateAddressRefused, address_kind
from crawler.resolver import CACHE_SIZE

if TYPE_CHECKING:
    import ssl
    from contextlib import AbstractAsyncContextManager

    from scrapy import Request
    from scrapy.crawler import Crawler


class PolicyResolver(AbstractResolver):
    """aiohttp's threaded resolver (the system's ``getaddrinfo``) with a timeout and the address rules."""

    def __init__(self, timeout: float, block_private: bool):
        self.timeout = timeout
        self.block_private = block_private
        self._resolver = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            answers = await asyncio.wait_for(self._resolver.resolve(host, port, family), self.timeout or None)
        except TimeoutError:
            # A DNS error, as Twisted's resolver said it: not the download's timeout.
            raise DNSLookupError(f"no answer for {host} within {self.timeout:g} s") from None
        if self.block_private:
            for answer in answers:
                kind = address_kind(answer["host"])
                if kind is not None:
                    raise PrivateAddressRefused(f"{host} resolves to {answer['host']}, {kind}")
        return answers

    async def close(self) -> None:
        await self._resolver.close()


def _policy_socket_factory(addr_info: Any) -> socket.socket:
    """A socket for a connection to a public address; :class:`PrivateAddressRefused` for any other."""
    family, type_, proto, _, address = addr_info
    kind = address_kind(str(address[0]))
    if kind is not None:
        raise PrivateAddressRefused(f"{address[0]} is {kind}")
    return socket.socket(family=family, type=type_, proto=proto)


class StaticDownloadHandler(AiohttpDownloadHandler):
    """Scrapy's aiohttp download handler, its connections held to the crawler's fetch policy."""

    # Scrapy marks the handler experimental; editwatch pins Scrapy's minor version and its tests
    # hold every behaviour of a fetch (tests/test_fetch_policy.py, tests/test_faults.py...).
    experimental: ClassVar[bool] = False

    def __init__(self, crawler: Crawler):
        # Scrapy 2.19's AiohttpDownloadHandler.__init__, with the connector given the policy.
        BaseStreamingDownloadHandler.__init__(self, crawler)
        settings = crawler.settings
        self._settings = settings
        self._tls_context: ssl.SSLContext | None = None
        block_private = settings.getbool(BLOCK_PRIVATE)
        ttl = settings.getfloat("DNS_CACHE_SECONDS", 300) if settings.getbool("DNSCACHE_ENABLED") else 0
        connector = aiohttp.TCPConnector(
            local_addr=self._bind_address,
            limit=self._pool_size_total,
            limit_per_host=self._pool_size_per_host,
            resolver=PolicyResolver(settings.getfloat("DNS_TIMEOUT"), block_private),
            use_dns_cache=ttl > 0,
            ttl_dns_cache=int(ttl) or None,
            dns_cache_max_size=CACHE_SIZE,
            socket_factory=_policy_socket_factory if block_private else None,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,  # HttpCompressionMiddleware decompresses, within the size cap
            response_class=_ClientResponse,
            skip_auto_headers=("Accept", "Accept-Encoding", "Content-Type", "User-Agent"),
        )

    def _make_request(self, request: Request, timeout: float) -> AbstractAsyncContextManager[_ClientResponse]:
        if self._tls_context is None and (request.url.startswith("https:") or request.meta.get("proxy")):
            self._tls_context = _make_ssl_context(self._settings)
        return super()._make_request(request, timeout)

    @property
    def _ssl_context(self) -> ssl.SSLContext | bool:  # what Scrapy's _make_request passes aiohttp
        # Before the first https request only http is fetched, and aiohttp reads no TLS context for it.
        return self._tls_context if self._tls_context is not None else True
