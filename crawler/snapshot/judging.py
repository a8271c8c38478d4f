"""Whether an extracted page can be trusted as the article: the page alone, then against the latest version.

Pure functions of the extracted article (and the latest stored version): a page that
is unreadable, truncated, bodiless or a known wall is not a version, nor is the
latest version read in the wrong character set.
"""

from __future__ import annotations

import re

from crawler.extraction.charsets import find_lost_characters, find_misreading
from crawler.extraction.chrome import without_chrome
from crawler.extraction.comparison import HEADLINE_VARIANTS
from crawler.extraction.quality import page_problem
from crawler.items import PageFetch
from crawler.snapshot.collapse import collapse_problem
from storage import Version


def page_quality_problem(article) -> str | None:
    """Why an extracted article should not be trusted as a version, judged from the page alone."""
    if article is None:
        return "no article found on the page"
    # Unreadable first: binary data also lacks a proper end, and is not a truncated page.
    if article.body and not _readable(" ".join(article.body)):
        return "the page is not readable text (binary data or a wrong character set?)"
    if not article.complete_page:
        return "the page ends abruptly, mid-text (truncated download?)"
    if not article.body:
        return "no article body found on the page"
    return page_problem(article)


def quality_problem(article, latest: Version | None) -> str | None:
    """Why an extracted article should not be trusted as a version, if it should not.

    The page alone, then the body's size against the latest version. A page that
    is still the same article is a version however much of its text changed: a
    new headline over a new body is a rewrite, not another page.
    """
    return page_quality_problem(article) or collapse_problem(article, latest)


def charset_problem(article, latest: Version) -> str | None:
    """Why a changed article is the latest version read in the wrong character set, if it is.

    Either the whole text is misread (one charset read as another), or characters were lost on
    the way ("?" or U+FFFD where the latest version had typographic quotes or accented letters).
    """
    before, after = latest.article_fields(), article_fields(article)
    misreading = find_misreading(before, after, read_as=article.encoding)
    if misreading is not None:
        return f"wrong character set declared: the text is version {latest.number}'s, {misreading}"
    lost = find_lost_characters(before, after)
    if lost is not None:
        return f"character set fault: the text is version {latest.number}'s with {lost}"
    return None


def stored_as_extracted_now(latest: Version, fetch: PageFetch) -> dict:
    """The latest version's fields for comparing, less what the site has since shown to be chrome.

    A block that became known chrome (or a dateline read as a date) after the version
    was stored is no paragraph removed by an editor.
    """
    fields = latest.article_fields()
    fields["body"] = without_chrome(fields["body"], fetch.chrome, fields["byline"] or [])
    return fields


def article_fields(article) -> dict:
    """An extracted article's fields as a version stores them."""
    return {
        "headline": article.headline,
        "byline": article.byline,
        "published": article.published,
        "modified": article.modified,
        "body": article.body,
        # "" when the page has none: stored None means "not read" (a version from before).
        **{name: getattr(article, name, None) or "" for name in HEADLINE_VARIANTS},
    }


# What counts as language in a sample: letters and spaces; what betrays binary or a wrong charset.
_ASCII_WORDLIKE = bytes(c for c in range(128) if chr(c).isalpha() or chr(c).isspace())
_ASCII_BROKEN = bytes([*range(32), 0x7F])
_NOT_WORDLIKE = re.compile(r"[^\w\s]|[\d_]")
_BROKEN = re.compile("[\x00-\x1f\x7f-\x9f\ufffd]")


def _readable(text: str) -> bool:
    """Whether text reads as language rather than decoded binary or a mis-declared charset."""
    if len(text) < 40:
        return True
    sample = text[:20_000]
    # Counted in C (bytes.translate, regex), not char by char: this runs on every changed check.
    if sample.isascii():
        raw = sample.encode("ascii")
        wordlike = len(raw) - len(raw.translate(None, _ASCII_WORDLIKE))
        broken = len(raw) - len(raw.translate(None, _ASCII_BROKEN))
    else:
        wordlike = len(sample) - len(_NOT_WORDLIKE.findall(sample))
        broken = len(_BROKEN.findall(sample))
    return wordlike / len(sample) >= 0.6 and broken / len(sample) < 0.01
