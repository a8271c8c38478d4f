"""`check` over many watches: crawler processes that share a site keep its limit of requests at a time."""

from __future__ import annotations

import multiprocessing

from monitor.daemon.crawl import check_watches, crawl_plan, shared_politeness
from monitor.demo.site import NewsSite
from monitor.demo.stories import generated_story
from storage import Store


def _check(db: str, config: dict, ids: list[int], results) -> None:
    reported: list[tuple[int, str]] = []
    check_watches(db, config, ids, lambda item: reported.append((item.watch_id, item.outcome)), workers=2)
    results.put(reported)


def _check_in_a_child(db: str, config: dict, ids: list[int]) -> list[tuple[int, str]]:
    """``check_watches`` with two workers, run in a new interpreter: a crawl in this process would
    leave its reactor stopped for the other tests' crawls."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_check, args=(db, config, ids, results))
    child.start()
    reported = results.get(timeout=120)
    child.join()
    return reported


def _check_one_site(tmp_path, fetch: dict) -> tuple[list[tuple[int, str]], int, list[int], list]:
    stories = [generated_story(n) for n in range(1, 9)]
    with NewsSite(stories, seed=3) as site:
        for story in stories:
            site.set_delay(story.slug, 0.4)  # slow answers: the requests at a time show in the peak
        db = tmp_path / "editwatch.db"
        with Store(db) as store:
            ids = [store.watches.add(site.url(story.slug))[0].id for story in stories]
        config = {"fetch": {"retries": 0, "timeout_seconds": 30, **fetch}}
        reported = _check_in_a_child(str(db), config, ids)
        plan = crawl_plan(str(db), config, ids, 2)
        return sorted(reported), site.peak_total, ids, plan


def test_without_a_pause_two_processes_share_a_site_and_its_limit(tmp_path) -> None:
    reported, peak, ids, plan = _check_one_site(tmp_path, {"delay_seconds": 0, "per_domain": 4})
    assert reported == [(i, "new_version") for i in ids]
    assert [(watches, config["fetch"]["per_domain"]) for watches, config in plan] == [
        (ids[0::2], 2),
        (ids[1::2], 2),
    ]
    # Each of the two processes may send two at a time: the site saw four, never more.
    assert peak == 4


def test_with_a_pause_a_site_stays_with_one_process(tmp_path) -> None:
    reported, peak, ids, plan = _check_one_site(tmp_path, {"delay_seconds": 0.05, "per_domain": 2})
    assert reported == [(i, "new_version") for i in ids]
    assert [(watches, config["fetch"]["per_domain"]) for watches, config in plan] == [(ids, 2)]
    # One crawler keeps the pause and the limit (two processes with two each would reach four).
    assert peak == 2


def test_how_many_processes_share_a_site() -> None:
    assert shared_politeness({"fetch": {"delay_seconds": 0, "per_domain": 16}}, 2) == (2, 8)
    assert shared_politeness({"fetch": {"delay_seconds": 0, "per_domain": 3}}, 4) == (3, 1)
    assert shared_politeness({"fetch": {"delay_seconds": 0, "per_domain": 1}}, 2) is None
    assert shared_politeness({"fetch": {"delay_seconds": 0.5, "per_domain": 16}}, 2) is None
    assert shared_politeness({}, 2) is None  # the default pause of half a second
