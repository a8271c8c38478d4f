"""A page read in the wrong character set is not an edit; a corrected letter still is."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from crawler.extraction.charsets import find_lost_characters, find_misreading
from crawler.extraction.text import clean_text, decode_page_as

BEFORE = {
    "headline": "Zürich café owner wins appeal",
    "byline": ["Tomás Alvarez"],
    "published": "2021-03-18T09:14:00+00:00",
    "modified": None,
    "body": [
        "The café in Zürich may stay open, a court in São Paulo ruled on Thursday.",
        "Its owner, señor Müller, called the decision “a relief” — and reopened at noon.",
        "Nothing else changed.",
    ],
}


def misread(article: dict, written: str, read: str) -> dict:
    """The article as extraction reads it from a page in ``written`` declared as ``read``."""

    def text(value: str) -> str:
        return clean_text(value.encode(written).decode(read, errors="replace"))

    return {**article, "headline": text(article["headline"]), "body": [text(p) for p in article["body"]]}


RUSSIAN = {**BEFORE, "headline": "Лавров открыл переговоры в Москве", "byline": ["Владимир Исаченков"],
           "body": ["Министр сказал, что Москва хочет помочь.", "Следующий раунд пройдёт в Турции."]}  # fmt: skip
JAPANESE = {**BEFORE, "headline": "東京で会議が開かれた", "byline": [],
            "body": ["外相は協議を歓迎した。", "次の会合はイスタンブールで開かれる。"]}  # fmt: skip


@pytest.mark.parametrize(
    "article, written, read, shown",
    [
        (BEFORE, "cp1252", "cp1251", "windows-1252, read as windows-1251"),
        (BEFORE, "cp1252", "utf-8", "windows-1252, read as UTF-8"),  # replacement characters
        (BEFORE, "utf-8", "cp1252", "UTF-8, read as windows-1252"),  # a server that encodes twice
        (RUSSIAN, "cp1251", "koi8-r", "windows-1251, read as KOI8-R"),
        (JAPANESE, "shift_jis", "euc_jp", "Shift_JIS, read as EUC-JP"),
    ],
)
def test_a_misread_article_is_recognised(article, written, read, shown):
    after = misread(article, written, read)
    assert after != article
    found = find_misreading(article, after, read_as=read)
    assert found is not None and shown in str(found)


def test_a_corrected_letter_is_an_edit_even_where_a_charset_could_explain_it():
    # è → č is what windows-1252 read as windows-1250 does; on a page read as UTF-8 it is an editor's fix.
    before = {**BEFORE, "body": ["Goran Ivanèevic said the talks would resume.", "Nothing else changed."]}
    after = {**before, "body": ["Goran Ivančevic said the talks would resume.", "Nothing else changed."]}
    assert find_misreading(before, after, read_as="utf-8") is None
    assert find_misreading(before, after, read_as="windows-1250") is not None


def test_real_edits_are_not_misreadings():
    edited = {**BEFORE, "body": [*BEFORE["body"][:2], "Something else changed."]}
    assert find_misreading(BEFORE, edited, read_as="utf-8") is None
    # A misreading together with an edit is an edit: both can only be told apart together.
    both = misread(edited, "cp1252", "cp1251")
    assert find_misreading(BEFORE, both, read_as="cp1251") is None
    moved = {**BEFORE, "published": "2021-03-19T09:14:00+00:00"}
    assert find_misreading(BEFORE, misread(moved, "cp1252", "cp1251"), read_as="cp1251") is None
    assert find_misreading(BEFORE, BEFORE, read_as="utf-8") is None


def test_texts_that_survive_any_charset_do_not_hide_a_misreading():
    # JSON-LD escapes ("\\u00fc") and HTML entities read the same in every charset: a headline
    # taken from them stays right while the visible body is misread.
    after = {**misread(BEFORE, "cp1252", "cp1251"), "headline": BEFORE["headline"]}
    assert find_misreading(BEFORE, after, read_as="cp1251") is not None


def test_the_decoder_names_the_codec_it_used():
    page = "<p>café</p>"
    assert decode_page_as(page.encode("utf-8"), "iso-8859-1") == (page, "utf-8")  # valid UTF-8 wins
    assert decode_page_as(page.encode("cp1252"), "windows-1251")[1] == "cp1251"
    assert decode_page_as(page.encode("cp1252"), "latin-1")[1] == "cp1252"
    assert decode_page_as(page.encode("cp1252"), None)[1] == "cp1252"
    html = f"<html><body><h1>Title</h1>{page}</body></html>"
    assert (
        extract_article(html.encode("cp1252"), content_type="text/html; charset=koi8-r").encoding == "koi8-r"
    )
    assert extract_article(html).encoding is None


def test_bytes_that_are_not_utf8_are_read_as_what_they_are_whatever_the_label():
    page = "<p>José’s café</p>"
    # A CMS writing Latin-1 under charset=utf-8: letters read, never U+FFFD.
    assert decode_page_as(page.encode("latin-1", errors="replace"), "utf-8") == (
        "<p>José?s café</p>",
        "cp1252",
    )
    assert decode_page_as(page.encode("cp1252"), "utf-8") == (page, "cp1252")
    # The <meta> label is believed when the header's UTF-8 is wrong.
    russian = '<meta charset="windows-1251"><p>Привет</p>'
    assert decode_page_as(russian.encode("cp1251"), "utf-8") == (russian, "cp1251")
    # A UTF-8 template with a stray Latin-1 paragraph: each part read as what it is.
    mixed = "<p>— Zoë</p>".encode() + "<p>café</p>".encode("latin-1")
    assert decode_page_as(mixed, "utf-8") == ("<p>— Zoë</p><p>café</p>", "utf-8")


def test_characters_lost_to_a_small_charset_are_recognised():
    before = {**BEFORE, "body": ["He said “no” — twice, in José’s café.", "Nothing else changed."]}
    lossy = {**before, "body": ["He said ?no? ? twice, in José?s café.", "Nothing else changed."]}
    found = find_lost_characters(before, lossy)
    assert found is not None and "4 characters lost" in str(found) and "shown as ?" in str(found)
    replaced = {**before, "headline": "Z\ufffd\ufffdrich caf\ufffd\ufffd owner wins appeal"}
    assert find_lost_characters(before, replaced) is not None
    doubled = {**before, "headline": "ZÃ¼rich cafÃ© owner wins appeal"}
    assert find_lost_characters(before, doubled) is not None


def test_an_edit_is_never_taken_for_lost_characters():
    before = {**BEFORE, "body": ["He said “no” — twice.", "Nothing else changed."]}
    assert find_lost_characters(before, before) is None
    # A "?" where an ASCII character stood is an editor's, and so is any other word.
    asked = {**before, "body": ["He said “no” — twice?", "Nothing else changed."]}
    assert find_lost_characters(before, asked) is None
    both = {**before, "body": ["He said ?no? ? three times.", "Nothing else changed."]}
    assert find_lost_characters(before, both) is None
    # The reverse, a "?" page followed by the right characters, is no loss.
    lossy = {**before, "body": ["He said ?no? ? twice.", "Nothing else changed."]}
    assert find_lost_characters(lossy, before) is None
    assert find_lost_characters(before, {**lossy, "published": "2021-03-19T09:14:00+00:00"}) is None


def test_relative_times_and_a_bumped_modified_date_do_not_hide_lost_characters():
    before = {**BEFORE, "body": ["Updated 3 minutes ago", "RIVERTON — Police are warning residents."]}
    lossy = {
        **before,
        "modified": "2021-03-18T10:00:00+00:00",
        "body": ["Updated 5 minutes ago", "RIVERTON ? Police are warning residents."],
    }
    assert find_lost_characters(before, lossy) is not None
