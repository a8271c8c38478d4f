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

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro

from crawler import idna_cache

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
