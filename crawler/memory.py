"""Garbage collection suited to a crawler: a large heap that lives for the whole run, and churn per page.

Once the engine has started, the heap holds the objects that live as long as the
process (modules, classes, Scrapy's, Twisted's and lxml's machinery), and CPython's
full collections walk all of them again and again: 70 to 90 ms each, eight of them
in a 2,000-article check. A check allocates thousands of short-lived objects; with
CPython's default threshold (a young collection every 700 net allocations) many are
still alive at a collection and get promoted, which is what brings the full
collections on. In ``benchmarks/checks.py``'s in-process probe, collections cost
0.3 to 0.8 ms per check before this tuning.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler


class GarbageCollectionTuning:
    """While the engine runs: start-up's objects frozen out of collections, young garbage collected less often.

    ``GC_YOUNG_THRESHOLD`` (setting) is the number of net allocations between young
    collections; at most that many dead objects in reference cycles wait to be freed.
    Both changes are undone when the engine stops.
    """

    def __init__(self, young_threshold: int):
        self.young_threshold = young_threshold
        self.saved: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GarbageCollectionTuning:
        tuning = cls(crawler.settings.getint("GC_YOUNG_THRESHOLD", 10_000))
        crawler.signals.connect(tuning.engine_started, signal=signals.engine_started)
        crawler.signals.connect(tuning.engine_stopped, signal=signals.engine_stopped)
        return tuning

    def engine_started(self) -> None:
        # No gc.collect() first: CPython's own collections have already freed start-up's garbage
        # (none was left when measured) and a full collection would add 30 ms to every `check`.
        gc.freeze()
        self.saved = gc.get_threshold()
        gc.set_threshold(self.young_threshold, *self.saved[1:])

    def engine_stopped(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            gc.unfreeze()
            self.saved = None
