"""An article's life as the daemon sees it: removed, restored, moved, failing and recovering."""

from __future__ import annotations

import json

from tests.daemon_process import changes_of, checks_of, versions_of, wait_for, watch_row

SLUG = "russia-afghan-peace-conference"


def _outcomes(workspace, watch_id: int = 1) -> list[str]:
    return [c["outcome"] for c in checks_of(workspace.db, watch_id)]


def _state(workspace, watch_id: int = 1) -> str:
    return next(w for w in json.loads(workspace.run("list", "--json").stdout) if w["id"] == watch_id)["state"]


def test_a_404_makes_exactly_one_removed_record_and_a_200_restores(workspace, news_site, start_daemon):
    workspace.run("add", news_site.url(SLUG), "--every", "1s")
    daemon = start_daemon()
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    news_site.set_status(SLUG, 404)
    wait_for("three checks answered 404", lambda: _outcomes(workspace).count("removed") >= 3)
    assert [c["event"] for c in changes_of(workspace.db, 1)] == ["removed"]
    assert _state(workspace) == "removed"

    news_site.set_status(SLUG, 200)
    wait_for("the article to be restored", lambda: len(changes_of(workspace.db, 1)) == 2)
    wait_for("another check", lambda: _outcomes(workspace)[-1] in ("unchanged", "not_modified"))
    assert daemon.stop() == 0

    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [e["event"] for e in history] == ["version", "removed", "restored"]
    assert history[1]["summary"] == "article removed (HTTP 404)"
    assert _state(workspace) == "active"
    assert len(versions_of(workspace.db, 1)) == 1, "the same article came back: no new version"


def test_a_redirect_to_the_front_page_counts_as_removed(workspace, news_site, start_daemon):
    workspace.run("add", news_site.url(SLUG), "--every", "1s")
    daemon = start_daemon()
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    with news_site.lock:
        del news_site.stories[SLUG]
        news_site.redirects[SLUG] = ("", 302)
    wait_for("two checks", lambda: _outcomes(workspace).count("removed") >= 2)
    assert daemon.stop() == 0
    assert [(c["event"], c["summary"]) for c in changes_of(workspace.db, 1)] == [
        ("removed", "article removed (redirected to the front page)")
    ]


def test_a_redirect_to_another_article_url_is_a_move_the_watch_follows(workspace, news_site, start_daemon):
    old_url = news_site.url(SLUG)
    workspace.run("add", old_url, "--every", "1s")
    daemon = start_daemon()
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    news_site.move(SLUG, "world/2021/03/russia-afghan-peace-conference-moscow")
    new_url = news_site.url("world/2021/03/russia-afghan-peace-conference-moscow")
    wait_for("the move", lambda: watch_row(workspace.db, 1)["url"] == new_url)
    old_requests = news_site.requests[f"/{SLUG}"]
    wait_for("two checks at the new address", lambda: news_site.requests[f"/{new_url.split('/', 3)[3]}"] >= 3)
    news_site.edit("world/2021/03/russia-afghan-peace-conference-moscow", "headline")
    wait_for("the edit at the new address", lambda: len(versions_of(workspace.db, 1)) == 2)
    assert daemon.stop() == 0

    assert news_site.requests[f"/{SLUG}"] == old_requests, "the watch fetches the new address directly"
    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [e["event"] for e in history] == ["version", "moved", "version"]
    moved = history[1]
    assert moved["from_url"] == old_url and moved["to_url"] == new_url
    assert moved["summary"] == f"article moved to {new_url}"
    listed = json.loads(workspace.run("list", "--json").stdout)
    assert listed[0]["url"] == new_url and listed[0]["state"] == "active"
    assert [c["event"] for c in changes_of(workspace.db, 1)] == ["moved", "edit"]


def test_5xx_timeouts_and_resets_are_failed_checks_never_versions_and_recover(
    workspace, news_site, start_daemon
):
    workspace.run("add", news_site.url(SLUG), "--every", "1s")
    daemon = start_daemon(
        config={
            "fetch": {"timeout_seconds": 1},
            "schedule": {"failing_after": 3, "retry_after_failure": "1s", "max_backoff": "2s"},
        }
    )
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    news_site.set_status(SLUG, 503)
    wait_for("a failed check", lambda: _outcomes(workspace)[-1] == "error")
    news_site.set_status(SLUG, 200)
    news_site.set_reset(SLUG)
    wait_for("another failed check", lambda: _outcomes(workspace).count("error") >= 2)
    news_site.set_reset(SLUG, False)
    news_site.set_delay(SLUG, 3)
    wait_for("the watch to be failing", lambda: watch_row(workspace.db, 1)["state"] == "failing", timeout=30)
    news_site.set_delay(SLUG, 0)
    wait_for("recovery", lambda: watch_row(workspace.db, 1)["state"] == "active", timeout=30)
    assert daemon.stop() == 0

    errors = [c["error"] for c in checks_of(workspace.db, 1) if c["outcome"] == "error"]
    assert "HTTP 503" in errors
    assert any(e.startswith("connection closed") for e in errors), errors
    assert "timed out after 1 s" in errors
    # Failures make no removed record and no edit; becoming failing is recorded once.
    assert [c["event"] for c in changes_of(workspace.db, 1)] == ["failing"]
    assert len(versions_of(workspace.db, 1)) == 1
    assert watch_row(workspace.db, 1)["consecutive_failures"] == 0
    assert "now failing" in daemon.log
