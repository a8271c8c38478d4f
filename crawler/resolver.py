"""The crawler's DNS resolver: answers kept for a while, not for ever, and checked against the fetch policy.

Scrapy's default resolver caches every answer for the life of the process. A daemon
runs for weeks, and sites move: a CDN hands out new addresses, a newsroom changes
hosts. With the answer cached for ever, every check of the site would fail until a
restart. Here an answer is kept ``DNS_CACHE_SECONDS`` (``[fetch] dns_cache_seconds``,
default 300); failures are never kept, so a name that resolves again is used at once.

With ``EDITWATCH_BLOCK_PRIVATE_ADDRESSES`` an answer that is a private, loopback or
link-local address is refused (:class:`crawler.fetch_policy.PrivateAddressRefused`):
the check a connection itself goes through, after the downloader middleware's.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from scrapy.crawler import Crawler
from twisted.internet import defer
from twisted.internet.base import ThreadedResolver
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from crawler.fetch_policy import SETTING as BLOCK_PRIVATE
from crawler.fetch_policy import PrivateAddressRefused, address_kind

CACHE_SIZE = 10_000


@implementer(IResolverSimple)
class ExpiringResolver(ThreadedResolver):
    """IPv4 lookups in the reactor's thread pool, with a bounded cache whose answers expire."""

    def __init__(self, reactor: Any, timeout: float, ttl: float, block_private: bool = False):
        super().__init__(reactor)
        self.timeout = timeout
        self.ttl = ttl
        self.block_private = block_private
        self._cache: OrderedDict[str, tuple[str, float]] = OrderedDict()  # name -> (address, expires)

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> ExpiringResolver:
        settings = crawler.settings
        return cls(
            reactor,
            timeout=settings.getfloat("DNS_TIMEOUT"),
            ttl=settings.getfloat("DNS_CACHE_SECONDS", 300) if settings.getbool("DNSCACHE_ENABLED") else 0,
            block_private=settings.getbool(BLOCK_PRIVATE),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred:  # Twisted's name
        cached = self._cache.get(name)
        if cached is not None and cached[1] > time.monotonic():
            return defer.maybeDeferred(self._check, cached[0], name)
        self._cache.pop(name, None)
        looked_up = super().getHostByName(name, (self.timeout,))
        looked_up.addCallback(self._remember, name)
        looked_up.addCallback(self._check, name)
        return looked_up

    def _remember(self, address: str, name: str) -> str:
        if self.ttl > 0:
            self._cache[name] = (address, time.monotonic() + self.ttl)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return address

    def _check(self, address: str, name: str) -> str:
        if self.block_private:
            kind = address_kind(address)
            if kind is not None:
                raise PrivateAddressRefused(
                    f"{address} is {kind}" if address == name else f"{name} resolves to {address}, {kind}"
                )
        return address
