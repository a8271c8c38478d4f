"""Settled results recorded many to a transaction: each still exactly once.

A real redis-server and the real coordinator; the results are what a worker sends for an
unchanged page, pushed to Redis while no coordinator runs, so that they are recorded
together in one batch: one delivered twice in the batch, one already recorded, one for a
watch removed meanwhile.
"""

from __future__ import annotations

from crawler.cluster.protocol import encode_result
from crawler.items import PageFetch
from monitor.demo.site import NewsSite
from monitor.demo.stories import generated_story
from storage import Store
from tests.cluster_parts import needs_redis
from tests.daemon_process import checks_of, wait_for, wait_for_first_versions, watch_all

pytestmark = needs_redis

CLUSTER = {"cluster": {"lease_seconds": 8, "prefetch": 8}}


def _settled(store: Store, watch_id: int, fetched_at: str) -> bytes:
    """The result a worker sends for a page whose region matched the latest version."""
    watch = store.watches.get(watch_id)
    latest = store.versions.latest(watch_id)
    item = PageFetch(
        watch_id, watch.url, fetched_at, watch.url, 200, 12, "text/html; charset=utf-8",
        same_region_as=latest.content_hash,
    )  # fmt: skip
    return encode_result(item, "0123456789abcdef", "host-1-abcdef")


def test_a_batch_of_settled_results_records_each_once(workspace, redis_server, start_worker, start_daemon):
    with NewsSite([generated_story(n) for n in (1, 2, 3)], seed=5) as site:
        watch_all(workspace, [site.url(f"story-{n}") for n in (1, 2, 3)], "1h")
        worker = start_worker()
        daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
        wait_for_first_versions(workspace.db, (1, 2, 3))
        assert daemon.stop() == 0
        worker.stop()
    with Store(workspace.db) as store:
        results = [
            _settled(store, 1, "2026-12-02T04:00:00.000001+00:00"),
            _settled(store, 1, "2026-12-02T04:00:00.000001+00:00"),  # delivered twice in the batch
            _settled(store, 2, "2026-12-02T04:00:00.000002+00:00"),
            _settled(store, 2, checks_of(workspace.db, 2)[0]["checked_at"]),  # recorded before
            _settled(store, 3, "2026-12-02T04:00:00.000003+00:00"),
        ]
    workspace.run("remove", "3")
    before = {n: len(checks_of(workspace.db, n)) for n in (1, 2)}
    client = redis_server.client()
    client.rpush("editwatch:results", *results)
    daemon = start_daemon("--redis", redis_server.url, config=CLUSTER)
    wait_for("the results recorded and trimmed", lambda: client.llen("editwatch:results") == 0, 20)
    assert daemon.stop() == 0
    assert len(checks_of(workspace.db, 1)) == before[1] + 1
    assert len(checks_of(workspace.db, 2)) == before[2] + 1
    assert [c["outcome"] for c in checks_of(workspace.db, 1)][-1] == "unchanged"
    assert checks_of(workspace.db, 3) == []
    assert "removed while it was being checked" in daemon.log
    assert "duplicate" in daemon.log
