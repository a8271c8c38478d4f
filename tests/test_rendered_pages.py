"""Pages only a browser can read, rendered by the real Chromium through the real CLI, on 127.0.0.1.

Three kinds of application shell: the article fetched by script from a JSON endpoint, the
article in ``__NEXT_DATA__`` and rendered from it, and a shell that never shows one.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from html import escape

import pytest

from tests.app_shell_site import AppShellSite
from tests.conftest import TEST_CONFIG
from tests.story_site import paragraphs

pytestmark = pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="needs chromium")

HEADLINE = "Landslide cuts the mountain railway for a second week"
STORY = paragraphs(6, seed=31)
EDITED = [*STORY[:2], STORY[2].replace("according to", "as reported by"), *STORY[3:]]
BROWSER_CONFIG = TEST_CONFIG + "browser_timeout_seconds = 10\n"

# Renders the article into #root from the JSON it fetches, and a "most read" box that changes on every visit.
APP_JS = """
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
fetch('/api/story.json').then((r) => r.json()).then((s) => {
  document.getElementById('root').innerHTML =
    '<article><h1>' + esc(s.headline) + '</h1><p class="byline">By ' + esc(s.author) + '</p>' +
    '<time datetime="' + s.published + '">' + s.published.slice(0, 10) + '</time>' +
    s.body.map((p) => '<p>' + esc(p) + '</p>').join('') + '</article>' +
    '<aside class="most-read"><h2>Most read</h2><ul>' +
    s.mostRead.map((m) => '<li><a href="/news/' + m.length + '">' + esc(m) + '</a></li>').join('') +
    '</ul></aside><footer>Rendered at ' + new Date().toISOString() + '</footer>';
  fetch('/private/secret.json').catch(() => {});
  fetch('http://localhost:' + location.port + '/beacon').catch(() => {});
});
"""


def shell_html(third_party: str, extra: str = "", script: str = "/static/app.js") -> str:
    """What the server sends: a title, a menu, an empty root, an image, a stylesheet and the scripts."""
    return (
        "<!doctype html><html><head><title>Mountain Herald</title>"
        '<link rel="stylesheet" href="/static/site.css">'
        f'<script src="{third_party}/tracker.js"></script>'
        f'<script src="{script}" defer></script>{extra}</head><body>'
        '<nav><a href="/">Home</a> <a href="/region/">Region</a></nav>'
        '<div id="root">Loading…</div><img src="/img/photo.jpg" alt=""></body></html>'
    )


def story_json(body: list[str], visit: int, headline: str = HEADLINE) -> str:
    most_read = [f"Most read story number {visit + n}" for n in range(3)]
    data = {"headline": headline, "author": "Jane Doe", "published": "2026-11-30T08:00:00Z", "body": body}
    return json.dumps({**data, "mostRead": most_read, "requestId": f"r{visit}-{time.time_ns()}"})


def chromium_profiles() -> set[int]:
    """Processes of a Chromium that Playwright launched (its temporary profile is on the command line)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if b"playwright_chromiumdev_profile" in f.read():
                        found.add(int(entry))
            except OSError:
                pass
    return found


@pytest.fixture
def browser_workspace(workspace):
    workspace.config.write_text(BROWSER_CONFIG)
    before = chromium_profiles()
    yield workspace
    deadline = time.monotonic() + 10
    while chromium_profiles() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not chromium_profiles() - before, "a browser process outlived the command"


def test_an_article_fetched_by_script_is_rendered_once_decided_and_edits_are_field_accurate(
    browser_workspace,
):
    ws = browser_workspace
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        visit = iter(range(1, 100))
        site.serve("news/landslide", shell_html(tracker.url("").rstrip("/")))
        site.serve("static/app.js", APP_JS, "js")
        site.serve("static/site.css", "body { font-family: Serif; }", "js")
        site.serve("robots.txt", "User-agent: *\nDisallow: /private/\n", "js")
        site.serve("private/secret.json", "{}", "json")
        site.serve("api/story.json", story_json(STORY, next(visit)), "json")
        url = site.url("news/landslide")
        ws.run("add", url)

        # The static page has no article and is a shell: the browser is tried, and shows the article.
        assert "new version 1" in ws.run("check").stdout
        shown = json.loads(ws.run("show", "1", "--json").stdout)
        assert shown["headline"] == HEADLINE and shown["byline"] == ["Jane Doe"]
        assert shown["body"] == STORY
        assert shown["published"].startswith("2026-11-30T08:00:00")
        assert site.hits["/api/story.json"] == 1 and site.hits["/news/landslide"] == 2

        # The decision is kept, said in the status and in the watch's history.
        status = json.loads(ws.run("status", "--json").stdout)
        assert [(d["site"], d["mode"]) for d in status["rendering"]] == [("127.0.0.1", "browser")]
        assert "read in a browser (decided by editwatch): 127.0.0.1" in ws.run("status").stdout
        events = json.loads(ws.run("history", "1", "--json").stdout)
        assert [e["event"] for e in events] == ["version", "rendering"] or [e["event"] for e in events] == [
            "rendering",
            "version",
        ]
        assert "127.0.0.1 is read in a browser from now on" in ws.run("history", "1").stdout

        # Only the "most read" box, the request ID and the render time change: no version.
        for _ in range(2):
            site.serve("api/story.json", story_json(STORY, next(visit)), "json")
            assert "unchanged" in ws.run("check").stdout
        assert ws.store().versions.count(1) == 1
        # Decided: straight to the browser, the static page is not fetched first any more.
        assert site.hits["/news/landslide"] == 4

        site.serve("api/story.json", story_json(EDITED, next(visit)), "json")
        assert "new version 2: paragraph 3 edited" in ws.run("check").stdout
        diff = json.loads(ws.run("diff", "1", "--format", "json").stdout)
        assert [(c["field"], c["kind"], c["before"], c["after"]) for c in diff["changes"]] == [
            ("body", "edit", STORY[2], EDITED[2])
        ]

        site.serve("api/story.json", story_json(EDITED, next(visit), headline=HEADLINE + " again"), "json")
        assert "new version 3" in ws.run("check").stdout
        diff = json.loads(ws.run("diff", "1", "--format", "json").stdout)
        assert [c["field"] for c in diff["changes"]] == ["headline"]

        # Nothing but the site's own scripts and data was loaded, and nothing robots.txt forbids.
        assert site.hits["/img/photo.jpg"] == 0 and site.hits["/static/site.css"] == 0
        assert site.hits["/private/secret.json"] == 0
        assert sum(tracker.hits.values()) == 0


NEXT_JS = """
const data = JSON.parse(document.getElementById('__NEXT_DATA__').textContent).props.pageProps;
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const a = data.article;
document.getElementById('root').innerHTML =
  '<main><article><h1>' + esc(a.title) + '</h1><p class="byline">By ' + esc(a.authors[0].name) + '</p>' +
  a.blocks.map((b) => b.type === 'paragraph' ? '<p>' + esc(b.text) + '</p>' :
    '<div class="ad">Advertisement ' + esc(b.text) + '</div>').join('') +
  '</article></main><aside><h2>Trending</h2><p>' + esc(data.trending.join(' · ')) + '</p></aside>';
"""


def next_data_page(tracker: str, body: list[str], visit: int, headline: str = HEADLINE) -> str:
    blocks = [{"type": "paragraph", "text": p} for p in body]
    blocks.insert(2, {"type": "ad", "text": f"slot {visit}"})
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "title": headline,
                    "authors": [{"name": "Jane Doe"}],
                    "publishedAt": "2026-11-30T08:00:00Z",
                    "blocks": blocks,
                },
                "trending": [f"Trending story {visit + n}" for n in range(3)],
                "requestId": f"req-{visit}-{time.time_ns()}",
            }
        },
        "buildId": "b1",
    }
    blob = (
        f'<script id="__NEXT_DATA__" type="application/json">{escape(json.dumps(data), quote=False)}</script>'
    )
    return shell_html(tracker, script="/static/next.js").replace("</body>", blob + "</body>")


def test_an_article_in_next_data_and_rendered_is_read_in_the_browser_by_site_rule(browser_workspace):
    ws = browser_workspace
    ws.config.write_text(BROWSER_CONFIG + '\n[sites."127.0.0.1"]\nrender = "browser"\n')
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        third_party = tracker.url("").rstrip("/")
        visit = iter(range(1, 100))
        site.serve("static/next.js", NEXT_JS, "js")
        site.serve("news/slide", next_data_page(third_party, STORY, next(visit)))
        url = site.url("news/slide")
        ws.run("add", url)
        assert "new version 1" in ws.run("check").stdout
        # The rule sends it to the browser at once: its script ran, and the page was fetched once.
        assert site.hits["/static/next.js"] == 1 and site.hits["/news/slide"] == 1
        shown = json.loads(ws.run("show", "1", "--json").stdout)
        assert shown["headline"] == HEADLINE and shown["byline"] == ["Jane Doe"]
        assert shown["body"] == STORY

        for _ in range(2):
            site.serve("news/slide", next_data_page(third_party, STORY, next(visit)))
            assert "unchanged" in ws.run("check").stdout
        assert ws.store().versions.count(1) == 1

        site.serve("news/slide", next_data_page(third_party, EDITED, next(visit)))
        assert "new version 2: paragraph 3 edited" in ws.run("check").stdout
        diff = json.loads(ws.run("diff", "1", "--format", "json").stdout)
        assert [(c["field"], c["kind"], c["before"], c["after"]) for c in diff["changes"]] == [
            ("body", "edit", STORY[2], EDITED[2])
        ]
        site.serve("news/slide", next_data_page(third_party, EDITED[:-1], next(visit)))
        assert "new version 3" in ws.run("check").stdout
        diff = json.loads(ws.run("diff", "1", "--format", "json").stdout)
        assert [(c["field"], c["kind"], c["before"]) for c in diff["changes"]] == [
            ("body", "delete", EDITED[-1])
        ]
        assert sum(tracker.hits.values()) == 0 and site.hits["/img/photo.jpg"] == 0
        # A rule, not a decision: nothing is stored for the site.
        assert json.loads(ws.run("status", "--json").stdout)["rendering"] == []


# Shows a spinner for ever and polls, so that the page never falls quiet.
SPINNER_JS = """
setInterval(() => { fetch('/api/ping.json?' + Date.now()).catch(() => {}); }, 150);
document.getElementById('root').textContent = 'Loading the story…';
"""


def test_a_shell_that_never_renders_an_article_is_a_clear_extraction_failure(browser_workspace):
    ws = browser_workspace
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        site.serve("news/never", shell_html(tracker.url("").rstrip("/"), script="/static/spin.js"))
        site.serve("static/spin.js", SPINNER_JS, "js")
        site.serve("api/ping.json", "{}", "json")
        ws.run("add", site.url("news/never"))
        started = time.monotonic()
        out = ws.run("check", check_exit=None).stdout
        assert time.monotonic() - started < 60
        assert "error: no article body found on the page (rendered in a browser)" in out
        assert site.hits["/static/spin.js"] == 1 and site.hits["/api/ping.json"] >= 1
        assert ws.store().versions.count(1) == 0
        # Tried once: the site stays static, and the next check does not start the browser.
        status = json.loads(ws.run("status", "--json").stdout)
        assert [(d["site"], d["mode"]) for d in status["rendering"]] == [("127.0.0.1", "static")]
        out = ws.run("check", check_exit=None).stdout
        assert "no article body found on the page" in out and "rendered" not in out
        assert site.hits["/static/spin.js"] == 1


def test_what_a_rendered_page_may_load_is_what_the_crawler_may_reach():
    from crawler.rendering.subrequests import subrequest_refusal

    page = "https://www.example.com/news/story"
    assert subrequest_refusal("https://www.example.com/app.js", "script", page) is None
    assert subrequest_refusal("https://api.example.com/story.json", "fetch", page) is None
    assert subrequest_refusal("https://example.com/story.json", "xhr", page) is None
    for kind in ("image", "font", "media", "stylesheet", "websocket", "other"):
        assert subrequest_refusal("https://www.example.com/x", kind, page) == f"{kind} not loaded"
    assert subrequest_refusal("https://cdn.ads.net/ad.js", "script", page) == "third-party host cdn.ads.net"
    assert subrequest_refusal("https://example.com.evil.net/x.js", "script", page) is not None
    assert subrequest_refusal("https://www.example.com/embed", "document", page, child_frame=True)
    assert subrequest_refusal("file:///etc/passwd", "fetch", page) is not None
    denied = subrequest_refusal(
        "https://www.example.com/private/a.json", "fetch", page, robots_allow=lambda u: False
    )
    assert denied == "disallowed by robots.txt"
    # With private addresses refused, only the page's own host, whose address was checked, is reached.
    assert subrequest_refusal("https://api.example.com/a.json", "fetch", page, block_private=True)
    assert subrequest_refusal("https://www.example.com/a.json", "fetch", page, block_private=True) is None


def test_a_render_rule_must_say_browser_or_static(workspace):
    workspace.config.write_text(TEST_CONFIG + '\n[sites."example.com"]\nrender = "always"\n')
    out = workspace.run("list", check_exit=None)
    assert out.returncode != 0
    assert 'sites."example.com".render must be "browser" or "static"' in out.stderr
    assert "Traceback" not in out.stderr


def test_one_browser_page_renders_several_watches_in_turn(browser_workspace):
    # With one page, the second and third watches reuse the page the first left frozen, polling.
    ws = browser_workspace
    ws.config.write_text(
        BROWSER_CONFIG.replace("per_domain = 16", "per_domain = 1")
        + 'browser_pages = 1\n\n[sites."127.0.0.1"]\nrender = "browser"\n'
    )
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        third_party = tracker.url("").rstrip("/")
        site.serve("news/never", shell_html(third_party, script="/static/spin.js"))
        site.serve("static/spin.js", SPINNER_JS, "js")
        site.serve("api/ping.json", "{}", "json")
        site.serve("static/next.js", NEXT_JS, "js")
        site.serve("news/one", next_data_page(third_party, STORY, 1))
        site.serve("news/two", next_data_page(third_party, EDITED, 2, headline="Second story"))
        for path in ("news/never", "news/one", "news/two"):
            ws.run("add", site.url(path))
        out = ws.run("check").stdout
        assert "1 " + site.url("news/never") + ": error: no article body found" in out
        assert "new version 1" in out.split(site.url("news/one"))[1].splitlines()[0]
        assert "new version 1" in out.split(site.url("news/two"))[1].splitlines()[0]
        assert json.loads(ws.run("show", "2", "--json").stdout)["body"] == STORY
        second = json.loads(ws.run("show", "3", "--json").stdout)
        assert second["headline"] == "Second story" and second["body"] == EDITED
    # The pages' requests go out as the browser makes them, with editwatch's User-Agent; the page
    # itself with the crawler's request headers (Scrapy's Accept-Language, not Chromium's).
    sent = [(path, headers) for path, headers in site.headers if path != "/robots.txt"]
    assert {path for path, _ in sent} >= {"/news/one", "/static/next.js", "/static/spin.js"}
    assert all(headers["User-Agent"].startswith("editwatch/") for _, headers in sent)
    assert all(headers.get("Accept-Language") == "en" for path, headers in sent if path.startswith("/news/"))


def test_without_a_browser_a_rendered_site_fails_in_one_line_and_shells_are_not_tried(workspace, tmp_path):
    missing = tmp_path / "no-chromium"
    workspace.config.write_text(
        BROWSER_CONFIG
        + f'browser_path = "{missing}"\n\n[[rules]]\nmatch = "*/news/ruled"\nrender = "browser"\n'
    )
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        site.serve("news/ruled", shell_html(tracker.url("").rstrip("/")))
        site.serve("news/shell", shell_html(tracker.url("").rstrip("/")))
        site.serve("static/app.js", APP_JS, "js")
        workspace.run("add", site.url("news/ruled"))
        workspace.run("add", site.url("news/shell"))
        out = workspace.run("check", check_exit=None)
        assert f"no browser at {missing} to render the page" in out.stdout
        assert "Traceback" not in out.stdout + out.stderr
        # No browser, no trial: the shell is the static page's extraction failure.
        assert "2 " + site.url("news/shell") + ": error: no article body found on the page" in out.stdout
        assert site.hits["/news/shell"] == 1 and site.hits["/static/app.js"] == 0
        assert json.loads(workspace.run("status", "--json").stdout)["rendering"] == []


# Sets a cookie of its own, waits (so that two pages of the site would overlap), then fetches the story.
COOKIE_JS = """
const mine = 'v' + Math.random().toString(36).slice(2);
document.cookie = 'visitor=' + mine + '; path=/';
setTimeout(() => {
  fetch('/api/story.json?mine=' + mine).then((r) => r.json()).then((s) => {
    document.getElementById('root').innerHTML = '<article><h1>' + s.headline + '</h1>' +
      s.body.map((p) => '<p>' + p + '</p>').join('') + '</article>';
  });
}, 400);
"""


def test_a_rendered_page_sees_no_cookie_but_its_own(browser_workspace):
    ws = browser_workspace
    ws.config.write_text(
        BROWSER_CONFIG.replace("per_domain = 16", "per_domain = 4")
        + 'browser_pages = 4\n\n[sites."127.0.0.1"]\nrender = "browser"\n'
    )
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        site.serve("static/cookie.js", COOKIE_JS, "js")
        site.serve("api/story.json", story_json(STORY, 1), "json")
        for n in range(3):
            site.serve(f"news/{n}", shell_html(tracker.url("").rstrip("/"), script="/static/cookie.js"))
            ws.run("add", site.url(f"news/{n}"))
        for _ in range(2):
            ws.run("check")
        assert site.hits["/api/story.json"] == 6
        for path, cookie in site.cookies:
            if path.startswith("/news/"):
                # A check starts with no cookie: none left by an earlier check, nor set by another page.
                assert cookie == "", (path, cookie)
            elif path.startswith("/api/"):
                assert cookie == "visitor=" + path.split("mine=")[1], (path, cookie)


@contextlib.contextmanager
def _shell_whose_script_comes_late(ws) -> Iterator[AppShellSite]:
    """A watched application shell whose script arrives after the browser gave up (2 s): it timed out."""
    ws.config.write_text(
        BROWSER_CONFIG.replace("browser_timeout_seconds = 10", "browser_timeout_seconds = 2")
    )
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        site.serve("news/landslide", shell_html(tracker.url("").rstrip("/")))
        site.serve("static/app.js", APP_JS, "js")
        site.serve("api/story.json", story_json(STORY, 1), "json")
        site.delays["/static/app.js"] = 4
        ws.run("add", site.url("news/landslide"))
        yield site


def test_a_browser_that_fails_during_the_trial_decides_nothing_and_the_site_is_tried_again(browser_workspace):
    ws = browser_workspace
    with _shell_whose_script_comes_late(ws) as site:
        out = ws.run("check", check_exit=None).stdout
        assert "did not load within 2 s in the browser" in out
        assert json.loads(ws.run("status", "--json").stdout)["rendering"] == []
        # A later check tries the browser again, and this time it shows the article.
        site.delays.clear()
        assert "new version 1" in ws.run("check").stdout
        assert site.hits["/news/landslide"] == 4
        status = json.loads(ws.run("status", "--json").stdout)
        assert [(d["site"], d["mode"]) for d in status["rendering"]] == [("127.0.0.1", "browser")]


def test_failed_trials_are_counted_across_runs_until_the_site_stays_static(browser_workspace):
    # Each `check` is a process of its own: the count of trials that did not load is the database's.
    ws = browser_workspace
    with _shell_whose_script_comes_late(ws) as site:
        for _ in range(2):
            assert "did not load within 2 s in the browser" in ws.run("check", check_exit=None).stdout
            assert json.loads(ws.run("status", "--json").stdout)["rendering"] == []
        ws.run("check", check_exit=None)
        (decision,) = json.loads(ws.run("status", "--json").stdout)["rendering"]
        assert (decision["site"], decision["mode"]) == ("127.0.0.1", "static")
        assert "did not load in 3 trials" in decision["reason"]
        # Settled: the next run reads the static page alone.
        scripts = site.hits["/static/app.js"]
        assert "no article body found" in ws.run("check", check_exit=None).stdout
        assert site.hits["/static/app.js"] == scripts
