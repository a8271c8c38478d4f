"""A crawl cluster on loopback: a real redis-server, real worker processes, the coordinator recording."""

from __future__ import annotations

from monitor.demo.site import NewsSite
from storage import Store
from tests.cluster_parts import needs_redis
from tests.daemon_process import checks_of, versions_of, wait_for, wait_for_first_versions, watch_all

pytestmark = needs_redis

CLUSTER = {"cluster": {"lease_seconds": 8, "prefetch": 8}}


def test_workers_fetch_and_the_coordinator_records_every_edit_once(
    workspace, redis_server, start_worker, start_daemon
):
    with NewsSite.generated(6, sites=3, seed=2) as site:
        slugs = sorted(site.stories)
        watch_all(workspace, [site.url(s) for s in slugs], "1s")
        workers = [start_worker(), start_worker()]
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for_first_versions(workspace.db, range(1, 7))
        site.edit(slugs[0], "edit_paragraph")
        wait_for("the edit's version", lambda: len(versions_of(workspace.db, 1)) == 2, 30)
        wait_for("a few unchanged checks", lambda: len(checks_of(workspace.db, 2)) >= 4, 30)
        assert all(worker.stop() == 0 for worker in workers)
        # What the workers fetched before they stopped is recorded, then nothing is left in Redis.
        results = redis_server.client()
        wait_for("every result recorded", lambda: results.llen("editwatch:results") == 0, 10)
        assert daemon.stop() == 0
    assert [len(versions_of(workspace.db, n)) for n in range(1, 7)] == [2, 1, 1, 1, 1, 1]
    # Every fetch the site answered became exactly one check (no check lost, none recorded twice).
    with Store(workspace.db) as store:
        recorded = store.query("SELECT count(*) AS n FROM checks")[0]["n"]
        edits = store.query("SELECT count(*) AS n FROM changes WHERE event = 'edit'")[0]["n"]
    assert edits == 1
    assert recorded == sum(site.requests[f"/{s}"] for s in slugs)
    assert "coordinating crawl workers" in daemon.log


def test_a_worker_without_redis_or_with_a_bad_cluster_section_says_so_in_one_line(workspace):
    proc = workspace.run("worker", check_exit=1, timeout=60)
    assert proc.stderr.strip() == (
        'editwatch: error: no Redis to work for: give --redis URL or set [cluster] redis = "redis://HOST:6379/0"'
    )
    workspace.config.write_text('[cluster]\nredis = "redis://127.0.0.1:6379/0"\nlease_seconds = "long"\n')
    for command in ("worker", "run"):
        proc = workspace.run(command, check_exit=1, timeout=60)
        assert "cluster.lease_seconds must be a number of seconds" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_the_worker_queue_decodes_check_requests_only():
    import json

    import pytest

    from crawler.cluster import serializer
    from crawler.cluster.protocol import CheckTask
    from crawler.cluster.queue import SpiderRequestQueue
    from crawler.cluster.spider import WorkerSpider

    spider = WorkerSpider()
    queue = SpiderRequestQueue.__new__(SpiderRequestQueue)  # encoding needs no Redis
    queue.spider, queue.serializer = spider, serializer
    encoded = queue._encode_request(spider.request_for_task(CheckTask(7, "https://news.example/a", "t1")))
    request = queue._decode_request(encoded)
    assert (request.url, request.callback, request.meta["watch_id"]) == (
        "https://news.example/a",
        spider.page_fetched,
        7,
    )
    # Whoever can write to Redis must not get a class imported, or another method called.
    for change in ({"_class": "subprocess.Popen"}, {"callback": "close_store"}):
        with pytest.raises(ValueError):
            queue._decode_request(json.dumps({**json.loads(encoded), **change}))
