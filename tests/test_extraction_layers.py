"""Each extraction layer on its own: JSON-LD, meta tags, headline, byline, dates, body, reconciliation, text."""

from __future__ import annotations

import json

import pytest

from crawler.extraction import extract_article, parse_html
from crawler.extraction.body import locate_body
from crawler.extraction.boilerplate import remove_boilerplate
from crawler.extraction.byline import split_names
from crawler.extraction.dates import parse_date
from crawler.extraction.jsonld import find_article
from crawler.extraction.meta import read_meta
from crawler.extraction.text import clean_text, decode_page, repair_mojibake
from crawler.extraction.vocabulary.scripts import count_words

SENTENCES = [
    "The city council voted on Tuesday to approve a new budget that raises spending on schools, roads and parks.",
    "Officials said the plan, which passed by a margin of seven to two, would take effect at the start of July.",
    "Residents who spoke at the meeting were divided, with some praising the investment and others the taxes.",
    "The mayor, who had proposed a smaller increase, said she would sign the measure despite her reservations.",
    "A final vote on a separate housing package is expected next month after two more public hearings.",
]


def page(head: str = "", body: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def story(paragraphs: list[str] = SENTENCES, headline: str = "Council approves budget") -> str:
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<article><h1>{headline}</h1><div class="article-body">{ps}</div></article>'


# -- JSON-LD -------------------------------------------------------------------


def test_jsonld_graph_resolves_author_references_and_prefers_people():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Gazette"},
            {"@type": "Person", "@id": "#jane", "name": "Jane Roe"},
            {
                "@type": ["NewsArticle"],
                "headline": "Budget &amp; taxes",
                "author": [{"@id": "#jane"}, {"@type": "Organization", "name": "Wire Service"}],
                "datePublished": "2024-05-03T15:47:42.389Z",
                "publisher": {"@type": "NewsMediaOrganization", "name": "Gazette"},
            },
        ],
    }
    data = find_article(parse_html(page(ld(graph))))
    assert data.headline == "Budget & taxes"
    assert data.authors == ["Jane Roe"] and data.author_organizations == ["Wire Service"]
    assert data.published == "2024-05-03T15:47:42+00:00" and data.publisher == "Gazette"


def test_jsonld_tolerates_raw_newlines_and_trailing_commas():
    broken = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Line\none",}</script>'
    assert find_article(parse_html(page(broken))).headline == "Line one"


def test_jsonld_article_types_win_over_webpage():
    nodes = [
        {"@type": "WebPage", "name": "Gazette home"},
        {"@type": "ReportageNewsArticle", "headline": "Real"},
    ]
    assert find_article(parse_html(page(ld(nodes)))).headline == "Real"


# -- meta ----------------------------------------------------------------------


def test_meta_reads_opengraph_author_and_normalizes_dates():
    head = (
        '<meta property="og:title" content="OG title"><meta name="author" content="Jane Roe">'
        '<meta property="article:published_time" content="Fri Apr 28 19:20:36 CEST 2023">'
        '<meta property="og:site_name" content="Gazette"><link rel="canonical" href="https://g.example/a">'
    )
    meta = read_meta(parse_html(page(head)))
    assert meta.headlines["og:title"] == "OG title" and meta.authors == ["Jane Roe"]
    assert meta.published == "2023-04-28T19:20:36+02:00"
    assert meta.site_names == ["Gazette"] and meta.canonical_url == "https://g.example/a"


# -- headline ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Council approves budget | Gazette", "Council approves budget"),
        ("Gazette: Council approves budget", "Council approves budget"),
        ("Council approves budget - Gazette", "Council approves budget"),
    ],
)
def test_headline_loses_the_site_name(title, expected):
    head = f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Gazette">'
    assert extract_article(page(head, story())).headline == expected


def test_headline_truncated_in_jsonld_is_completed_from_the_page():
    full = "Council approves the largest budget in the history of the city after a long night"
    head = ld({"@type": "NewsArticle", "headline": full[:50] + "…"})
    article = extract_article(page(head, story(headline=full)))
    assert article.headline == full


def test_headline_falls_back_to_the_h1_without_any_metadata():
    article = extract_article(page("", story(headline="Council approves budget")))
    assert article.headline == "Council approves budget" and article.sources["headline"] == "h1"


def test_each_of_the_four_headlines_is_kept_as_served():
    head = (
        "<title>Budget passes after late vote | The Gazette</title>"
        '<meta property="og:title" content="Council says yes to a record budget &amp; more">'
        '<meta name="twitter:title" content="Twitter card headline">'
        '<meta property="og:site_name" content="The Gazette">'
        + ld({"@type": "NewsArticle", "headline": "City  council approves 2025 budget", "name": "Budget"})
    )
    body = "<header><h1>The Gazette</h1></header>" + story(headline="Council <em>approves</em> the budget")
    article = extract_article(page(head, body))
    assert article.headline == "City council approves 2025 budget"  # the one chosen, as before
    assert article.page_headline == "Council approves the budget"  # the story's <h1>, not the site's
    assert article.search_headline == "City council approves 2025 budget"
    assert article.social_headline == "Council says yes to a record budget & more"
    assert article.title == "Budget passes after late vote | The Gazette"  # the site name stays
    assert article.sources["page_headline"].startswith("h1")
    assert article.sources["search_headline"] == "json-ld headline"
    assert article.sources["social_headline"] == "meta og:title"
    assert article.sources["title"] == "title"


def test_social_headline_falls_back_to_twitter_and_absent_variants_are_none():
    head = '<meta name="twitter:title" content="Only the card">'
    article = extract_article(page(head, "<div><p>" + " ".join(SENTENCES) + "</p></div>"))
    assert (
        article.social_headline == "Only the card"
        and article.sources["social_headline"] == "meta twitter:title"
    )
    assert article.page_headline is None and article.search_headline is None and article.title is None
    assert "page_headline" not in article.sources


def test_page_headline_is_the_h1_matching_another_headline_among_several():
    head = '<meta property="og:title" content="Council approves budget">'
    body = "<nav><h1>Menu</h1></nav><h1>Weather today</h1>" + story(headline="Council approves budget")
    assert extract_article(page(head, body)).page_headline == "Council approves budget"
    # Edited on the page alone, it is still the story's <h1> that is read.
    body = "<nav><h1>Menu</h1></nav><header><h1>Gazette</h1></header>" + story(headline="A new wording")
    assert extract_article(page(head, body)).page_headline == "A new wording"


def test_variants_count_in_the_content_hash_but_fold_only_typography():
    from crawler.extraction import content_hash

    head = (
        '<title>Budget passes | The Gazette</title><meta property="og:title" content="Budget passes">'
        + ld({"@type": "NewsArticle", "headline": "Council approves budget"})
    )
    base = extract_article(page(head, story()))
    social = extract_article(page(head.replace('content="Budget passes"', 'content="Budget fails"'), story()))
    suffix = extract_article(page(head.replace("The Gazette", "Gazette Online"), story()))
    quotes = extract_article(page(head.replace("Budget passes", "\u201cBudget\u201d  passes"), story()))
    assert base.headline == social.headline == suffix.headline  # the chosen headline did not move
    assert content_hash(social) != content_hash(base)
    assert content_hash(suffix) != content_hash(base)  # a site suffix is not folded away
    quoted = extract_article(page(head.replace("Budget passes", "&quot;Budget&quot; passes"), story()))
    assert (
        quotes.social_headline == "\u201cBudget\u201d passes" and quoted.social_headline == '"Budget" passes'
    )
    assert content_hash(quotes) == content_hash(quoted)


# -- byline --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Von Anna Martel und Lea Wagner, dpa", ["Anna Martel", "Lea Wagner", "dpa"]),
        ("Jane Roe (jro), jane.roe@gazette.example", ["Jane Roe"]),
        ("BY JANE ROE | https://twitter.com/janeroe", ["JANE ROE"]),
        ("신현주 기자", ["신현주"]),
        ("Jane Roe, Mary Major and Richard Miles", ["Jane Roe", "Mary Major", "Richard Miles"]),
    ],
)
def test_byline_is_split_into_person_names(raw, names):
    assert split_names(raw) == names


def test_byline_drops_the_sites_own_name_and_finds_the_visible_byline():
    head = '<meta name="author" content="Gazette"><meta property="og:site_name" content="Gazette">'
    body = (
        '<article><h1>Council approves budget</h1><div class="byline">By <a rel="author">Jane Roe</a></div>'
    )
    body += "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article>"
    article = extract_article(page(head, body))
    assert article.byline == ["Jane Roe"] and article.sources["byline"] == "page"


def test_byline_names_the_newsroom_only_when_no_person_is_credited():
    head = ld(
        {"@type": "NewsArticle", "headline": "H", "author": {"@type": "Organization", "name": "Wire Service"}}
    )
    article = extract_article(page(head, story()))
    assert article.byline == ["Wire Service"] and article.sources["byline"] == "json-ld organization"


# -- dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2023-04-28T19:20:36+0200", "2023-04-28T19:20:36+02:00"),
        ("2024-05-03T15:47:42.389Z", "2024-05-03T15:47:42+00:00"),
        ("28.04.2023, 19:20 Uhr", "2023-04-28T19:20:00"),
        ("April 28, 2023", "2023-04-28"),
        ("17 May 2024 5:40pm BST", "2024-05-17T17:40:00+01:00"),
        ("2025年1月14日 01時28分", "2025-01-14T01:28:00"),
        ("1682700000", "2023-04-28T16:40:00+00:00"),
        ("3 hours ago", None),
        ("", None),
    ],
)
def test_dates_become_iso_8601(raw, iso):
    assert parse_date(raw) == iso


def test_date_found_in_the_page_when_metadata_has_none():
    body = '<article><h1>H</h1><time datetime="2024-02-01T08:00:00Z">1 Feb</time></article>'
    assert extract_article(page("", body)).published == "2024-02-01T08:00:00+00:00"


# -- body ----------------------------------------------------------------------


def test_body_skips_furniture_inside_and_around_the_article():
    ps = SENTENCES[:]
    inner = (
        f"<p>{ps[0]}</p><p>{ps[1]}</p><div class='ad-slot'><span>Advertisement</span></div>"
        f"<p><strong>READ MORE:</strong> <a href='/x'>Zoo welcomes newborn giraffe today</a></p>"
        f"<figure><img src='a.jpg'><figcaption>The council chamber on Tuesday.</figcaption></figure>"
        f"<p>{ps[2]}</p><div class='newsletter-signup'><p>Sign up for our newsletter</p></div>"
        f"<p>{ps[3]}</p><p>{ps[4]}</p>"
    )
    body = (
        "<nav><ul><li><a href='/'>Home</a></li></ul></nav>"
        f"<article><h1>Council approves budget</h1><div class='story'>{inner}</div></article>"
        "<aside class='recommended'><h2>Recommended</h2><ul><li><a href='/v'>Storm video</a></li></ul></aside>"
        "<footer>© Gazette</footer>"
    )
    assert extract_article(page("", body)).body == SENTENCES


def test_body_is_not_the_reader_comments_below_it():
    comments = "".join(
        f"<div class='msg'><p>{s} {s} Honestly, I could not disagree more with this, and neither could anyone.</p></div>"
        for s in SENTENCES
    )
    body = f"{story()}<section class='discussion'><h2>Your views</h2>{comments}</section>"
    assert extract_article(page("", body)).body == SENTENCES


COMMENTS = [
    "Honestly, I could not disagree more with this budget, and neither could anyone on my street, "
    "because the roads are still broken, the parks are closed and the schools are full.",
    "We were at the meeting on Tuesday, and nobody, not one person, asked about the pensions, "
    "the debt, the water bills or the bus routes that were cut last spring.",
    "Seven to two, again, and the same two, as always, while the rest of us pay, wait, complain "
    "and then vote for the very same people in November.",
    "My grandmother, who taught in those schools for forty years, would have said the same thing, "
    "loudly, at the podium, and then she would have run for office herself.",
    "The mayor, the council, the board, all of them, promised lower taxes, fewer fees and better "
    "services, and here we are, paying more, for less, again.",
]


def thread(heading: str = "", attributes: str = "", css: str = "Thread__a1b2c3") -> str:
    """A reader-comment thread with build-hash class names: nothing in them says "comment"."""
    entries = "".join(
        f'<div class="{css}-entry"><span class="{css}-user">reader_{k}</span>'
        f'<span class="{css}-when">{k + 2} minutes ago</span><p class="{css}-text">{text}</p></div>'
        for k, text in enumerate(COMMENTS)
    )
    return f'<section class="{css}"{attributes}>{heading}{entries}</section>'


def hashed_story(after: str = "", inside: str = "") -> str:
    ps = "".join(f"<p>{p}</p>" for p in SENTENCES)
    return (
        '<main class="Layout_main__a1b2c3"><div class="Article_header__a1b2c3"><h1>Council approves budget</h1>'
        f'</div><div class="Article_content__a1b2c3">{ps}{inside}</div>{after}</main>'
    )


@pytest.mark.parametrize("heading", ["<h2>412 Comments</h2>", "<h3>Comments (12)</h3>", "<h2>Reader comments</h2>",
                                     "<h2>Join the discussion</h2>", "<h2>12 Kommentare</h2>"])  # fmt: skip
def test_comment_thread_named_only_by_its_heading_is_not_body(heading):
    assert extract_article(page("", hashed_story(after=thread(f"<div>{heading}</div>")))).body == SENTENCES


@pytest.mark.parametrize(
    "attributes",
    [
        ' aria-label="Article Comments"',
        ' itemscope itemtype="https://schema.org/UserComments"',
        ' data-testid="comments-section"',
        ' data-component="Comments"',
    ],
)
def test_comment_thread_named_by_its_label_or_microdata_is_not_body(attributes):
    assert extract_article(page("", hashed_story(after=thread(attributes=attributes)))).body == SENTENCES


@pytest.mark.parametrize("where", ["after", "inside"])
def test_comment_thread_named_by_nothing_is_known_by_its_shape(where):
    """Items alike, each with someone's name and a time and the comment: beside the story or inside its container."""
    assert extract_article(page("", hashed_story(**{where: thread()}))).body == SENTENCES


def test_comment_class_words_drop_a_long_thread_but_not_a_story_that_allows_comments():
    ps = "".join(f"<p>{p}</p>" for p in SENTENCES)
    html = f'<h1>Council approves budget</h1><div class="story comments-enabled">{ps}</div>{thread(css="comments") * 3}'
    tree = parse_html(page("", html))
    body = tree.find("body")
    remove_boilerplate(body)
    text = body.text_content()
    assert all(s in text for s in SENTENCES) and not any(c in text for c in COMMENTS)


def test_live_blog_updates_that_look_like_comments_stay_the_story():
    updates = "".join(
        f'<div class="Feed__x9-entry"><span>Jane Roe</span><span>{k + 2} minutes ago</span><p>{s}</p></div>'
        for k, s in enumerate(SENTENCES)
    )
    head = ld({"@type": "LiveBlogPosting", "headline": "Council budget vote: live"})
    body = (
        '<main><h1>Council budget vote: live</h1><div class="Live__x9"><p>'
        "Follow the council's budget vote as it happens, with reporting from the chamber.</p>"
        f'<section class="Feed__x9">{updates}</section></div></main>'
    )
    article = extract_article(page(head, body))
    assert article.is_live_blog and [p for p in article.body if p in SENTENCES] == SENTENCES


def test_story_sections_headed_like_reactions_and_timelines_stay_the_story():
    timeline = "".join(
        f"<div class='step'><time>1{k}:15</time><p>{s}</p></div>" for k, s in enumerate(SENTENCES)
    )
    body = (
        "<article><h1>Council approves budget</h1><div class='story'>"
        f"<section><h2>Reactions</h2><p>{SENTENCES[0]}</p><p>{SENTENCES[1]}</p></section>"
        f"<section><h2>Public comments</h2><p>{SENTENCES[2]}</p></section>"
        f"<section>{timeline}</section></div></article>"
    )
    sections = ["Reactions", *SENTENCES[:2], "Public comments", SENTENCES[2]]
    assert extract_article(page("", body)).body == [*sections, *SENTENCES]


def test_body_split_into_chunks_between_ads_is_read_whole():
    chunks = (
        "<div class='ad'>Ad</div>".join(
            f"<div class='Body_chunk__x1'><p>{a}</p><p>{b}</p></div>"
            for a, b in zip(SENTENCES[::2], SENTENCES[1::2], strict=False)
        )
        + f"<div class='Body_chunk__x1'><p>{SENTENCES[4]}</p></div>"
    )
    body = f"<main><h1>Council approves budget</h1><div class='grid'>{chunks}</div></main>"
    assert extract_article(page("", body)).body == SENTENCES


def test_body_of_the_next_story_on_an_infinite_scroll_page_is_left_out():
    other = [s.replace("council", "county board") for s in SENTENCES] * 2
    body = (
        story() + f"<article><h1>Another story entirely</h1>{''.join(f'<p>{s}</p>' for s in other)}</article>"
    )
    head = ld({"@type": "NewsArticle", "headline": "Council approves budget"})
    assert extract_article(page(head, body)).body == SENTENCES


def test_body_includes_the_standfirst_and_drops_datelines_and_byline_repeats():
    body = (
        "<article><h1>Council approves budget</h1>"
        "<p class='dek'>A divided council backed the mayor's plan after a six-hour meeting on Tuesday night.</p>"
        "<div class='story'><p>By Jane Roe</p><p>Updated: 03.05.2024, 10:15</p>"
        + "".join(f"<p>{s}</p>" for s in SENTENCES)
        + "</div></article>"
    )
    head = '<meta name="author" content="Jane Roe">'
    article = extract_article(page(head, body))
    assert article.body[0].startswith("A divided council") and article.body[1:] == SENTENCES


def test_locate_body_reports_every_block_it_dropped_with_its_reason():
    tree = parse_html(page("", story([*SENTENCES, "Advertisement", "Subscribe to continue reading."])))
    body = tree.find("body")
    remove_boilerplate(body)
    located = locate_body(body, "Council approves budget")
    # A label goes by its vocabulary; a line that reads as a sentence stays, whatever it says.
    assert located.paragraphs == [*SENTENCES, "Subscribe to continue reading."]
    assert [(r.text, r.reason) for r in located.removed] == [("Advertisement", "label")]


# -- JSON-LD articleBody against the visible body -------------------------------


def test_stale_articlebody_loses_to_the_visible_text_with_a_warning():
    head = ld(
        {"@type": "NewsArticle", "headline": "Council approves budget", "articleBody": "Old text. " * 40}
    )
    article = extract_article(page(head, story()))
    assert article.body == SENTENCES and article.extractor == "page"
    assert any("articleBody disagrees" in w for w in article.warnings)


def test_articlebody_is_used_when_the_page_shows_no_body():
    text = "\n\n".join(SENTENCES)
    head = ld({"@type": "NewsArticle", "headline": "Council approves budget", "articleBody": text})
    article = extract_article(page(head, '<div id="root"></div>'))
    assert article.body == SENTENCES and article.extractor == "json-ld" and article.warnings


# -- text ----------------------------------------------------------------------


def test_decoding_prefers_valid_utf8_over_a_wrong_label_and_honours_real_labels():
    utf8 = "<meta charset='gb2312'><p>Grüße 你好</p>".encode()
    assert "Grüße 你好" in decode_page(utf8)
    latin = "<meta charset='iso-8859-1'><p>Grüße</p>".encode("latin-1")
    assert "Grüße" in decode_page(latin)
    assert "Grüße" in decode_page("\ufeff<p>Grüße</p>".encode("utf-8-sig"))


def test_mojibake_and_double_escaped_entities_are_repaired():
    assert repair_mojibake("StÃ¤rke â€“ GrÃ¼ÃŸe") == "Stärke – Grüße"
    assert clean_text("Rock &amp;amp; roll") == "Rock & roll"
    assert repair_mojibake("日本語") == "日本語"


def test_words_are_counted_in_scripts_without_spaces():
    assert count_words("two words") == 2 and count_words("南海トラフ") == 5


def test_xhtml_with_an_encoding_declaration_is_read():
    xhtml = '<?xml version="1.0" encoding="UTF-8"?>\n' + page("", story()).replace(
        "<html>", '<html xmlns="http://www.w3.org/1999/xhtml">'
    )
    for form in (xhtml, xhtml.encode()):
        assert extract_article(form).body == SENTENCES
