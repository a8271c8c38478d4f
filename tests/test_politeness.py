"""Polite fetching: robots.txt, Retry-After, conditional GET, an identifying User-Agent, caps, spread-out catch-up."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from monitor.demo.site import NewsSite
from monitor.demo.stories import generated_story, seed_story
from storage import Store, clock
from tests.daemon_process import checks_of, versions_of, wait_for, watch_all, watch_row

SLUG = "russia-afghan-peace-conference"


def test_robots_txt_disallowing_editwatch_is_obeyed(workspace, start_daemon):
    robots = "User-agent: editwatch\nDisallow: /russia\n\nUser-agent: *\nAllow: /\n"
    with NewsSite([seed_story(), generated_story(1)], robots=robots, seed=1) as site:
        watch_all(workspace, [site.url(SLUG), site.url("story-1")], "1s")
        daemon = start_daemon()
        wait_for("two checks of the blocked article", lambda: len(checks_of(workspace.db, 1)) >= 2)
        wait_for("the allowed article", lambda: versions_of(workspace.db, 2))
        assert daemon.stop() == 0
    assert site.requests[f"/{SLUG}"] == 0
    assert site.requests["/robots.txt"] == 1, "robots.txt is read once and remembered"
    assert {c["error"] for c in checks_of(workspace.db, 1)} == {"blocked by robots.txt"}
    assert versions_of(workspace.db, 1) == []


def test_robots_txt_is_kept_in_the_database_between_checks(workspace):
    robots = "User-agent: editwatch\nDisallow: /russia\n\nUser-agent: *\nAllow: /\n"
    with NewsSite([seed_story(), generated_story(1)], robots=robots, seed=1) as site:
        watch_all(workspace, [site.url(SLUG), site.url("story-1")], "1s")
        workspace.run("check")
        workspace.run("check")  # a new process: the rules come from the database
        assert site.requests["/robots.txt"] == 1, "robots.txt is fetched once, not once per run"
        with workspace.store() as store:
            stored = store.robots_txt.get(site.base_url)
        assert (stored.status, stored.body) == (200, robots.encode())
    assert site.requests[f"/{SLUG}"] == 0
    assert [c["error"] for c in checks_of(workspace.db, 1)] == ["blocked by robots.txt"] * 2
    assert len(checks_of(workspace.db, 2)) == 2 and versions_of(workspace.db, 2)


def test_a_robots_txt_older_than_a_day_is_fetched_again(workspace):
    with NewsSite([seed_story(), generated_story(1)], seed=1) as site:
        watch_all(workspace, [site.url(SLUG), site.url("story-1")], "1s")
        workspace.run("check")
        with workspace.store() as store:
            stored = store.robots_txt.get(site.base_url)
            yesterday = clock.utcnow() - timedelta(hours=24, minutes=1)
            store.robots_txt.put(site.base_url, stored.status, stored.body, fetched_at=yesterday)
        site.robots = "User-agent: *\nDisallow: /story-1\n"
        workspace.run("check")
        workspace.run("check")
        assert site.requests["/robots.txt"] == 2, "re-read once when it expired, then kept again"
        with workspace.store() as store:
            assert store.robots_txt.get(site.base_url).body == site.robots.encode()
    assert [c["error"] for c in checks_of(workspace.db, 2)] == [
        None,
        "blocked by robots.txt",
        "blocked by robots.txt",
    ]
    assert site.requests["/story-1"] == 1


@pytest.mark.parametrize(("status", "fetches", "kept"), [(404, 1, True), (503, 2, False), (429, 2, False)])
def test_only_a_definite_robots_txt_answer_is_kept(workspace, status, fetches, kept):
    # A 4xx means "no robots.txt": everything allowed, until the TTL. A failing site is asked again.
    with NewsSite([seed_story()], robots="User-agent: *\nDisallow: /\n", seed=1) as site:
        site.robots_status = status
        workspace.run("add", site.url(SLUG))
        workspace.run("check")
        workspace.run("check")
        assert site.requests["/robots.txt"] == fetches
        with workspace.store() as store:
            stored = store.robots_txt.get(site.base_url)
    assert (stored is not None) == kept
    if kept:
        assert (stored.status, stored.body) == (404, b"")
        assert site.requests[f"/{SLUG}"] == 2, "a missing robots.txt allows everything"


def test_429_with_retry_after_pauses_the_whole_site(workspace, start_daemon):
    stories = [generated_story(n) for n in (1, 2)]
    with NewsSite(stories, seed=1) as site:
        watch_all(workspace, [site.url(s.slug) for s in stories], "1s")
        daemon = start_daemon()
        for n in (1, 2):
            wait_for(f"version 1 of watch {n}", lambda n=n: versions_of(workspace.db, n))
        site.set_status("story-1", 429, {"Retry-After": "4"})
        wait_for("the 429", lambda: any(c["http_status"] == 429 for c in checks_of(workspace.db, 1)))
        refused_at = max(t for t, path in site.hits if path == "/story-1")
        site.set_status("story-1", 200)
        wait_for("requests to resume", lambda: any(t > refused_at + 4 for t, _ in site.hits), timeout=15)
        wait_for(
            "story-2 checked again", lambda: any(t > refused_at + 4 for t, p in site.hits if p == "/story-2")
        )
        wait_for("story-1 checked again", lambda: checks_of(workspace.db, 1)[-1]["outcome"] != "error")
        assert daemon.stop() == 0
    # A request already on its way may land just after the 429; after that, nothing until Retry-After.
    paused = [(round(t - refused_at, 2), p) for t, p in site.hits if refused_at + 0.5 < t < refused_at + 3.9]
    assert paused == []
    assert [c["outcome"] for c in checks_of(workspace.db, 2)].count("error") == 0, (
        "a paused site is no failure"
    )
    assert "pausing all requests to it for 4 s" in daemon.log


def test_conditional_get_turns_unchanged_pages_into_not_modified(workspace, start_daemon):
    with NewsSite([seed_story()], etags=True, seed=1) as site:
        workspace.run("add", site.url(SLUG), "--every", "1s")
        daemon = start_daemon()
        wait_for("two 304 answers", lambda: site.not_modified[f"/{SLUG}"] >= 2)
        site.edit(SLUG, "correction")
        wait_for("version 2", lambda: len(versions_of(workspace.db, 1)) == 2)
        wait_for("a 304 for version 2", lambda: checks_of(workspace.db, 1)[-1]["outcome"] == "not_modified")
        assert daemon.stop() == 0
    outcomes = [c["outcome"] for c in checks_of(workspace.db, 1)]
    assert outcomes[0] == "new_version" and outcomes.count("not_modified") >= 3
    assert {c["http_status"] for c in checks_of(workspace.db, 1) if c["outcome"] == "not_modified"} == {304}
    assert watch_row(workspace.db, 1)["etag"]


def test_requests_carry_an_identifying_user_agent_with_the_contact(workspace, news_site, start_daemon):
    workspace.run("add", news_site.url(SLUG), "--every", "1s")
    daemon = start_daemon(config={"fetch": {"contact": "mailto:newsdesk@example.org"}})
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    assert daemon.stop() == 0
    agents = set(news_site.user_agents)
    assert agents == {
        "editwatch/0.1 (news article change monitor; +https://github.com/editwatch/editwatch; "
        "contact: mailto:newsdesk@example.org)"
    }
    assert "tip: set [fetch] contact" not in daemon.log


def test_pages_over_the_size_cap_are_refused(workspace, news_site, start_daemon):
    workspace.run("add", news_site.url(SLUG), "--every", "1s")
    daemon = start_daemon(config={"fetch": {"max_page_bytes": 20_000}})
    wait_for("a check", lambda: checks_of(workspace.db, 1))
    assert daemon.stop() == 0
    assert checks_of(workspace.db, 1)[0]["error"] == (
        "page too large: over the size cap of 20 KB ([fetch] max_page_bytes)"
    )


def test_overdue_checks_after_downtime_are_spread_out(workspace, start_daemon):
    stories = [generated_story(n) for n in range(1, 31)]
    with NewsSite(stories, seed=1) as site:
        watch_all(workspace, [site.url(s.slug) for s in stories], "20s")
        with Store(workspace.db) as store:  # as if the daemon had been down for an hour
            an_hour_ago = clock.to_text(datetime.now(UTC) - timedelta(hours=1))
            store.watches.reschedule({n: an_hour_ago for n in range(1, 31)})
        daemon = start_daemon(config={"fetch": {"concurrency": 4}})
        started = time.time()
        time.sleep(3)
        early = sum(1 for t, p in site.hits if p.startswith("/story-") and t < started + 3)
        assert daemon.stop() == 0
    assert "30 watches were overdue at start-up: spreading their checks until" in daemon.log
    # Spread over each watch's 20 s interval, not fired in the first seconds.
    assert early < 20, early
    with Store(workspace.db) as store:
        due = [w.next_check_at for w in store.watches.all()]
    assert all(at > an_hour_ago for at in due)


def test_a_site_gets_no_more_requests_at_once_than_per_domain(workspace, start_daemon):
    stories = [generated_story(n) for n in range(1, 7)]
    with NewsSite(stories, seed=1) as site:
        watch_all(workspace, [site.url(s.slug) for s in stories], "1s")
        for story in stories:
            site.set_delay(story.slug, 0.5)
        daemon = start_daemon(config={"fetch": {"per_domain": 2}})
        wait_for("every story checked twice", lambda: all(site.requests[f"/{s.slug}"] >= 2 for s in stories))
        assert daemon.stop() == 0
    assert site.peak_total == 2
