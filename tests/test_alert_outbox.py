"""The outbox: alerts are queued in the transaction that stores a change, and go with it."""

from __future__ import annotations

import pytest

from monitor.alerts.outbox import AlertOutbox
from storage import NewChange, NewVersion, Store, clock


@pytest.fixture
def store(tmp_path):
    db = Store(tmp_path / "editwatch.db")
    AlertOutbox.install(db, {})
    yield db
    db.close()


def _version(headline: str) -> NewVersion:
    return NewVersion(
        fetched_at=clock.now_text(), url=None, content_hash=headline, headline=headline, byline=[],
        published=None, modified=None, body=["Body."], extractor="test",
    )  # fmt: skip


def _watch_with_a_version(store: Store, url: str = "https://news.example/a") -> int:
    watch, _ = store.watches.add(url, label="ap")
    with store.transaction() as conn:
        store.versions.insert(conn, watch.id, _version("First"))
    return watch.id


def test_a_change_and_its_alerts_commit_or_roll_back_together(store):
    watch_id = _watch_with_a_version(store)
    store.alerts.add_rule("stdout", "stdout", ["edit", "removed"])
    store.alerts.add_rule("stdout", "stdout", ["edit"], label="other")  # wants another label

    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.changes.insert(conn, watch_id, NewChange(event="removed", summary="gone"), clock.now_text())
        raise RuntimeError("the check could not be recorded")
    assert store.changes.for_watch(watch_id) == [] and store.alerts.queued() == []

    with store.transaction() as conn:
        store.changes.insert(
            conn, watch_id, NewChange(event="removed", summary="gone", from_version=1), clock.now_text()
        )
    [alert] = store.alerts.queued()
    assert alert.rule_id == 1 and alert.event == "removed"
    assert alert.payload["id"] == alert.event_id
    assert alert.payload["headline"] == "First" and alert.payload["label"] == "ap"
    assert alert.payload["url"] == "https://news.example/a"


def test_quiet_changes_and_unwanted_events_queue_nothing(store):
    watch_id = _watch_with_a_version(store)
    store.alerts.add_rule("stdout", "stdout", ["edit", "ab_test"])
    with store.transaction() as conn:
        store.changes.insert(conn, watch_id, NewChange(event="removed", summary="gone"), clock.now_text())
        store.changes.insert(
            conn, watch_id, NewChange(event="ab_test", summary="again", notify=False), clock.now_text()
        )
    assert store.alerts.queued() == []


def test_a_retired_duplicate_is_alerted_as_moved(store):
    duplicate = _watch_with_a_version(store, "https://news.example/short")
    followed = _watch_with_a_version(store, "https://news.example/long-story")
    store.alerts.add_rule("stdout", "stdout", ["moved"])
    store.aliases.retire_duplicate(duplicate, followed, f"same article as watch {followed} (redirect)")
    [alert] = store.alerts.queued()
    assert alert.event == "moved" and alert.watch_id == duplicate
    assert alert.payload["summary"] == f"same article as watch {followed} (redirect)"


def test_removing_a_watch_or_a_rule_removes_its_alerts(store):
    first = _watch_with_a_version(store, "https://news.example/one")
    second = _watch_with_a_version(store, "https://news.example/two")
    everything = store.alerts.add_rule("stdout", "stdout", ["removed"])
    only_second = store.alerts.add_rule("stdout", "stdout", ["removed"], watch_id=second)
    with store.transaction() as conn:
        for watch_id in (first, second):
            store.changes.insert(conn, watch_id, NewChange(event="removed", summary="gone"), clock.now_text())
    assert len(store.alerts.queued()) == 3

    store.watches.remove(second)  # its rule and its alerts go with it
    assert [r.id for r in store.alerts.rules()] == [everything.id]
    assert [a.watch_id for a in store.alerts.queued()] == [first]
    assert store.alerts.remove_rule(everything.id) == 1
    assert store.alerts.queued() == [] and only_second.id not in [r.id for r in store.alerts.rules()]
