"""Sources end to end: a local news site's feeds, sitemaps and section page, polled by the real CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from monitor.demo.site import NewsSite
from tests.test_bad_input import _one_line_error


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """A news site with its seed story (from 2021) and listings at /feed.xml, /atom.xml, /sitemap.xml, /news."""
    news = NewsSite(seed=2)
    news.start()
    yield news
    news.stop()


def _add_sources(workspace, *urls: str, every: int = 1, label: str | None = None) -> None:
    """Set up sources without a CLI process each (``sources add`` itself is tested below)."""
    with workspace.store() as store:
        for url in urls:
            store.sources.add(url, interval_seconds=every, label=label)


def _watches(workspace) -> list[dict]:
    return json.loads(workspace.run("list", "--json").stdout)


def _sources(workspace) -> list[dict]:
    return json.loads(workspace.run("sources", "list", "--json").stdout)


def test_each_story_from_every_listing_becomes_exactly_one_watch_with_its_first_version(workspace, site):
    site.publish(1)
    # Story 2 is also served at a short URL, which the section page links to.
    site.publish(2, aliases=("news/20002",), listed_url={"section": "/news/20002"})
    site.publish(3)
    paths = ("feed.xml", "atom.xml", "sitemap.xml", "news")
    _add_sources(workspace, *(f"{site.base_url}/{path}" for path in paths), label="kxyz")

    out = workspace.run("sources", "check").stdout
    assert 'RSS feed "KXYZ News": 4 listed, 3 new watches, 1 too old' in out
    assert "sitemap index: 2 sitemaps (2 read)" in out
    assert "merged into watch" in out  # the short URL's page names the story's own URL as canonical

    stories = [s for s in site.stories.values() if s.slug != "russia-afghan-peace-conference"]
    watches = _watches(workspace)
    by_url = {w["url"]: w for w in watches}
    for story in stories:
        watch = by_url[site.url(story.slug)]  # the canonical URL, without tracking parameters
        assert watch["versions"] == 1 and watch["headline"] == story.headline and watch["label"] == "kxyz"
    # The section page also lists the 2021 seed story (it gives no date): watched too, once.
    assert len(watches) == len(stories) + 1
    assert all("utm_" not in w["url"] and "ocid" not in w["url"] for w in watches)

    # New stories appear; a second poll watches them and nothing twice.
    site.publish(4)
    site.publish(5, aliases=("news/20005",), listed_url={"section": "/news/20005", "rss": "/news/20005"})
    out = workspace.run("sources", "check").stdout
    assert "2 new watches" in out
    watches = _watches(workspace)
    assert len(watches) == len(stories) + 3
    assert len({w["url"] for w in watches}) == len(watches)
    assert all(w["versions"] == 1 for w in watches)

    # Nothing new: feeds answer 304 to the stored validators and nothing is added.
    out = workspace.run("sources", "check", "1", "2").stdout
    assert out.count("not modified") == 2
    assert site.not_modified["feed.xml"] >= 1 and site.not_modified["atom.xml"] >= 1
    assert len(_watches(workspace)) == len(stories) + 3

    listed = {s["url"].rsplit("/", 1)[-1]: s for s in _sources(workspace)}
    assert listed["feed.xml"]["kind"] == "rss" and listed["atom.xml"]["kind"] == "atom"
    assert listed["sitemap.xml"]["kind"] == "sitemap-index" and listed["news"]["kind"] == "page"
    assert all(s["last_error"] is None and s["last_polled"] for s in listed.values())
    assert sum(s["created"] for s in listed.values()) == len(watches)


def test_include_and_exclude_filters_choose_the_articles(workspace, site):
    for n in (1, 2, 3):
        site.publish(n)
    workspace.run("sources", "add", f"{site.base_url}/feed.xml", "--include", r"-[12]$", "--exclude", r"-2$")
    out = workspace.run("sources", "check").stdout
    assert (
        "4 listed, 1 new watch, 2 filtered out, 1 too old" in out
    )  # 2 excluded, 3 not included; the 2021 seed
    assert [w["url"] for w in _watches(workspace)] == [site.url(_slug(site, 1))]
    # Adding it again changes only the options given; an empty pattern removes a filter.
    workspace.run("sources", "add", f"{site.base_url}/feed.xml", "--exclude", "")
    (source,) = _sources(workspace)
    assert source["include"] == r"-[12]$" and source["exclude"] is None


def _slug(site: NewsSite, number: int) -> str:
    return next(s.slug for s in site.stories.values() if s.slug.endswith(f"-{number}"))


def test_live_blogs_are_skipped_unless_a_source_opts_in(workspace, site):
    site.publish(1)
    by_url = site.publish(2)  # an ordinary story
    live_by_url = site.publish(3, template="live")
    live_by_url.slug = "live/" + live_by_url.slug  # /live/... : recognisable from its URL
    site.stories[live_by_url.slug] = site.stories.pop(f"{live_by_url.slug[5:]}")
    live_by_markup = site.publish(4, template="live")  # a plain URL; LiveBlogPosting in its JSON-LD

    _add_sources(workspace, f"{site.base_url}/feed.xml")
    out = workspace.run("sources", "check").stdout
    assert "1 skipped (live blog)" in out
    assert "not watched: live blog (LiveBlogPosting)" in out
    urls = {w["url"] for w in _watches(workspace)}
    assert site.url(by_url.slug) in urls
    assert site.url(live_by_url.slug) not in urls and site.url(live_by_markup.slug) not in urls
    shown = json.loads(workspace.run("sources", "show", "1", "--json").stdout)
    reasons = {i["url"]: i["skip_reason"] for i in shown["items"]}
    assert reasons[site.url(live_by_url.slug)] == "live blog (URL has /live/)"
    assert reasons[site.url(live_by_markup.slug)] == "live blog (LiveBlogPosting)"

    # Opting in (here on the same source) watches them on the live-blog interval (30m by default).
    workspace.run("sources", "add", f"{site.base_url}/feed.xml", "--live-blogs")
    site.publish(5)  # the feed changes, so it is read again rather than answered with 304
    workspace.run("sources", "check")
    watches = {w["url"]: w for w in _watches(workspace)}
    assert watches[site.url(live_by_url.slug)]["interval"] == 1800
    assert watches[site.url(live_by_markup.slug)]["interval"] == 1800
    assert watches[site.url(by_url.slug)]["interval"] is None
    with workspace.store() as store:  # followed for [sources] live_blog_for (1 day), then retired
        followed = store.live_blogs.get(watches[site.url(live_by_markup.slug)]["id"])
        assert followed["reason"] == "live blog (LiveBlogPosting)" and followed["ended_at"] is None


def test_unreadable_and_forbidden_sources_record_a_clear_error(workspace, site):
    broken = site.serve(
        "broken.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Oops', "application/rss+xml"
    )
    data = site.serve("data.json", '{"stories": []}', "application/json")
    site.robots = "User-agent: *\nDisallow: /private/\n"
    private = site.serve("private/feed.xml", '<rss version="2.0"><channel><title>P</title></channel></rss>')
    _add_sources(workspace, broken, data, f"{site.base_url}/no-such-feed.xml", private)
    out = workspace.run("sources", "check").stdout.splitlines()
    assert out[0].startswith(f"1 {broken}: error: malformed feed: ")
    assert out[1] == f"2 {data}: error: not a feed, a sitemap or an HTML page (application/json)"
    assert out[2] == f"3 {site.base_url}/no-such-feed.xml: error: HTTP 404"
    assert out[3] == f"4 {private}: error: blocked by robots.txt"  # sources obey robots.txt like articles
    assert site.requests["/private/feed.xml"] == 0
    errors = [s["last_error"] for s in _sources(workspace)]
    assert errors[0].startswith("malformed feed") and errors[2] == "HTTP 404"
    assert _watches(workspace) == []


def test_a_removed_watch_does_not_come_back_and_removing_a_source_keeps_its_watches(workspace, site):
    site.publish(1)
    site.publish(2)
    _add_sources(workspace, f"{site.base_url}/news")
    workspace.run("sources", "check")
    first = _watches(workspace)
    assert len(first) == 3
    workspace.run("remove", str(first[0]["id"]))
    site.publish(3)
    out = workspace.run("sources", "check").stdout
    assert "1 new watch" in out
    assert first[0]["url"] not in {w["url"] for w in _watches(workspace)}

    out = workspace.run("sources", "remove", f"{site.base_url}/news").stdout
    assert out.strip() == f"1 {site.base_url}/news: removed (its 3 watches are kept)"
    assert len(_watches(workspace)) == 3
    assert _sources(workspace) == []


def test_sources_cli_rejects_bad_input_with_one_line(workspace):
    workspace.run("check")  # creates an empty database: the IDs are unknown, not the file
    cases = [
        (("sources", "add", "not a url"), "whitespace"),
        (
            ("sources", "add", "https://example.com/feed", "--include", "(unclosed"),
            "invalid regular expression",
        ),
        (("sources", "add", "https://example.com/feed", "--links", "div[[["), "invalid CSS selector"),
        (("sources", "add", "https://example.com/feed", "--every", "soon"), "invalid duration"),
        (("sources", "remove", "42"), "no source with ID 42"),
        (("sources", "show", "https://example.com/unknown"), "no source for"),
        (("sources", "check", "42"), "no source with ID 42"),
    ]
    for args, words in cases:
        assert words in _one_line_error(workspace.run(*args, check_exit=None), 2), args
    assert _sources(workspace) == []


def test_broken_sources_config_is_reported(workspace):
    workspace.config.write_text(workspace.config.read_text() + "\n[sources]\nevery = 'often'\n")
    err = _one_line_error(workspace.run("sources", "add", "https://example.com/feed", check_exit=None), 1)
    assert "sources.every" in err


def test_add_drops_tracking_parameters_so_a_shared_link_is_the_same_watch(workspace):
    out = workspace.run(
        "add", "HTTPS://News.Example.com:443/2026/03/18/story?utm_source=newsletter&fbclid=x#top"
    ).stdout
    assert out.strip() == "1 https://news.example.com/2026/03/18/story: added"
    out = workspace.run("add", "https://news.example.com/2026/03/18/story?gclid=1").stdout
    assert out.strip() == "1 https://news.example.com/2026/03/18/story: already watching"


def test_a_redirecting_link_and_the_story_url_are_one_watch(workspace, site):
    first, second = site.publish(1), site.publish(2)
    # A feed proxy's links: each redirects to the story. Story 1 is also on the section page.
    links = "".join(
        f"<item><title>{s.headline}</title><link>{site.redirect(f'r/{n}', s.slug)}</link></item>"
        for n, s in ((1, first), (2, second))
    )
    proxy = site.serve(
        "proxy.xml", f'<rss version="2.0"><channel><title>Proxy</title>{links}</channel></rss>', "text/xml"
    )
    _add_sources(workspace, proxy, f"{site.base_url}/news")
    out = workspace.run("sources", "check").stdout
    watches = _watches(workspace)
    assert sorted(w["url"] for w in watches) == sorted(
        [site.url(first.slug), site.url(second.slug), site.url("russia-afghan-peace-conference")]
    ), out
    assert all(w["versions"] == 1 for w in watches)
    with workspace.store() as store:  # the pointer URL was followed silently, not recorded as a move
        assert not any(c.event == "moved" for w in watches for c in store.changes.for_watch(w["id"]))


def test_check_merges_two_watched_urls_of_one_story(workspace, site):
    story = site.publish(1, aliases=("news/70001",))
    workspace.run("add", site.url(story.slug))
    workspace.run("add", f"{site.base_url}/news/70001")  # the same story at its short URL
    first, second = sorted(workspace.run("check").stdout.splitlines())
    # Fetched at the same time: whichever is recorded first stores version 1.
    assert first.startswith(f"1 {site.url(story.slug)}: ")
    assert second.startswith(f"2 {site.base_url}/news/70001: same article as watch 1: merged; ")
    assert sorted([first.rsplit(": ", 1)[1], second.rsplit("; ", 1)[1]]) == ["new version 1", "unchanged"]
    assert [w["url"] for w in _watches(workspace)] == [site.url(story.slug)]
    # Asking for the short URL again finds the one watch.
    assert workspace.run("add", f"{site.base_url}/news/70001").stdout.startswith("1 ")


def test_a_story_first_found_at_a_short_url_is_watched_at_its_canonical_url(workspace, site):
    # Only the section page lists story 1, and only under its short URL, whose page declares the
    # story's own URL canonical: the watch moves to that URL at its first fetch, and a feed that
    # lists the story's own URL later finds that one watch.
    story = site.publish(
        1, aliases=("news/80001",), listed_url={"section": "/news/80001", "rss": "/news/80001"}
    )
    _add_sources(workspace, f"{site.base_url}/news")
    workspace.run("sources", "check")
    watches = [w for w in _watches(workspace) if "russia" not in w["url"]]
    assert [(w["url"], w["versions"]) for w in watches] == [(site.url(story.slug), 1)]
    with workspace.store() as store:
        assert [a["url"] for a in store.aliases.for_watch(watches[0]["id"])] == [
            f"{site.base_url}/news/80001"
        ]
    _add_sources(workspace, f"{site.base_url}/atom.xml")  # lists the story's own URL
    workspace.run("sources", "check")
    assert [w["url"] for w in _watches(workspace) if "russia" not in w["url"]] == [site.url(story.slug)]
    assert workspace.run("add", f"{site.base_url}/news/80001").stdout.startswith(f"{watches[0]['id']} ")
