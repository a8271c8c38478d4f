"""Storage for discovery: polls recorded atomically, one watch per article, nothing lost in a merge."""

from __future__ import annotations

import pytest

from storage import CheckResult, ListedArticle, SourcePoll, Store, clock
from storage.source_records import RecordedPoll
from storage.versions import NewVersion


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "editwatch.db") as opened:
        yield opened


def _poll(source_id: int, *urls: str, skip: dict | None = None) -> SourcePoll:
    now = clock.now_text()
    return SourcePoll(
        source_id=source_id,
        polled_at=now,
        outcome="listed",
        kind="rss",
        listed=len(urls),
        next_poll_at=clock.later(60),
        articles=[ListedArticle(url=u, skip_reason=(skip or {}).get(u)) for u in urls],
    )


def _record(store: Store, poll: SourcePoll) -> RecordedPoll:
    return store.sources.record_poll(poll, label="desk", source_url="https://s.example/feed")


def test_a_poll_creates_due_watches_once_and_links_articles_watched_by_hand(store):
    source, _ = store.sources.add("https://s.example/feed", interval_seconds=60)
    by_hand, _ = store.watches.add("https://s.example/2026/03/18/by-hand")
    recorded = _record(store, _poll(source.id, "https://s.example/2026/03/18/a", by_hand.url))
    assert [w.url for w in recorded.created] == ["https://s.example/2026/03/18/a"]
    assert recorded.matched == [(by_hand.url, by_hand.id)]
    new = recorded.created[0]
    assert new.label == "desk" and new.source == "https://s.example/feed"
    assert new.next_check_at <= clock.now_text()  # due at once
    assert store.watches.get(by_hand.id).label is None  # a watch added by hand keeps its label

    again = _record(store, _poll(source.id, "https://s.example/2026/03/18/a"))
    assert again.created == [] and len(store.watches.all()) == 2
    assert store.sources.get(source.id).kind == "rss"


def test_aliases_find_the_one_watch_and_merging_keeps_every_check(store):
    keep, _ = store.watches.add("https://s.example/2026/03/18/story")
    duplicate, _ = store.watches.add("https://s.example/n/12345")
    source, _ = store.sources.add("https://s.example/news", interval_seconds=60)
    _record(store, _poll(source.id, duplicate.url))
    store.checks.record(
        CheckResult(watch_id=duplicate.id, checked_at=clock.now_text(), outcome="error", error="HTTP 503")
    )

    store.aliases.merge(duplicate.id, keep.id, reason="rel=canonical")
    assert store.aliases.find("https://s.example/n/12345").id == keep.id
    assert [c["error"] for c in store.checks.recent(keep.id)] == ["HTTP 503"]
    assert store.sources.items(source.id)[0]["watch_id"] == keep.id
    # Adding the merged URL by hand finds the watch instead of making a second one.
    watch, created = store.watches.add("https://s.example/n/12345")
    assert not created and watch.id == keep.id


def test_a_duplicate_with_history_is_retired_not_merged(store):
    keep, _ = store.watches.add("https://s.example/2026/03/18/story")
    duplicate, _ = store.watches.add("https://s.example/n/12345")
    now = clock.now_text()
    store.checks.record(
        CheckResult(
            watch_id=duplicate.id,
            checked_at=now,
            outcome="new_version",
            new_version=NewVersion(
                fetched_at=now,
                url=duplicate.url,
                content_hash="h",
                headline="H",
                byline=[],
                published=None,
                modified=None,
                body=["text"],
                extractor="test",
            ),
        )
    )
    with pytest.raises(ValueError):
        store.aliases.merge(duplicate.id, keep.id, reason="rel=canonical")
    store.aliases.retire_duplicate(duplicate.id, keep.id, "same article as watch 1")
    retired = store.watches.get(duplicate.id)
    assert retired.state == "retired" and retired.next_check_at is None
    assert store.versions.count(duplicate.id) == 1
    assert [c.event for c in store.changes.for_watch(duplicate.id)] == ["moved"]
    assert store.aliases.find(duplicate.url).id == keep.id


def test_removing_a_watch_remembers_its_listing_so_it_does_not_return(store):
    source, _ = store.sources.add("https://s.example/feed", interval_seconds=60)
    recorded = _record(store, _poll(source.id, "https://s.example/2026/03/18/a"))
    store.watches.remove(recorded.created[0].id)
    known = store.sources.known(source.id, ["https://s.example/2026/03/18/a"])
    assert known["https://s.example/2026/03/18/a"]["skip_reason"] == "watch removed"
    assert store.sources.remove(source.id) == 0


def test_leases_keep_two_pollers_from_polling_one_source(store):
    source, _ = store.sources.add("https://s.example/feed", interval_seconds=60)
    assert [s.id for s in store.sources.lease_due(limit=10, lease_seconds=30)] == [source.id]
    assert store.sources.lease_due(limit=10, lease_seconds=30) == []
    assert store.sources.lease([source.id], lease_seconds=30) == []
    _record(store, _poll(source.id))
    assert store.sources.get(source.id).lease_until is None


def test_a_followed_live_blog_gets_its_interval_and_is_retired_when_its_time_is_up(store):
    watch, _ = store.watches.add("https://s.example/live/2026/03/18/election-night")
    until = clock.later(3600)
    assert store.live_blogs.follow(watch.id, "live blog (LiveBlogPosting)", until, 1800)
    assert not store.live_blogs.follow(watch.id, "again", clock.later(7200), 60)  # its end is not pushed back
    assert store.watches.get(watch.id).interval_seconds == 1800
    assert store.live_blogs.end_due() == []
    assert store.live_blogs.end_due(now=clock.later(3601)) == [(watch.id, watch.url)]
    retired = store.watches.get(watch.id)
    assert retired.state == "retired" and retired.next_check_at is None
    assert store.live_blogs.get(watch.id)["ended_at"] is not None
    store.watches.remove(watch.id)  # the entry goes with its watch
    assert store.live_blogs.get(watch.id) is None
