"""Application shells: the article only in the page's embedded state blob, checked through the real CLI."""

from __future__ import annotations

import json
import time
from html import escape

import pytest

from tests.story_site import StorySite, paragraphs

HEADLINE = "Floodwater closes every road into the upper valley"
STORY = paragraphs(7, seed=17)
EDITED = [*STORY[:2], STORY[2].replace("according to", "as reported by"), *STORY[3:]]


def shell(headline: str, scripts: str) -> str:
    """The HTML an application shell sends: a title, navigation, an empty root and its scripts."""
    return (
        f"<!doctype html><html><head><title>{escape(headline)} | Valley Courier</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/world/">World</a></nav><div id="root"></div>'
        "<noscript>You need to enable JavaScript to run this app.</noscript>"
        f"{scripts}<footer>Valley Courier</footer></body></html>"
    )


def most_read(visit: int) -> list[dict]:
    """A "most read" list that changes on every request, with teasers that look like articles."""
    return [
        {"title": f"Most read story number {visit + n}", "summary": f"Teaser {visit} {n}"} for n in range(3)
    ]


def next_page(body: list[str], visit: int) -> str:
    """Next.js: the article as a list of content elements in ``__NEXT_DATA__``."""
    elements = [{"type": "paragraph", "text": p} for p in body]
    elements.insert(3, {"type": "image", "url": "/photo.jpg", "caption": f"Photo {visit}"})
    elements.insert(5, {"type": "ad", "text": f"Advertisement slot {visit} {{refresh}}"})
    data = {
        "props": {
            "pageProps": {
                "requestId": f"req-{visit}-{time.time_ns()}",
                "renderedAt": f"2026-12-02T01:{visit % 60:02d}:00Z",
                "article": {
                    "id": "a1",
                    "headline": HEADLINE,
                    "authors": [{"name": "Jane Doe", "slug": "jane-doe"}],
                    "publishedAt": "2026-11-30T08:00:00Z",
                    "content": elements,
                },
                "mostRead": most_read(visit),
            }
        },
        "page": "/news/[slug]",
        "buildId": "build-1",
    }
    return shell(HEADLINE, f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')


def initial_state_page(body: list[str], visit: int) -> str:
    """``window.__INITIAL_STATE__ = {...};``: the body as an HTML string, in code with other statements."""
    html_body = "".join(f"<p>{escape(p)}</p>" for p in body)
    state = {
        "session": {"id": f"s{visit}", "note": 'braces } and { and an "escaped quote" in a string'},
        "story": {
            "title": HEADLINE,
            "byline": "By Jane Doe",
            "datePublished": "2026-11-30T08:00:00Z",
            "bodyHtml": html_body,
        },
        "serverTime": 1764640000 + visit,
        "trending": most_read(visit),
    }
    code = (
        f"window.dataLayer = [];var config = {{debug: false, visit: {visit}}};"
        f"window.__INITIAL_STATE__ = {json.dumps(state)};"
        "window.__LOADER__ = function () { return {a: 1}; };"
    )
    return shell(HEADLINE, f"<script>{code}</script>")


def fusion_page(body: list[str], visit: int) -> str:
    """Fusion-like: ``Fusion.globalContent`` with ``content_elements`` of HTML text and ``credits.by``."""
    content = {
        "_id": "ABC",
        "type": "story",
        "headlines": {"basic": HEADLINE, "meta_title": ""},
        "credits": {"by": [{"type": "author", "name": "Jane Doe"}]},
        "first_publish_date": "2026-11-30T08:00:00Z",
        "last_updated_date": "2026-11-30T09:30:00Z",
        "content_elements": [
            {"type": "text", "content": escape(p), "_id": f"p{i}"} for i, p in enumerate(body)
        ],
    }
    code = (
        f'window.Fusion=window.Fusion||{{}};Fusion.arcSite="courier";Fusion.globalContent={json.dumps(content)};'
        f'Fusion.globalContentConfig={{"source":"content-api","query":{{"_ts":{visit}}}}};'
        f"Fusion.contentCache={json.dumps({'most-read': most_read(visit)})};"
        f'Fusion.deployment="{visit}";'
    )
    return shell(HEADLINE, f'<script id="fusion-metadata" type="application/javascript">{code}</script>')


@pytest.mark.parametrize(
    "build, source",
    [
        (next_page, "embedded: __NEXT_DATA__ props.pageProps.article"),
        (initial_state_page, "embedded: __INITIAL_STATE__ story"),
        (fusion_page, "embedded: Fusion.globalContent"),
    ],
    ids=["next-data", "initial-state", "fusion"],
)
def test_an_application_shell_is_read_from_its_embedded_data_and_edits_are_field_accurate(
    workspace, build, source
):
    with StorySite() as site:
        visit = iter(range(1, 100))
        site.serve("news/floods", build(STORY, next(visit)))
        url = site.url("news/floods")
        workspace.run("add", url)
        assert "new version 1" in workspace.run("check").stdout
        shown = json.loads(workspace.run("show", "1", "--json").stdout)
        assert shown["headline"] == HEADLINE and shown["byline"] == ["Jane Doe"]
        assert shown["body"] == STORY and shown["extractor"] == "embedded"
        assert shown["published"].startswith("2026-11-30T08:00:00")

        explained = json.loads(workspace.run("extract", url, "--json", "--explain").stdout)
        assert explained["explain"]["body"] == source

        # Only the blob's request IDs, timestamps, ads and "most read" list change: no version.
        for _ in range(2):
            site.serve("news/floods", build(STORY, next(visit)))
            assert "unchanged" in workspace.run("check").stdout
        assert workspace.store().versions.count(1) == 1

        site.serve("news/floods", build(EDITED, next(visit)))
        assert "new version 2: paragraph 3 edited" in workspace.run("check").stdout
        diff = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
        body = [c for c in diff["changes"] if c["field"] == "body"]
        assert [(c["kind"], c["before"], c["after"]) for c in body] == [("edit", STORY[2], EDITED[2])]
        assert [c["field"] for c in diff["changes"]] == ["body"]


def test_a_shell_with_no_article_anywhere_is_a_clear_extraction_failure(workspace):
    state = {"user": None, "config": {"api": "/api/v2", "features": ["dark-mode"]}, "menu": most_read(1)}
    page = shell("Valley Courier", f"<script>window.__PRELOADED_STATE__ = {json.dumps(state)};</script>")
    with StorySite() as site:
        site.serve("news/empty", page)
        url = site.url("news/empty")
        workspace.run("add", url)
        started = time.monotonic()
        out = workspace.run("check", check_exit=None)
        assert time.monotonic() - started < 60
        assert "error: no article body found on the page" in out.stdout
        assert workspace.store().versions.count(1) == 0
        extracted = json.loads(workspace.run("extract", url, "--json", check_exit=None).stdout or "{}")
        assert extracted.get("extractor") != "embedded" and not extracted.get("body")
