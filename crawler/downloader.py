"""Scrapy's downloader, with its per-site concurrency limit enforced (``DOWNLOADER`` setting).

In Scrapy 2.19 on the asyncio reactor, ``Downloader._process_queue`` starts each
queued request as a task and counts it as "transferring" only once that task
runs. With no download delay, one call therefore starts every queued request
for a site at once: ``CONCURRENT_REQUESTS_PER_DOMAIN = 2`` let six slow pages of
one site be fetched together in our test. This subclass claims the transfer
slot before the task is scheduled, so a site never has more requests in flight
than its limit. (With a delay Scrapy starts one request per call and is right.)
"""

from __future__ import annotations

import inspect
import sys
from time import monotonic
from typing import Any

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils import deprecate
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro

from crawler import idna_cache


class _CallerOnly:
    """``inspect`` for Scrapy's deprecation shims: the caller's module, read from its frame.

    Three deprecated aliases in Scrapy's TLS modules ask ``inspect.stack()`` for their own
    module name when they are defined: the source lines of every frame on the stack and a
    scan of every loaded module, about a tenth of `editwatch check`'s start-up for a name.
    """

    @staticmethod
    def stack(context: int = 1) -> list[Any]:
        return [None, (sys._getframe(2),)]  # [1][0]: the frame that called create_deprecated_class

    @staticmethod
    def getmodule(frame: Any) -> Any:
        return sys.modules.get(frame.f_globals.get("__name__", ""))

    def __getattr__(self, name: str) -> Any:
        return getattr(inspect, name)


def _import_tls_modules() -> None:
    """Import the TLS modules the HTTP download handler needs, their aliases named cheaply."""
    deprecate.inspect = _CallerOnly()  # type: ignore[assignment]
    try:
        from scrapy.core.downloader import contextfactory, tls  # noqa: F401
    finally:
        deprecate.inspect = inspect


_import_tls_modules()
idna_cache.install()


class PerSiteLimitDownloader(Downloader):
    """:class:`scrapy.core.downloader.Downloader` that never exceeds a slot's concurrency."""

    def _process_queue(self, slot: Slot) -> None:
        # Scrapy 2.19's method, except for the line marked below.
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # claimed now; _download() adds it again and frees it
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break
