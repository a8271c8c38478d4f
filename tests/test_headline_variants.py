"""The four headlines a newsroom edits separately, through the real CLI against a site on 127.0.0.1.

The page's ``<h1>``, its JSON-LD ``headline``, its ``og:title`` and its ``<title>`` are each
stored with a version; a change to any of them alone is a new version whose diff names that
field, and a version stored before they were read (NULL) is not compared on them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.extraction import comparison_form, extract_article
from tests.receivers import WebhookReceiver

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget that raises spending on schools and roads.",
    "Officials said the plan, which passed by a margin of seven to two, would take effect in July.",
    "Residents who spoke at the meeting were divided, with some praising the investment in parks.",
    "The mayor, who had proposed a smaller increase, said she would sign the measure this week.",
]
VARIANTS = ("page_headline", "search_headline", "social_headline", "title")


class Page:
    """The article as the site serves it now; tests change its headlines between checks."""

    def __init__(self) -> None:
        self.h1 = "Council approves budget"
        self.search = "Council approves budget"
        self.social = "Council says yes to a record budget"
        self.title = "Council approves budget | The Gazette"

    def html(self) -> bytes:
        ld = json.dumps({"@type": "NewsArticle", "headline": self.search, "author": {"name": "Jane Roe"},
                         "datePublished": "2024-05-03T10:00:00Z"})  # fmt: skip
        body = "".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS)
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{escape(self.title)}</title>"
            f'<meta property="og:title" content="{escape(self.social)}">'
            f'<meta property="og:site_name" content="The Gazette">'
            f'<script type="application/ld+json">{ld}</script></head><body>'
            "<header><a href='/'>The Gazette</a></header>"
            f"<main><article><h1>{escape(self.h1)}</h1><p class='byline'>By Jane Roe</p>"
            f"<div class='article-body'>{body}</div></article></main></body></html>"
        ).encode()


@pytest.fixture
def site():
    page = Page()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            data = page.html() if self.path == "/story" else b"User-agent: *\nAllow: /\n"
            self.send_response(200 if self.path in ("/story", "/robots.txt") else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page.url = f"http://127.0.0.1:{server.server_address[1]}/story"
    yield page
    server.shutdown()
    server.server_close()


def check(workspace, url: str) -> str:
    return workspace.run("check", url).stdout.strip()


def test_only_the_social_headline_changed_is_a_version_naming_only_it(workspace, site):
    workspace.run("add", site.url)
    assert "new version 1" in check(workspace, site.url)
    shown = json.loads(workspace.run("show", "1", "--json").stdout)
    assert shown["headline"] == "Council approves budget"
    assert {name: shown[name] for name in VARIANTS} == {
        "page_headline": "Council approves budget",
        "search_headline": "Council approves budget",
        "social_headline": "Council says yes to a record budget",
        "title": "Council approves budget | The Gazette",
    }

    site.social = "Council says no to a record budget"
    assert check(workspace, site.url) == f"1 {site.url}: new version 2: social headline changed"
    diff = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
    assert diff["fields"] == ["social_headline"]
    [change] = diff["changes"]
    assert change["category"] == "headline" and change["kind"] == "edit"
    assert (change["before"], change["after"]) == (
        "Council says yes to a record budget",
        "Council says no to a record budget",
    )
    assert ["delete", "yes"] in change["words"] and ["insert", "no"] in change["words"]
    assert json.loads(workspace.run("show", "1", "--json").stdout)["headline"] == "Council approves budget"
    assert "Social headline" in workspace.run("diff", "1").stdout
    shown = workspace.run("show", "1").stdout
    assert "Social headline: Council says no to a record budget" in shown
    assert "Page title: Council approves budget | The Gazette" in shown
    assert "Headline on the page" not in shown  # it says what the headline says
    exported = workspace.run("export", "--what", "versions", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["social_headline"] for line in exported] == [
        "Council says yes to a record budget",
        "Council says no to a record budget",
    ]
    assert check(workspace, site.url) == f"1 {site.url}: unchanged"


def test_h1_and_search_headline_edited_together_are_one_headline_change(workspace, site):
    workspace.run("add", site.url)
    check(workspace, site.url)
    # The <title> follows, its site name kept: the same edit, reported once with the others.
    site.h1 = site.search = "Council approves record budget"
    site.title = "Council approves record budget | The Gazette"
    assert check(workspace, site.url) == f"1 {site.url}: new version 2: headline changed"
    diff = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
    assert diff["fields"] == ["headline"]  # the <h1>, JSON-LD and <title> echo it: not reported again
    shown = json.loads(workspace.run("show", "1", "--json").stdout)
    assert shown["page_headline"] == shown["search_headline"] == "Council approves record budget"
    assert shown["title"] == "Council approves record budget | The Gazette"

    # The visible <h1> edited on its own is its own field.
    site.h1 = "Record budget approved"
    assert check(workspace, site.url) == f"1 {site.url}: new version 3: headline on the page changed"
    diff = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
    assert diff["fields"] == ["page_headline"] and diff["changes"][0]["category"] == "headline"

    # The search headline and the <h1> edited differently: both named, once each.
    site.search, site.h1 = "Council approves a record budget", "Budget approved"
    assert (
        check(workspace, site.url)
        == f"1 {site.url}: new version 4: headline changed; headline on the page changed"
    )

    # A new site name in the <title> alone is an edit of the title (only many articles could say otherwise).
    site.title = "Council approves record budget - Gazette Online"
    assert check(workspace, site.url) == f"1 {site.url}: new version 5: page title changed"


def test_a_version_stored_before_the_variants_were_read_gives_no_false_version(workspace, site):
    workspace.run("add", site.url)
    check(workspace, site.url)
    # Turn the database into one an earlier editwatch wrote and this one upgraded: the variant
    # columns NULL (never read), the old hash, no learnt article region (a new extractor never
    # trusts one).
    article = extract_article(site.html(), site.url)
    form = {k: v for k, v in comparison_form(article).items() if k not in VARIANTS}
    old_hash = hashlib.sha256(json.dumps(form, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    conn = sqlite3.connect(workspace.db)
    with conn:
        conn.execute("UPDATE versions SET content_hash = ?", (old_hash,))
        for name in VARIANTS:
            conn.execute(f"UPDATE versions SET {name} = NULL")
        conn.execute("DELETE FROM article_regions")
    conn.close()

    site.social = "Council says yes to the budget"  # changed while nobody could see it
    assert check(workspace, site.url) == f"1 {site.url}: unchanged"
    shown = json.loads(workspace.run("show", "1", "--json").stdout)
    assert shown["version"] == 1 and all(shown[name] is None for name in VARIANTS)  # unknown
    assert check(workspace, site.url) == f"1 {site.url}: unchanged"

    # A real edit afterwards is a version that knows its variants from then on.
    site.h1 = site.search = "Council approves record budget"
    assert check(workspace, site.url) == f"1 {site.url}: new version 2: headline changed"
    diff = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
    assert diff["fields"] == ["headline"]  # variants unknown in version 1: not compared
    site.title = "Council approves record budget | The Gazette"
    assert check(workspace, site.url) == f"1 {site.url}: new version 3: page title changed"


def test_alert_rules_name_the_variants_and_their_ab_tests(workspace, site):
    social, everything = WebhookReceiver().start(), WebhookReceiver().start()
    workspace.run("add", site.url)
    out = workspace.run(
        "alerts", "add", social.url, "--on", "edit,ab_test", "--field", "social_headline,title"
    )
    assert "edits of social_headline, title" in out.stdout
    workspace.run("alerts", "add", everything.url, "--on", "edit,ab_test")
    check(workspace, site.url)
    first = site.social
    site.h1 = "Record budget approved"  # not a field the first rule follows
    check(workspace, site.url)
    # The social headline A/B tested: an edit, then the flip back is reported once as a test.
    site.social = "Your council just passed a record budget"
    check(workspace, site.url)
    site.social = first
    out = check(workspace, site.url)
    assert "headline A/B test (social headline): 2 variants alternate" in out
    site.social = "Your council just passed a record budget"
    assert "variant shown again" in check(workspace, site.url)

    workspace.run("alerts", "dispatch")
    assert [(e["event"], e["fields"]) for e in social.events] == [
        ("edit", ["social_headline"]),
        ("ab_test", ["social_headline"]),
    ]
    assert social.events[1]["changes"][0]["variants"] == [first, "Your council just passed a record budget"]
    assert [e["fields"] for e in everything.events] == [
        ["page_headline"],
        ["social_headline"],
        ["social_headline"],
    ]
    social.stop()
    everything.stop()
