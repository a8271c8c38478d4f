"""Finding and parsing embedded state blobs without running them, and locating the article inside."""

from __future__ import annotations

import json
import time

from crawler.extraction.embedded import best_article, find_embedded_article
from crawler.extraction.extract import extract_article, parse_html
from crawler.extraction.scriptdata import (
    MAX_BLOB_CHARS,
    StateBlob,
    assigned_objects,
    parse_blobs,
    read_literal,
    state_scripts,
    unflatten,
)
from tests.story_site import paragraphs

STORY = paragraphs(6, seed=5)
HEADLINE = "Ferry services resume after the storm"


def test_an_assigned_object_ends_at_its_balanced_brace_whatever_its_strings_hold():
    value = {
        "a": "a } brace and a { brace",
        "b": 'an \\"escaped\\" quote and a \\\\ backslash',
        "c": [1, {"d": "}"}],
    }
    code = f'window.__INITIAL_STATE__ = {json.dumps(value)}; var after = {{"x": 1}};'
    found = list(assigned_objects(code))
    assert found == [("__INITIAL_STATE__", value), ("after", {"x": 1})]


def test_read_literal_reports_where_the_object_ends():
    code = 'x = {"s": "}}}", "n": [1, 2]}; y = 2;'
    value, end = read_literal(code, code.index("{"))
    assert value == {"s": "}}}", "n": [1, 2]} and code[end:] == "; y = 2;"


def test_literals_that_are_not_json_are_skipped_and_the_next_one_is_still_found():
    code = (
        "window.__A__ = {a: undefined};"
        'window.__B__ = {"f": function () { return {"x": 1}; }};'
        "window.__C__ = {'single': 'quotes'};"
        'window.__D__ = {"ok": true};'
    )
    assert list(assigned_objects(code)) == [("__D__", {"ok": True})]


def test_json_parse_of_a_string_literal_is_read():
    inner = json.dumps({"article": {"title": "T"}})
    code = f"window.__APOLLO_STATE__ = JSON.parse({json.dumps(inner)});"
    assert list(assigned_objects(code)) == [("__APOLLO_STATE__", {"article": {"title": "T"}})]


def test_five_megabytes_of_garbage_are_refused_quickly():
    garbage = "window.__STATE__ = {" + "x" * MAX_BLOB_CHARS + "};"
    brace_storm = "var s = " + "{[" * (MAX_BLOB_CHARS // 4) + ";"
    almost = 'window.__STATE__ = {"a": "' + "y" * (MAX_BLOB_CHARS - 100) + "} ;"  # an unterminated string
    started = time.process_time()
    assert list(assigned_objects(garbage)) == []
    assert list(assigned_objects(brace_storm)) == []
    assert list(assigned_objects(almost)) == []
    page = f'<html><body><script id="__NEXT_DATA__" type="application/json">{"{" * 100 + garbage}</script></body></html>'
    assert list(parse_blobs(state_scripts(parse_html(page)))) == []
    assert time.process_time() - started < 2


def test_deeply_nested_json_is_skipped_not_a_crash():
    code = "window.__STATE__ = " + "[" * 100_000 + "]" * 100_000 + ";"
    assert list(assigned_objects(code)) == []


def test_nuxt_flat_data_is_unflattened():
    flat = [
        ["ShallowReactive", 1],
        {"data": 2},
        {"story": 3},
        {"title": 4, "body": 5},
        HEADLINE,
        "<p>Text</p>",
    ]
    assert unflatten(flat) == {"data": {"story": {"title": HEADLINE, "body": "<p>Text</p>"}}}


def article(content: list, **fields) -> dict:
    return {"headline": HEADLINE, "content": content, **fields}


def test_the_article_is_the_object_with_a_headline_and_the_most_paragraph_text():
    teaser = {"title": "Another story", "body": STORY[0]}
    blob = {
        "related": [teaser],
        "page": {"story": article([{"type": "paragraph", "text": p} for p in STORY])},
    }
    found = best_article([StateBlob("__STATE__", blob)])
    assert found.body == STORY and found.headline == HEADLINE and found.source == "__STATE__ page.story"


def test_ads_images_and_untyped_elements_of_a_typed_list_are_not_story_text():
    content = [{"type": "paragraph", "text": STORY[0]}, {"type": "ad", "text": "Buy now"},
               {"type": "image", "caption": "A photo"}, {"type": "PullQuote", "text": "Quoted"},
               {"type": "core/heading", "content": "<strong>Later</strong>"}, {"type": "text", "content": STORY[1]}]  # fmt: skip
    found = best_article([StateBlob("s", article(content))])
    assert found.body == [STORY[0], "Later", STORY[1]]


def test_inline_children_join_into_one_paragraph_and_list_items_stay_apart():
    content = [
        {"_type": "block", "style": "normal", "children": [{"_type": "span", "text": "One "}, {"_type": "span", "text": "sentence."}]},
        {"type": "paragraph", "content": [{"type": "text", "text": "Two "}, {"type": "text", "text": "words."}]},
        {"type": "list", "items": [{"content": "first item"}, {"content": "second item"}]},
    ]  # fmt: skip
    found = best_article([StateBlob("s", {"headline": HEADLINE, "paragraphs": content})])
    assert found.body == ["One sentence.", "Two words.", "first item", "second item"]


def test_byline_and_dates_come_from_the_article_object_not_the_blob_around_it():
    blob = {
        "serverTime": "2026-12-02T01:00:00Z",
        "author": {"name": "Site Robot"},
        "item": article([{"type": "text", "content": p} for p in STORY], credits={"by": [{"name": "Ana Lima"},
                        {"name": "Ben Ode"}]}, first_publish_date="2026-11-30T08:00:00Z",
                        publish_date="2026-11-30T10:00:00Z", last_updated_date="2026-11-30T11:00:00Z"),
    }  # fmt: skip
    found = best_article([StateBlob("s", blob)])
    assert found.byline == ["Ana Lima", "Ben Ode"]
    assert found.published.startswith("2026-11-30T08:00") and found.modified.startswith("2026-11-30T11:00")


def test_the_page_headline_picks_the_article_among_several():
    longer = paragraphs(12, seed=9)
    blob = {"other": {"headline": "A longer story elsewhere", "body": "\n".join(longer)},
            "main": {"headline": HEADLINE, "body": "\n".join(STORY)}}  # fmt: skip
    assert best_article([StateBlob("s", blob)], page_headline=HEADLINE).body == STORY
    assert best_article([StateBlob("s", blob)]).body == longer


def shell_page(visible: list[str], story: list[str]) -> str:
    data = {"props": {"article": {"headline": HEADLINE, "body": "".join(f"<p>{p}</p>" for p in story)}}}
    shown = "".join(f"<p>{p}</p>" for p in visible)
    return (
        f"<html><head><title>{HEADLINE}</title></head><body><main><article><h1>{HEADLINE}</h1>{shown}"
        f'</article></main><script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script></body></html>'
    )


def test_a_visible_teaser_gives_way_to_the_whole_embedded_article():
    found = extract_article(shell_page(STORY[:1], STORY), "http://127.0.0.1/a")
    assert found.extractor == "embedded" and found.body == STORY
    assert "the visible body is a fraction of it" in found.warnings[0]


def test_a_page_that_shows_its_article_does_not_read_the_blob():
    longer = paragraphs(12, seed=9)
    found = extract_article(shell_page(STORY, longer), "http://127.0.0.1/a")
    assert found.extractor == "page" and found.body == STORY
    assert (
        find_embedded_article(state_scripts(parse_html(shell_page(STORY, longer))), STORY, HEADLINE) is None
    )


def test_apollo_references_are_followed_to_the_paragraphs_they_name():
    cache = {"ROOT_QUERY": {"article({\"slug\":\"ferry\"})": {"__ref": "Article:1"}},
             "Article:1": {"__typename": "Article", "headline": HEADLINE, "author": {"__ref": "Person:9"},
                           "blocks": [{"__ref": f"Paragraph:{i}"} for i in range(len(STORY))],
                           "self": {"__ref": "Article:1"}},
             "Person:9": {"__typename": "Person", "name": "Ana Lima"},
             **{f"Paragraph:{i}": {"__typename": "Paragraph", "text": p} for i, p in enumerate(STORY)}}  # fmt: skip
    code = f"window.__APOLLO_STATE__ = {json.dumps(cache)};"
    page = f"<html><body><script>{code}</script></body></html>"
    found = best_article(parse_blobs(state_scripts(parse_html(page))))
    assert found.body == STORY and found.byline == ["Ana Lima"]
    assert found.source == '__APOLLO_STATE__ ROOT_QUERY.article({"slug":"ferry"})'


def test_characters_json_can_carry_but_text_cannot_are_dropped():
    from crawler.extraction import content_hash

    body = [p[:40] + "\ud800\x00\x07" + p[40:] for p in STORY]
    data = {
        "story": {"title": "Ferry\ufffe services resume", "author": "Ana\udfff Lima", "body": "\n".join(body)}
    }
    page = f'<html><body><script type="application/json">{json.dumps(data)}</script></body></html>'
    found = extract_article(page, "http://127.0.0.1/a")
    assert found.body == STORY and found.headline == "Ferry services resume" and found.byline == ["Ana Lima"]
    assert content_hash(found)


def test_a_nuxt_page_is_read_from_its_flat_data():
    html_body = "".join(f"<p>{p}</p>" for p in STORY)
    flat = [["ShallowReactive", 1], {"data": 2, "state": 7}, ["ShallowReactive", 3], {"story-ferry": 4},
            {"title": 5, "bodyHtml": 6}, HEADLINE, html_body, {"requestId": 8}, "r-123"]  # fmt: skip
    page = (
        f"<html><head><title>{HEADLINE}</title></head><body><div id='__nuxt'></div>"
        f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(flat)}</script></body></html>'
    )
    found = extract_article(page, "http://127.0.0.1/a")
    assert found.body == STORY and found.sources["body"] == "embedded: __NUXT_DATA__ data.story-ferry"
