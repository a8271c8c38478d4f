"""Faults in a crawl cluster: workers killed, Redis restarted, the coordinator restarted, results twice.

Each test runs a real redis-server, real worker processes and the real coordinator
against loopback news sites, and counts versions, edits and checks exactly.
"""

from __future__ import annotations

import time

from monitor.demo.site import NewsSite
from monitor.demo.stories import generated_story
from storage import Store
from tests.cluster_parts import needs_redis
from tests.conftest import TEST_CONFIG
from tests.daemon_process import (
    checks_of,
    daemon_config,
    database_now,
    versions_of,
    wait_for,
    wait_for_first_versions,
    watch_all,
)

pytestmark = needs_redis

CLUSTER = {"cluster": {"lease_seconds": 8, "prefetch": 8}}


def _sites(count: int, per_site: int, delay: float) -> list[NewsSite]:
    """``count`` news sites on their own loopback addresses, each with slow stories."""
    sites = []
    for k in range(count):
        stories = [generated_story(n) for n in range(k * per_site + 1, (k + 1) * per_site + 1)]
        site = NewsSite(stories, host=f"127.1.9.{k + 1}", seed=k)
        site.start()
        for story in stories:
            site.set_delay(story.slug, delay)
        sites.append(site)
    return sites


def _checked_since(db, watch_ids, moment: str) -> bool:
    return all(any(c["checked_at"] > moment for c in checks_of(db, w)) for w in watch_ids)


def _no_check_twice(db) -> None:
    with Store(db) as store:
        twice = store.query(
            "SELECT watch_id, checked_at FROM checks GROUP BY watch_id, checked_at HAVING count(*) > 1"
        )
    assert not twice, f"checks recorded twice: {twice}"


def _drain(redis_server, workers) -> None:
    """Stop the workers gracefully, then wait until the coordinator has recorded all they sent."""
    for worker in workers:
        if worker.proc.poll() is None:
            assert worker.stop() == 0
    client = redis_server.client()
    wait_for("every result recorded", lambda: client.llen("editwatch:results") == 0, 20)


def test_a_site_never_gets_more_than_per_domain_requests_at_once_whatever_the_workers(
    workspace, redis_server, start_worker, start_daemon
):
    sites = _sites(2, 4, 0.3)
    try:
        slugs = [(site, slug) for site in sites for slug in site.stories]
        watch_all(workspace, [site.url(slug) for site, slug in slugs], "1s")
        config = {"fetch": {"per_domain": 1}, **CLUSTER}
        workspace.config.write_text(daemon_config(TEST_CONFIG, config))  # the workers read it too
        workers = [start_worker() for _ in range(3)]
        daemon = start_daemon("--redis", redis_server.url, config=config)
        wait_for(
            "many fetches of both sites",
            lambda: all(sum(s.requests[f"/{slug}"] for slug in s.stories) >= 12 for s in sites),
            60,
        )
        _drain(redis_server, workers)
        assert daemon.stop() == 0
    finally:
        for site in sites:
            site.stop()
    # Three workers, each allowed one request at a time per site: the site saw one at a time.
    assert [site.peak_total for site in sites] == [1, 1]
    # And its robots.txt was read once for the cluster.
    assert [site.requests["/robots.txt"] for site in sites] == [1, 1]


def test_a_worker_killed_mid_fetch_loses_nothing_and_another_does_its_checks(
    workspace, redis_server, start_worker, start_daemon
):
    sites = _sites(4, 2, 0.4)
    try:
        urls = [site.url(slug) for site in sites for slug in site.stories]
        watch_all(workspace, urls, "1s")
        workers = [start_worker(), start_worker()]
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for_first_versions(workspace.db, range(1, 9))
        sites[0].edit("story-1", "edit_paragraph")
        wait_for("a fetch in flight", lambda: any(s._active_total for s in sites))
        workers[0].kill()
        killed_at = database_now(workspace.db)
        for site, slug in ((sites[1], "story-3"), (sites[2], "story-5"), (sites[3], "story-7")):
            site.edit(slug, "edit_paragraph")
        wait_for(
            "every watch checked after the kill",
            lambda: _checked_since(workspace.db, range(1, 9), killed_at),
            40,
        )
        wait_for(
            "every edit stored", lambda: all(len(versions_of(workspace.db, n)) == 2 for n in (1, 3, 5, 7)), 30
        )
        _drain(redis_server, workers)
        assert daemon.stop() == 0
    finally:
        for site in sites:
            site.stop()
    assert [len(versions_of(workspace.db, n)) for n in range(1, 9)] == [2, 1, 2, 1, 2, 1, 2, 1]
    with Store(workspace.db) as store:
        assert store.query("SELECT count(*) AS n FROM changes WHERE event = 'edit'")[0]["n"] == 4
    _no_check_twice(workspace.db)
    assert "left: " in daemon.log


def test_redis_restarted_mid_run_the_cluster_carries_on(workspace, redis_server, start_worker, start_daemon):
    sites = _sites(2, 3, 0.2)
    try:
        urls = [site.url(slug) for site in sites for slug in site.stories]
        watch_all(workspace, urls, "1s")
        workers = [start_worker(), start_worker()]
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for_first_versions(workspace.db, range(1, 7))
        redis_server.restart(down_for=2)
        restarted_at = database_now(workspace.db)
        sites[0].edit("story-1", "headline")
        sites[1].edit("story-4", "edit_paragraph")
        wait_for("both edits stored", lambda: all(len(versions_of(workspace.db, n)) == 2 for n in (1, 4)), 40)
        wait_for(
            "every watch checked after the restart",
            lambda: _checked_since(workspace.db, range(1, 7), restarted_at),
            40,
        )
        assert all(worker.proc.poll() is None for worker in workers), "a worker died with Redis"
        _drain(redis_server, workers)
        assert daemon.stop() == 0
    finally:
        for site in sites:
            site.stop()
    assert [len(versions_of(workspace.db, n)) for n in range(1, 7)] == [2, 1, 1, 2, 1, 1]
    _no_check_twice(workspace.db)
    assert "Redis is reachable again" in daemon.log


def test_results_wait_in_redis_for_a_restarted_coordinator_and_a_duplicate_is_recorded_once(
    workspace, redis_server, start_worker, start_daemon
):
    with NewsSite([generated_story(n) for n in (1, 2, 3)], seed=3) as site:
        watch_all(workspace, [site.url(f"story-{n}") for n in (1, 2, 3)], "1s")
        workers = [start_worker()]
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for_first_versions(workspace.db, (1, 2, 3))
        site.edit("story-1", "edit_paragraph")
        site.set_delay("story-1", 3)
        wait_for("the edited page in flight", lambda: site.active["/story-1"] == 1, 20)
        assert daemon.stop() == 0
        # The worker finishes the fetch with no coordinator to record it: the result waits in Redis.
        client = redis_server.client()
        wait_for(
            "the result waiting",
            lambda: site.active["/story-1"] == 0 and client.llen("editwatch:results"),
            20,
        )
        waiting = client.lrange("editwatch:results", 0, -1)
        client.rpush("editwatch:results", *waiting)  # delivered twice
        assert len(versions_of(workspace.db, 1)) == 1
        site.set_delay("story-1", 0)
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for("the waiting edit recorded", lambda: len(versions_of(workspace.db, 1)) == 2, 20)
        time.sleep(1)
        _drain(redis_server, workers)
        assert daemon.stop() == 0
        requests = sum(site.requests[f"/story-{n}"] for n in (1, 2, 3))
    assert len(versions_of(workspace.db, 1)) == 2
    _no_check_twice(workspace.db)
    with Store(workspace.db) as store:
        assert store.query("SELECT count(*) AS n FROM checks")[0]["n"] == requests
        assert store.query("SELECT count(*) AS n FROM changes WHERE event = 'edit'")[0]["n"] == 1
    assert "duplicate" in daemon.log


def test_a_result_for_a_watch_removed_meanwhile_is_dropped(
    workspace, redis_server, start_worker, start_daemon
):
    with NewsSite([generated_story(n) for n in (1, 2)], seed=4) as site:
        watch_all(workspace, [site.url("story-1"), site.url("story-2")], "1s")
        workers = [start_worker()]
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for_first_versions(workspace.db, (1, 2))
        site.set_delay("story-1", 2)
        wait_for("a slow fetch in flight", lambda: site.active["/story-1"] == 1, 20)
        workspace.run("remove", "1")
        wait_for("the fetch answered", lambda: site.active["/story-1"] == 0, 20)
        before = len(checks_of(workspace.db, 2))
        wait_for("more checks of the other watch", lambda: len(checks_of(workspace.db, 2)) >= before + 2, 20)
        _drain(redis_server, workers)
        assert daemon.stop() == 0
    assert checks_of(workspace.db, 1) == []
    assert "removed while it was being checked" in daemon.log
