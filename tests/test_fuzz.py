"""Fuzzing with hypothesis: no page, however malformed, makes extraction raise; extraction is a
function of the page alone (the same page, the same article, in any process); and the diff agrees
with the comparison form that decides what a version is.

The diff's own algebra (apply, rebuild, moves, word marks) is in tests/test_diff_properties.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction import Article, ExtractionError, content_hash, extract_article
from crawler.extraction.comparison import HEADLINE_VARIANTS
from crawler.snapshot.judging import quality_problem
from monitor.diffing.apply import apply_diff
from monitor.diffing.engine import CATEGORIES, Change, diff_articles
from tests.conftest import ROOT
from tests.test_diff_properties import article, edited, paragraph

# EDITWATCH_FUZZ_EXAMPLES=5000 for a longer campaign than the suite's.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

FUZZ = settings(
    max_examples=int(os.environ.get("EDITWATCH_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# -- pages ------------------------------------------------------------------------

TAGS = ["html", "head", "body", "article", "main", "section", "div", "p", "span", "h1", "h2", "a", "b",
        "figure", "figcaption", "time", "header", "footer", "nav", "aside", "ul", "li", "table", "td",
        "script", "style", "noscript", "template", "iframe", "svg", "math", "br", "img", "meta", "title"]  # fmt: skip
ATTRIBUTES = ["class", "id", "itemprop", "property", "name", "content", "datetime", "rel", "href", "type",
              "hidden", "aria-hidden", "style", "lang", "dir", "data-component"]  # fmt: skip
VALUES = ["article-body", "story", "headline", "author", "byline", "datePublished", "og:title", "author",
          "article:published_time", "application/ld+json", "canonical", "2021-03-18T09:14:00Z", "display:none",
          "", "x" * 300, "javascript:alert(1)", "\u202e", "rtl"]  # fmt: skip
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["@type", "@graph", "@id", "headline", "author", "name", "articleBody",
                         "datePublished", "dateModified", "publisher", "mainEntity", "url"]) | text,
        inner, max_size=5),
    max_leaves=20,
)  # fmt: skip
jsonld = st.one_of(
    json_value.map(lambda v: json.dumps(v, allow_nan=True)),
    text,  # not JSON at all
    st.just(
        '{"@type": "NewsArticle", "headline": "A", "author": {"@id": "#me"}, "@graph": [{"@id": "#me"}]}'
    ),
)


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(
        f' {name}="{value}"' if draw(st.booleans()) else f" {name}={value}"
        for name, value in draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES) | text),
                                         max_size=3))
    )  # fmt: skip
    if tag == "script" and draw(st.booleans()):
        return f'<script type="application/ld+json">{draw(jsonld)}</script>'
    children = []
    if depth < 6:
        children = draw(st.lists(st.one_of(text, element(depth + 1)), max_size=4))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</div>"]))
    return f"<{tag}{attributes}>{''.join(children)}{closing}"


pages = st.one_of(
    element().map(lambda e: f"<!DOCTYPE html><html><head><title>T</title></head><body>{e}</body></html>"),
    st.lists(element(), max_size=5).map("".join),
    text,
)


def _extract(page: str | bytes, content_type: str | None = None) -> Article | None:
    try:
        return extract_article(page, "https://news.example/story", content_type=content_type)
    except ExtractionError:
        return None  # the one exception extraction may raise: "not a page at all"


def _well_formed(article: Article | None) -> None:
    if article is None:
        return
    assert article.headline is None or (
        isinstance(article.headline, str) and article.headline == article.headline.strip()
    )
    assert all(isinstance(name, str) and name for name in article.byline)
    assert all(isinstance(p, str) and p.strip() for p in article.body)
    shown = " ".join([article.headline or "", *article.byline, *article.body])
    assert not _CONTROL.search(shown), repr(shown)  # nothing that would drive a terminal
    json.dumps(article.to_dict())  # storable
    content_hash(article)
    quality_problem(article, None)  # the recording's guard reads it without failing


@FUZZ
@given(page=pages)
def test_generated_markup_never_makes_extraction_raise(page):
    first = _extract(page)
    _well_formed(first)
    again = _extract(page)
    assert (first is None) == (again is None)
    if first is not None:
        assert content_hash(first) == content_hash(again)  # the same page is the same article


@FUZZ
@given(page=text)
def test_arbitrary_text_never_makes_extraction_raise(page):
    _well_formed(_extract(page))


@FUZZ
@given(
    data=st.binary(max_size=4000),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body><p>", b'<?xml version="1.0"?>']),
    content_type=st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=utf-16",
                                  "text/html; charset=koi8-r", "text/html; charset=no-such-charset",
                                  "text/html; charset=", "application/xhtml+xml; charset=shift_jis"]),
)  # fmt: skip
def test_arbitrary_bytes_never_make_extraction_raise(data, prefix, content_type):
    _well_formed(_extract(prefix + data, content_type))


def test_escape_sequences_in_json_ld_or_entities_never_reach_a_terminal():
    headline = "Vote \u001b]0;pwned\u0007 \u009b31m \u001b[2J"
    page = (
        '<html><head><script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "headline": headline, "author": {"name": "Ann \u001b[8mLee"}})
        + "</script></head><body><article><h1>Vote</h1>"
        + "<p>The council voted &#27;[2Jon the budget on Tuesday after a long debate in the chamber.</p>" * 4
        + "</article></body></html>"
    )
    article = extract_article(page)
    assert article.headline == "Vote ]0;pwned 31m [2J" and article.byline == ["Ann [8mLee"]
    assert all("\x1b" not in p for p in article.body) and article.body
    _well_formed(article)


def test_extraction_is_the_same_in_every_process(tmp_path):
    """Sets and dicts iterate in another order under another hash seed: the article must not change
    with it, or a restarted daemon would see edits that are not there."""
    from random import Random

    from monitor.demo.site import NewsSite
    from monitor.demo.templates import render

    site = NewsSite.generated(12)
    files = []
    for n, story in enumerate(site.stories.values()):
        path = tmp_path / f"page{n}.html"
        path.write_text(render(story, Random(n), 5), encoding="utf-8")
        files.append(str(path))
    outputs = []
    for seed in ("1", "2", "3"):
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "extract", "--json", *files],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        outputs.append([json.loads(line) for line in proc.stdout.splitlines()])
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) == 12 and all(record["body"] for record in outputs[0])


# -- the diff against the comparison form -------------------------------------------


def _as_article(fields: dict) -> Article:
    return Article(
        headline=fields.get("headline"),
        byline=list(fields.get("byline") or []),
        published=fields.get("published"),
        modified=fields.get("modified"),
        body=list(fields.get("body") or []),
        **{name: fields.get(name) for name in HEADLINE_VARIANTS},
    )


@FUZZ
@given(data=st.data(), old=article)
def test_a_version_is_stored_exactly_when_the_diff_shows_an_edit(data, old):
    """The recording trusts the content hash first and the diff second: they must agree, or a change
    would be stored with an empty diff, or an edit lost as "unchanged"."""
    new = data.draw(st.one_of(edited(old), article))
    diff = diff_articles(old, new)
    content = [c for c in diff.changes if c.field != "modified"]
    # A headline variant unknown on either side (None: a version stored before it was read) is not
    # compared by the diff; the recording then sees an "unchanged" article whatever the hashes say.
    unknown = {name: None for name in HEADLINE_VARIANTS if old.get(name) is None or new.get(name) is None}
    same_hash = content_hash(_as_article({**old, **unknown})) == content_hash(_as_article({**new, **unknown}))
    published_day_only = all(
        c.field == "published" and (c.before or "")[:10] == (c.after or "")[:10] for c in content
    )
    assert same_hash == (not content or published_day_only), diff.changes


@FUZZ
@given(data=st.data(), old=article)
def test_diffs_are_well_formed_symmetric_and_survive_json(data, old):
    new = data.draw(st.one_of(edited(old), article))
    forward, backward = diff_articles(old, new), diff_articles(new, old)
    assert bool(forward) == bool(backward)
    assert bool(forward) == (forward.summary != "no changes")
    for change in forward.changes:
        assert change.kind in ("edit", "insert", "delete") and change.category in CATEGORIES
        assert change.words_added >= 0 and change.words_removed >= 0
        if change.field == "body":
            assert change.kind == "insert" or 0 <= change.old_index < len(old["body"])
            assert change.kind == "delete" or 0 <= change.new_index < len(new["body"])
    stored = json.loads(json.dumps([c.to_dict() for c in forward.changes]))
    assert [Change.from_dict(d) for d in stored] == forward.changes
    assert apply_diff(old, stored)["body"] == new["body"]
    assert diff_articles(old, new).changes == forward.changes  # deterministic


@FUZZ
@given(old=st.fixed_dictionaries({"headline": text, "byline": st.lists(text, max_size=3),
                                  "published": text | st.none(), "modified": text | st.none(),
                                  "body": st.lists(text | paragraph, max_size=6)}),
       new=st.fixed_dictionaries({"headline": text, "byline": st.lists(text, max_size=3),
                                  "published": text | st.none(), "modified": text | st.none(),
                                  "body": st.lists(text | paragraph, max_size=6)}))  # fmt: skip
def test_any_text_in_any_field_diffs_without_raising(old, new):
    diff = diff_articles(old, new)
    json.dumps([c.to_dict() for c in diff.changes])
    assert isinstance(diff.summary, str)
