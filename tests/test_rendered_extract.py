"""``editwatch extract URL`` reads a page in the browser as a check would: real Chromium, sites on 127.0.0.1."""

from __future__ import annotations

import json
import os

import pytest

from tests.app_shell_site import AppShellSite
from tests.test_rendered_pages import (
    APP_JS,
    BROWSER_CONFIG,
    HEADLINE,
    STORY,
    browser_workspace,  # noqa: F401 (a fixture)
    shell_html,
    story_json,
)

pytestmark = pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="needs chromium")


def serve_shell(site: AppShellSite, tracker: AppShellSite) -> str:
    site.serve("news/landslide", shell_html(tracker.url("").rstrip("/")))
    site.serve("static/app.js", APP_JS, "js")
    site.serve("api/story.json", story_json(STORY, 1), "json")
    return site.url("news/landslide")


def test_extract_renders_an_application_shell_as_a_check_would(browser_workspace):  # noqa: F811
    ws = browser_workspace
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        url = serve_shell(site, tracker)
        out = ws.run("extract", "--explain", url).stdout
        assert f"headline: {HEADLINE}" in out and f"  {STORY[0]}" in out
        assert (
            "page: rendered in a browser: the page as served is an application shell without an article"
            in out
        )
        assert site.hits["/news/landslide"] == 2 and site.hits["/api/story.json"] == 1
        # Nothing stored: extract decides nothing for the site, and makes no database.
        assert not (ws.path / "editwatch.db").exists()

        static = json.loads(ws.run("extract", "--render", "static", "--json", url).stdout)
        assert static["rendered"] is False and static["body"] == []
        assert site.hits["/api/story.json"] == 1


def test_extract_follows_the_site_rule_and_the_render_option(browser_workspace):  # noqa: F811
    ws = browser_workspace
    ws.config.write_text(BROWSER_CONFIG + '\n[sites."127.0.0.1"]\nrender = "browser"\n')
    with AppShellSite() as site, AppShellSite("localhost") as tracker:
        url = serve_shell(site, tracker)
        record = json.loads(ws.run("extract", "--json", "--explain", url).stdout)
        assert record["rendered"] is True and record["body"] == STORY
        assert record["explain"]["page"] == 'rendered in a browser: the site\'s rule says render = "browser"'
        # Straight to the browser: the page is fetched once.
        assert site.hits["/news/landslide"] == 1

        # A page with its article in the HTML is read as served, unless the browser is asked for.
        site.serve(
            "news/plain",
            f"<html><body><article><h1>{HEADLINE}</h1>"
            + "".join(f"<p>{p}</p>" for p in STORY)
            + "</article></body></html>",
        )
        ws.config.write_text(BROWSER_CONFIG)
        plain = json.loads(ws.run("extract", "--json", site.url("news/plain")).stdout)
        assert plain["rendered"] is False and plain["body"] == STORY
        forced = json.loads(ws.run("extract", "--json", "--render", "browser", site.url("news/plain")).stdout)
        assert forced["rendered"] is True and forced["body"] == STORY
        out = ws.run("extract", "--render", "sometimes", url, check_exit=2)
        assert "Invalid value for '--render'" in out.stderr and "Traceback" not in out.stderr
