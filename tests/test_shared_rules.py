"""Each extraction rule has one home, and every module that uses it agrees with the others."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extraction.article import Article
from crawler.extraction.body import _is_byline
from crawler.extraction.boilerplate import remove_boilerplate
from crawler.extraction.byline import is_person_name, names_from_sources, split_names
from crawler.extraction.comments import comment_sections, is_authored_line
from crawler.extraction.comparison import comparison_key
from crawler.extraction.extract import extract_article
from crawler.extraction.quality import page_problem
from crawler.extraction.stamps import read_stamp
from crawler.extraction.vocabulary.scripts import count_words, is_mostly_east_asian
from crawler.extraction.vocabulary.sites import is_domain, names_a_site
from monitor.diffing.reflow import _tokens

STORY = "".join(
    f"<p>The council met on Tuesday evening to debate the budget for the coming year, paragraph {n}.</p>"
    for n in range(6)
)


def _page(head: str = "", before_story: str = "", after_story: str = "") -> str:
    return (
        f"<html><head><title>Council approves budget</title>{head}</head><body><article>"
        f"<h1>Council approves budget</h1>{before_story}{STORY}{after_story}</article></body></html>"
    )


# Relative times: what the comparison form drops as volatile, a dateline reads as a relative
# stamp, and a comment header reads as the moment a comment was posted.
@pytest.mark.parametrize(
    "when",
    ["5 minutes ago", "an hour ago", "vor 3 Stunden", "vor einer Stunde", "il y a 2 heures", "hace 3 horas",
     "2 ore fa", "3 uur geleden", "for 4 timer siden", "just now", "gerade eben"],
)  # fmt: skip
def test_a_recent_relative_time_is_recognised_by_every_rule_that_reads_one(when):
    assert comparison_key(f"Storm update {when}") == "Storm update"
    stamp = read_stamp(f"Updated {when}")
    assert stamp is not None and stamp.kind == "relative time"
    assert is_authored_line(f"Li Chen {when}")


@pytest.mark.parametrize("when", ["3 years ago", "2 yrs ago", "il y a 3 mois", "hace 2 años", "vor 2 Jahren"])
def test_a_longer_ago_is_a_stamp_and_a_comment_time_but_stays_in_the_story(when):
    # A story's "three years ago" is its words; it changes once a year, not on every fetch.
    assert when in comparison_key(f"The bridge was closed {when}")
    stamp = read_stamp(f"Updated {when}")
    assert stamp is not None and stamp.kind == "relative time"
    assert is_authored_line(f"Li Chen {when}")


def test_a_day_with_an_ordinal_is_read_by_the_stamp_the_comparison_form_and_comments():
    assert read_stamp("Updated March 3rd, 2024").modified == "2024-03-03"
    assert comparison_key("Storm damage. Updated March 3rd, 2024") == "Storm damage."
    assert is_authored_line("Jane Doe March 3rd, 2024")


@pytest.mark.parametrize(
    "words", ["Veröffentlicht am 12.03.2024", "Edited 12.03.2024", "Publié le 12.03.2024"]
)
def test_the_words_that_start_a_dateline_are_the_same_for_stamps_and_the_comparison_form(words):
    assert read_stamp(words) is not None and read_stamp(words).kind == "dateline"
    assert comparison_key(f"Storm damage. {words}") == "Storm damage."


# Site names: any top-level domain, not a hand-picked list.
@pytest.mark.parametrize(
    "domain", ["cbc.ca", "news.com.au", "abc.net.au", "rnz.co.nz", "ndr.de", "bbc.co.uk"]
)
def test_a_domain_under_any_top_level_domain_names_a_site(domain):
    assert is_domain(domain)
    assert names_a_site(f"{domain}, Toronto")
    assert split_names(f"By Jane Doe, {domain}") == ["Jane Doe"]
    assert names_from_sources([domain], [], organizations=True) == [domain]


@pytest.mark.parametrize("name", ["Dr.Johnson", "Jane Doe", "J. R. Smith", "St. Louis Bureau"])
def test_a_name_typed_with_a_dot_does_not_name_a_site(name):
    assert not is_domain(name)
    assert not names_a_site(name)


@pytest.mark.parametrize("site", ["cbc.ca", "news.com.au"])
def test_an_author_field_naming_the_site_under_a_country_domain_gives_way_to_the_visible_byline(site):
    page = _page(
        head=f'<meta name="author" content="{site}, Sydney">',
        before_story='<p class="byline">By Jane Doe</p>',
    )
    assert extract_article(page).byline == ["Jane Doe"]


# Byline prefixes: the same words open a byline for the byline parser and for the body's
# "the byline again" check.
@pytest.mark.parametrize("line", ["By:Jane Doe", "Written by Jane Doe", "Autorin: Jane Doe", "Von Jane Doe"])
def test_a_byline_prefix_is_read_alike_by_the_byline_and_the_body(line):
    assert split_names(line) == ["Jane Doe"]
    assert _is_byline(line, ["Jane Doe"])


def test_a_name_starting_like_a_prefix_keeps_it():
    assert split_names("Byron Smith") == ["Byron Smith"]
    assert split_names("Von-der-Leyen") == ["Von-der-Leyen"]


# Scripts: one notion of Chinese, Japanese and Korean text.
def test_east_asian_text_is_counted_tokenised_and_named_alike():
    assert count_words("南海トラフ") == 5 and count_words("two words") == 2
    assert _tokens("南海トラフ地震") == list("南海トラフ地震")
    assert is_mostly_east_asian("서울시가 새 예산안을 발표했다") and not is_mostly_east_asian(
        "Council approves budget"
    )
    assert is_person_name("김민수") and is_person_name("山田太郎")
    assert count_words("ＡＢＣ") == 3  # full-width forms are the same script as the text around them


# Consent walls: the text the quality check reads and the class words the cleaner drops.
def test_a_consent_wall_is_known_by_its_words_and_by_its_class():
    article = Article(headline="Before you continue", body=["We use cookies to improve your experience."])
    assert page_problem(article) == "consent wall instead of the article"
    tree = lxml_html.fromstring(_page(after_story='<div class="didomi-popup"><p>Long legal text.</p></div>'))
    remove_boilerplate(tree)
    assert "Long legal text" not in tree.text_content()


# Comment words: a thread's title and a counter use the same words.
@pytest.mark.parametrize("word", ["Comments", "Kommentare", "Komentarze", "Kommentit", "Comentários"])
def test_a_comment_word_titles_a_thread_and_makes_a_counter(word):
    assert comparison_key(f"12 {word}") == ""
    thread = f"<div><h3>12 {word}</h3><ul><li><p>Great piece.</p></li><li><p>Agreed.</p></li></ul></div>"
    tree = lxml_html.fromstring(_page(after_story=thread))
    assert [section.tag for section in comment_sections(tree)] == ["div"]


@pytest.mark.parametrize(
    "line", ["5 min read", "Lesezeit: 4 Minuten", "Lesedauer: 4 Minuten", "Reading time: 3 min"]
)
def test_a_reading_time_is_a_stamp_and_no_part_of_the_comparison_form(line):
    assert read_stamp(line).kind == "reading time"
    assert comparison_key(line) == ""
