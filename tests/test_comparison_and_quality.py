"""The comparison form (what counts as an edit), per-site rules, and the page quality guard, as pure functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config
from crawler.extraction import Article, SiteRules, content_hash, extract_article
from crawler.extraction.comparison import comparison_key
from crawler.extraction.quality import page_problem
from crawler.extraction.rules import RuleError, compile_selector
from monitor.demo.templates import typeset

PARAGRAPH = 'The mayor\'s "final" offer - rejected on Tuesday - was worth $3.2 million to the co-operative.'


def article(body: list[str], headline: str = "Council approves budget", **kw) -> Article:
    return Article(headline=headline, byline=["Jane Roe"], published="2024-05-03", body=body, **kw)


# -- comparison form -------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "The mayor’s “final” offer – rejected on Tuesday – was worth $3.2 million to the co-operative.",
        "The mayor's \u201cfinal\u201d offer \u2014 rejected on\u00a0Tuesday \u2014 was worth $3.2\u202fmillion to the co-operative.",
        'The\u200b mayor\'s "final" offer - rejected on Tuesday - was worth $3.2 million to the co-op\u00aderative.',
        '  The mayor\'s   "final" offer - rejected on Tuesday -\nwas worth $3.2 million to the co-operative. ',
        typeset(PARAGRAPH),
    ],
)
def test_typographic_variants_are_not_edits(variant):
    assert content_hash(article([variant])) == content_hash(article([PARAGRAPH]))


def test_a_changed_word_is_an_edit():
    assert content_hash(article([PARAGRAPH.replace("$3.2", "$3.4")])) != content_hash(article([PARAGRAPH]))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Updated 5 minutes ago", "Updated 2 hours ago"),
        ("Last updated: 14:32 BST", "Last updated: 16:05 BST"),
        ("12,345 views · 12 comments", "12,982 views · 15 comments"),
        ("Aktualisiert am 03.05.2024, 10:15 Uhr", "Aktualisiert am 03.05.2024, 11:40 Uhr"),
        ("vor 3 Minuten", "vor 1 Stunde"),
        ("4 min read", "5 min read"),
        ("Listen to this article (3:12)", "Listen to this article (3:40)"),
    ],
)
def test_volatile_lines_inside_the_article_are_not_edits(before, after):
    assert content_hash(article([before, PARAGRAPH])) == content_hash(article([after, PARAGRAPH]))


def test_counts_in_prose_are_news_not_noise():
    before, after = "Officials said 12 comments were deleted.", "Officials said 15 comments were deleted."
    assert comparison_key(before) != comparison_key(after)


def test_modified_date_alone_is_not_an_edit_but_published_day_is():
    base = article([PARAGRAPH])
    assert content_hash(base) == content_hash(article([PARAGRAPH], modified="2024-05-04T10:00:00"))
    assert content_hash(base) != content_hash(Article(headline=base.headline, byline=base.byline,
                                                      published="2024-05-02", body=base.body))  # fmt: skip


# -- quality guard ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "body", "reason"),
    [
        (
            "Before you continue",
            ["We use cookies and data to deliver our services. Accept all or reject all."],
            "consent",
        ),
        (
            "Budget",
            ["The council met.", "Subscribe to continue reading. Already a subscriber? Log in."],
            "paywall",
        ),
        ("Page not found", ["Sorry, we could not find the page you were looking for."], "error page"),
        ("Just a moment...", ["Checking your browser before accessing the site."], "bot check"),
    ],
)
def test_walls_and_error_pages_are_recognized(headline, body, reason):
    assert reason in page_problem(article(body, headline=headline))


def test_real_articles_that_mention_cookies_or_errors_pass():
    long = [PARAGRAPH] * 30 + ["We use cookies, the bakery owner joked, accept all of them."]
    assert page_problem(article(long)) is None
    assert page_problem(article([PARAGRAPH] * 3, headline="Pilot error blamed for crash")) is None


# -- per-site rules -------------------------------------------------------------------

RULED_PAGE = """<html><head><title>Site</title><link rel="canonical" href="https://www.gazette.example/a/1"></head>
<body><div class="top"><h2 class="title">The real headline</h2><span class="who">By Jane Roe and John Doe</span>
<span class="when" data-x="1">2024-05-03T10:00:00Z</span></div><h1>Newsletter of the week</h1>
<div class="txt"><p>First paragraph of the story.</p><div class="promo">Buy now</div><p>Second one.</p></div>
</body></html>"""


def test_site_rules_win_for_the_fields_they_find_and_say_so():
    rules = SiteRules.from_config(
        {"sites": {"gazette.example": {"headline": "h2.title", "byline": "//span[@class='who']",
                                       "published": "span.when", "body": "div.txt", "drop": [".promo"]}}}
    )  # fmt: skip
    found = extract_article(RULED_PAGE, rules=rules)  # the rule is chosen by the page's canonical URL
    assert found.headline == "The real headline" and found.byline == ["Jane Roe", "John Doe"]
    assert found.published == "2024-05-03T10:00:00+00:00"
    assert found.body == ["First paragraph of the story.", "Second one."] and found.extractor == "rule"
    assert found.sources["headline"] == 'rule sites."gazette.example": h2.title'


def test_a_rule_that_matches_nothing_falls_back_with_a_warning():
    rules = SiteRules.from_config({"sites": {"gazette.example": {"headline": "h3.gone"}}})
    found = extract_article(RULED_PAGE, "https://gazette.example/a/1", rules=rules)
    assert found.headline and "matched nothing" in found.warnings[0]


def test_url_patterns_come_before_hosts():
    rules = SiteRules.from_config(
        {"sites": {"gazette.example": {"body": "div.txt"}, "news.gazette.example": {"body": "main"}},
         "rules": [{"match": "https://news.gazette.example/live/*", "body": "ol"}]}
    )  # fmt: skip
    assert rules.for_url("https://news.gazette.example/live/42").name == "rules[1]"
    assert rules.for_url("https://news.gazette.example/a").name == 'sites."news.gazette.example"'
    assert rules.for_url("https://www.gazette.example/a").name == 'sites."gazette.example"'
    assert rules.for_url("https://elsewhere.example/a") is None


@pytest.mark.parametrize("bad", ["div[", "//div[@", ""])
def test_bad_selectors_are_refused(bad):
    with pytest.raises(ValueError):
        compile_selector(bad)


@pytest.mark.parametrize(
    ("toml", "message", "line"),
    [
        (
            '[fetch]\ndelay_seconds = 1\n\n[sites."gazette.example"]\nheadline = "h1"\nbody = "div["\n',
            "body",
            6,
        ),
        ('[sites."gazette.example"]\nheadline = "h1"\ncolour = "red"\n', "unknown key 'colour'", 3),
        ('[[rules]]\nbody = "main"\n', "needs match", 1),
        ('[sites."gazette.example"]\ndrop = [".ad", 3]\n', "drop", 2),
    ],
)
def test_config_errors_name_the_line(tmp_path: Path, toml, message, line):
    path = tmp_path / "editwatch.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    assert message in str(error.value) and f"(line {line})" in str(error.value)


def test_rule_errors_carry_where_they_are():
    with pytest.raises(RuleError) as error:
        SiteRules.from_config({"rules": [{"match": "https://a.example/*", "headline": 5}]})
    assert (error.value.table, error.value.key) == ("rules[1]", "headline")
