"""A crawl that logs through Scrapy's handler makes no log record below its LOG_LEVEL."""

from __future__ import annotations

import logging
import multiprocessing

from monitor.daemon.crawl import check_watches
from monitor.demo.site import NewsSite
from storage import Store


def _levels_during_a_check(db: str, ids: list[int], results) -> None:
    made: list[str] = []
    original = logging.LogRecord.__init__

    def counting(self, name, level, *args, **kwargs):
        made.append(f"{name}:{logging.getLevelName(level)}")
        original(self, name, level, *args, **kwargs)

    logging.LogRecord.__init__ = counting
    seen: list[int] = []
    check_watches(
        db, {"fetch": {"delay_seconds": 0}}, ids, lambda item: seen.append(logging.root.level), workers=1
    )
    results.put((seen, [m for m in made if m.startswith(("monitor.", "crawler.", "storage."))]))


def test_a_check_makes_no_debug_records_of_its_own(tmp_path) -> None:
    with NewsSite.generated(3, sites=1, seed=6) as site:
        db = tmp_path / "editwatch.db"
        with Store(db) as store:
            ids = [store.watches.add(site.url(slug))[0].id for slug in site.stories]
        # In a new interpreter: a crawl here would leave this process's reactor stopped for other tests.
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        first = context.Process(target=_levels_during_a_check, args=(str(db), ids, results))
        first.start()
        levels, _ = results.get(timeout=120)
        first.join()
        # Unchanged checks, each logged at DEBUG by the recording pipeline: not made at all.
        again = context.Process(target=_levels_during_a_check, args=(str(db), ids, results))
        again.start()
        levels_again, made = results.get(timeout=120)
        again.join()
    assert levels == levels_again == [logging.WARNING] * 3
    assert made == []
