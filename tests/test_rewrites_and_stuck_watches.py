"""A breaking story rewritten wholesale is a version; another page, a wall or an error page is not,
and a watch whose checks keep failing says so in list, status, show --rejected and the alerts."""

from __future__ import annotations

import json
import sqlite3

import pytest

from crawler.extraction.article import Article
from crawler.snapshot.identity import identity_problem, redirect_destination
from storage import clock
from tests.story_site import CONSENT_WALL, StorySite, paragraphs, story_page
from tests.viewer_server import start_viewer

SLUG = "world/2026/11/30/floods-hit-valley-towns-1234567"
V1_HEADLINE = "Floods hit valley towns after days of rain"
V2_HEADLINE = "Thousands evacuated as river bursts its banks; army called in"


def outcomes(workspace) -> str:
    return workspace.run("check").stdout.strip().split(": ", 1)[1]


@pytest.fixture
def site():
    with StorySite() as running:
        yield running


def test_a_breaking_story_rewritten_wholesale_is_stored_version_by_version(workspace, site):
    url = site.url(SLUG)
    v1 = paragraphs(7, seed=1)
    v2 = [v1[0], *paragraphs(15, seed=2)]  # one paragraph kept, fifteen new ones
    v3 = [*v2, *paragraphs(23, seed=3)]
    workspace.run("add", url)
    site.serve(SLUG, story_page(url, V1_HEADLINE, "Ana Costa", v1))
    assert outcomes(workspace) == "new version 1"
    site.serve(SLUG, story_page(url, V2_HEADLINE, "Ana Costa and Lars Berg", v2))
    second = outcomes(workspace)
    assert second.startswith("new version 2: rewritten: headline changed; byline changed"), second
    site.serve(SLUG, story_page(url, V2_HEADLINE, "Ana Costa and Lars Berg", v3))
    assert outcomes(workspace) == "new version 3: 23 paragraphs added"

    shown = [json.loads(workspace.run("show", "1", "--version", str(n), "--json").stdout) for n in (1, 2, 3)]
    assert [len(s["body"]) for s in shown] == [7, 16, 39]
    assert shown[1]["headline"] == V2_HEADLINE and shown[1]["byline"] == ["Ana Costa", "Lars Berg"]
    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert history[1]["categories"][0] == "rewrite" and "byline" in history[1]["categories"]
    assert history[2]["categories"] == ["addition"]

    # diff shows the rewrite in full: the new headline and every new paragraph.
    text = workspace.run("diff", "1", "--from", "1", "--to", "2").stdout
    assert "rewritten: headline changed" in text and V2_HEADLINE in text
    for paragraph in v2[1:]:
        assert paragraph in text
    changes = json.loads(workspace.run("diff", "1", "--from", "1", "--to", "2", "--format", "json").stdout)
    entries = changes["changes"]
    assert {c["category"] for c in entries if c["field"] in ("headline", "body")} == {"rewrite"}
    assert sum(c["kind"] == "insert" for c in entries if c["field"] == "body") == 15
    with sqlite3.connect(workspace.db) as conn:
        stats = conn.execute("SELECT versions, edits, headline_changes FROM article_stats").fetchone()
    assert stats == (3, 2, 1), "the rewrite's new headline counts as a headline change"


def test_the_same_url_serving_another_article_is_rejected_and_says_what_was_served(workspace, site):
    url = site.url(SLUG)
    other = site.url("world/2026/11/30/election-results-delayed-again-7654321")
    workspace.run("add", url)
    site.serve(SLUG, story_page(url, V1_HEADLINE, "Ana Costa", paragraphs(7, seed=1)))
    assert outcomes(workspace) == "new version 1"
    site.serve(SLUG, story_page(other, "Election results delayed again", "Mo Reyes", paragraphs(9, seed=4)))
    assert outcomes(workspace) == f"error: the page is another article: canonical URL names {other}"
    with workspace.store() as store:
        assert store.versions.count(1) == 1
    rejected = workspace.run("show", "1", "--rejected").stdout
    assert f"canonical URL names {other}" in rejected and "Election results delayed again" in rejected


def test_redirects_to_the_front_page_or_a_section_still_mean_removed(workspace, site):
    for n, (path, to, why) in enumerate(
        [
            (SLUG, "/", "the front page"),
            ("world/2026/11/29/bridge-closed-for-repairs-2345678", "/world/", "a section page"),
        ],
        start=1,
    ):
        url = site.url(path)
        workspace.run("add", url)
        site.serve(path, story_page(url, V1_HEADLINE, "Ana Costa", paragraphs(7, seed=n)))
        assert workspace.run("check", str(n)).stdout.strip().endswith("new version 1")
        site.redirect(path, to)
        site.serve(to, "<html><body><h1>Valley Courier</h1><p>Latest news</p></body></html>")
        why = why if to == "/" else f"{why}, {site.url(to)}"
        assert workspace.run("check", str(n)).stdout.strip().endswith(f"removed (redirected to {why})")


def test_a_consent_wall_for_a_while_makes_the_watch_failing_once_and_recovery_makes_it_active(
    workspace, site
):
    workspace.config.write_text(
        workspace.config.read_text() + "\n[schedule]\nfailing_after = 2\nfailing_after_minutes = 10\n"
    )
    url = site.url(SLUG)
    workspace.run("add", url)
    workspace.run("alerts", "add", "http://127.0.0.1:9/hook", "--on", "all")
    assert workspace.run("show", "1", "--rejected").stdout.strip() == (
        f"1 {url}: no rejected page (every page served so far was trusted)"
    )
    body = paragraphs(7, seed=1)
    site.serve(SLUG, story_page(url, V1_HEADLINE, "Ana Costa", body))
    assert outcomes(workspace) == "new version 1"

    site.serve(SLUG, CONSENT_WALL)
    assert outcomes(workspace) == "error: consent wall instead of the article"
    assert outcomes(workspace) == "error: consent wall instead of the article"
    listed = json.loads(workspace.run("list", "--json").stdout)[0]
    assert listed["state"] == "active" and listed["reason"] is None, "two failures, but not for ten minutes"
    # The run of failures began eleven minutes ago (its first check's time, moved back).
    with sqlite3.connect(workspace.db) as conn:
        conn.execute("UPDATE watches SET failing_since = ?", (clock.later(-11 * 60),))
    third = outcomes(workspace)
    assert third == "error: consent wall instead of the article (3 failed checks in a row: now failing)"
    assert outcomes(workspace) == "error: consent wall instead of the article"

    listed = json.loads(workspace.run("list", "--json").stdout)[0]
    assert listed["state"] == "failing" and listed["reason"] == "consent wall instead of the article"
    assert "failing: consent wall instead of the article" in workspace.run("list").stdout
    status = json.loads(workspace.run("status", "--json").stdout)
    assert [(w["id"], w["reason"]) for w in status["failing"]] == [(1, "consent wall instead of the article")]
    assert "consent wall instead of the article (4 checks since" in workspace.run("status").stdout
    with workspace.store() as store:
        assert [a.event for a in store.alerts.queued()].count("failing") == 1
        assert [c.event for c in store.changes.for_watch(1)] == ["failing"]
    shown = workspace.run("show", "1", "--rejected").stdout
    assert "consent wall instead of the article" in shown and "We use cookies and data" in shown
    assert "the same page 4 checks in a row" in shown
    as_json = json.loads(workspace.run("show", "1", "--rejected", "--json").stdout)
    assert as_json["reason"] == "consent wall instead of the article" and as_json["times"] == 4

    viewer = start_viewer(workspace.db, workspace.path / "viewer.log")
    try:
        _, _, index = viewer.get("/")
        _, _, page = viewer.get("/watch/1")
    finally:
        viewer.stop()
    assert "Failing: consent wall instead of the article" in index
    assert "Failing: consent wall instead of the article" in page and "We use cookies and data" in page

    site.serve(SLUG, story_page(url, V1_HEADLINE, "Ana Costa", body))
    assert outcomes(workspace) == "unchanged"
    listed = json.loads(workspace.run("list", "--json").stdout)[0]
    assert listed["state"] == "active" and listed["reason"] is None
    assert json.loads(workspace.run("status", "--json").stdout)["failing"] == []


def test_a_collapsed_body_is_accepted_once_the_same_text_stays_for_a_while(workspace, site):
    url = site.url(SLUG)
    workspace.run("add", url)
    site.serve(SLUG, story_page(url, V1_HEADLINE, "Ana Costa", paragraphs(12, seed=1)))
    assert outcomes(workspace) == "new version 1"
    short = paragraphs(2, seed=5)  # a real, short update: a fraction of the words
    site.serve(SLUG, story_page(url, V1_HEADLINE, "Ana Costa", short))
    assert outcomes(workspace).startswith("error: article body collapsed from")
    assert outcomes(workspace).startswith("error: article body collapsed from"), "served again, but just now"
    # The same text has been served in a row since 20 minutes ago (the check times, moved back).
    earlier = clock.later(-20 * 60)
    with sqlite3.connect(workspace.db) as conn:
        conn.execute("UPDATE rejected_pages SET first_rejected_at = ?", (earlier,))
    assert outcomes(workspace).startswith("new version 2:")
    shown = json.loads(workspace.run("show", "1", "--json").stdout)
    assert shown["body"] == short
    assert json.loads(workspace.run("list", "--json").stdout)[0]["state"] == "active"


def test_a_redirect_is_told_apart_by_where_it_leads():
    story = "https://news.example/world/2026/11/30/floods-hit-valley-towns"
    assert redirect_destination(story, "https://news.example/") == "the front page"
    assert (
        redirect_destination(story, "https://news.example/world/")
        == "a section page, https://news.example/world/"
    )
    assert (
        redirect_destination(story, "https://news.example/tag/floods")
        == "a section page, https://news.example/tag/floods"
    )
    # The story's own page from its AMP edition, or the story under a new address: a move, not a removal.
    assert redirect_destination(story + "/amp", story) is None
    assert (
        redirect_destination(
            story, "https://news.example/world/2026/12/01/valley-towns-evacuated-as-river-rises"
        )
        is None
    )


def _article(**declared: str) -> Article:
    return Article(
        headline="A story", body=["Some words."], declared_urls=declared, structured_type="NewsArticle"
    )


def test_identity_comes_from_the_page_s_own_address_not_from_its_text():
    known = ["https://news.example/world/2026/flood-warning-for-the-valley-123456"]
    # The article's own addresses on another host, as AMP, or under a new slug with the same ID.
    assert (
        identity_problem(
            _article(canonical="https://m.news.example/world/2026/flood-warning-for-the-valley-123456"), known
        )
        is None
    )
    assert (
        identity_problem(
            _article(canonical="https://news.example/amp/world/2026/flood-warning-for-the-valley-123456"),
            known,
        )
        is None
    )
    assert (
        identity_problem(_article(canonical="https://news.example/world/2026/army-called-in-123456"), known)
        is None
    )
    # Short-ID addresses, and a query that says how the reader came.
    assert (
        identity_problem(
            _article(**{"og:url": "https://news.example/a/Ard8wM"}),
            ["https://news.example/nyheter/a/Ard8wM/slug-of-it"],
        )
        is None
    )
    assert identity_problem(_article(canonical=known[0]), [known[0] + "?r=rss"]) is None
    # An ID shared earlier in the path (a journal's code) does not make two articles one.
    nature = ["https://news.example/articles/d41586-025-03571-x"]
    assert identity_problem(_article(canonical="https://news.example/articles/d41586-025-04160-8"), nature)
    # A syndicated copy crediting the original publisher's address.
    assert (
        identity_problem(_article(canonical="https://wire.example/floods-in-the-valley-55555"), known) is None
    )
    # A template whose og:url is the home page, on an article page: a misconfiguration, not another page.
    assert identity_problem(_article(**{"og:url": "https://news.example/"}), known) is None
    # Another article, by any one declaration.
    problem = identity_problem(
        _article(**{"json-ld url": "https://news.example/sport/cup-final-report-99999"}), known
    )
    assert (
        problem
        == "the page is another article: JSON-LD url names https://news.example/sport/cup-final-report-99999"
    )
    # A listing page: every declaration names the front page, and no article markup.
    listing = Article(
        headline="News",
        body=["x"],
        declared_urls={"canonical": "https://news.example/", "og:url": "https://news.example/"},
    )
    assert (
        identity_problem(listing, known)
        == "the page is the site's front page: canonical URL names https://news.example/"
    )


def test_failing_needs_both_the_count_and_the_time():
    from datetime import timedelta

    from monitor.daemon.schedule import ScheduleConfigError, SchedulePolicy

    policy = SchedulePolicy.from_config({"schedule": {"failing_after": 3, "failing_after_minutes": 30}})
    start = clock.utcnow()
    assert not policy.is_failing(2, start, start + timedelta(hours=2)), "too few checks"
    assert not policy.is_failing(5, start, start + timedelta(minutes=29)), "not for long enough"
    assert policy.is_failing(3, start, start + timedelta(minutes=30))
    with pytest.raises(ScheduleConfigError, match=r"schedule\.failing_after_minutes: must be a number"):
        SchedulePolicy.from_config({"schedule": {"failing_after_minutes": -1}})
