"""The comparison form: what two versions must differ in for a reader to call it an edit.

Stored text keeps what the page said; comparisons use this canonical form, which
folds typographic variants and drops volatile text that sits inside articles.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from typing import TYPE_CHECKING

from crawler.extraction.vocabulary.comment_words import COUNTED_WORDS
from crawler.extraction.vocabulary.times import READING_TIMES, RECENT_TIMES, UPDATED_STAMP

# For annotations only: `editwatch diff` compares stored text without the extractor's modules.
if TYPE_CHECKING:
    from crawler.extraction.article import Article

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u200e": None,
        "\u200f": None,
        "\u2061": None,
        "\u2062": None,
        "\u2063": None,
        "\u2064": None,
        "\u034f": None,
        "\u2039": "'",
        "\u203a": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2012": "-",
        "\u2015": "-",
    }
)

_SPACE = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")

# Text that changes on its own, without anyone editing the article: relative times,
# "updated at" stamps, counters and reading times. Removed before comparing. Each pattern comes
# with the words it cannot match without, checked first with plain substring tests (fast).
_VOLATILE = [
    (tuple(words), re.compile(pattern, re.IGNORECASE)) for words, pattern in (UPDATED_STAMP, *RECENT_TIMES)
]
# Counters and reading times are removed only from lines they make up (widgets), never from
# prose: "12 comments were deleted" in a sentence is news, "12 comments" under the headline is not.
_WIDGET_LINE = 80
_VOLATILE_WIDGETS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # Counters: "1,234 views", "12 comments", "Comments (12)", "5K shares", "12 Kommentare"
        rf"\b\d[\d,. ]*\s*[kKmM]?\+?\s+(?:views?|reads?|{COUNTED_WORDS}|shares?|likes?|reactions?|replies|aufrufe)\b",
        rf"\b(?:views?|{COUNTED_WORDS}|shares?|likes?)\s*[:(]\s*\d[\d,.]*\s*[kKmM]?\s*\)?",
        *READING_TIMES,
        # Live tickers: "3 new posts", "12 new updates"
        r"\b\d+\s+new\s+(?:posts?|updates?|entries)\b",
    )
]


def canonical_text(text: str) -> str:
    """Fold typography and whitespace: the form in which two strings are compared."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def without_volatile(text: str) -> str:
    """Remove relative timestamps and counters that change without an edit."""
    lowered = f" {text.lower()} "
    for words, pattern in _VOLATILE:
        if any(word in lowered for word in words):
            text = pattern.sub("", text)
    if len(text) <= _WIDGET_LINE:
        stripped = text
        for pattern in _VOLATILE_WIDGETS:
            stripped = pattern.sub("", stripped)
        if stripped != text and len(_WORDS.findall(stripped)) <= 3:  # the counters were the line
            text = stripped if _WORDS.search(stripped) else ""
    return _SPACE.sub(" ", text).strip()


# An entry holds a paragraph twice (about 1.5 KB): 65,536 of them grew a long-running daemon
# by up to 90 MB as edits brought new paragraphs; a check reuses keys within itself and its
# article's last version, which 8,192 cover.
@functools.lru_cache(maxsize=8192)
def comparison_key(paragraph: str) -> str:
    """The canonical form of one paragraph (cached: versions of one article share most paragraphs)."""
    return without_volatile(canonical_text(paragraph))


# The headlines an Article carries besides its chosen ``headline``, in article order: the page's
# main visible <h1>, JSON-LD ``headline``, og:title else twitter:title, and <title>. Defined here,
# with the comparison form they belong to, so that this light module imports no other.
HEADLINE_VARIANTS = ("page_headline", "search_headline", "social_headline", "title")


def variant_key(value: str | None) -> str:
    """The comparison form of a headline variant: typography and whitespace folded, nothing removed.

    Unlike the body, a variant loses no "volatile" text: a ``<title>`` is the site's to
    word, and only text seen changing on every article of a site could be called chrome.
    """
    return canonical_text(value or "")


def comparison_form(article: Article) -> dict:
    """The fields that define an article's content, canonicalized.

    ``modified`` is left out: newsrooms bump it without touching the text, and a
    date change alone is not an edit a reader would notice. The headline variants
    (``page_headline``, ``search_headline``, ``social_headline``, ``title``) fold
    typography and whitespace only: a ``<title>``'s site suffix that changes is an
    edit of that field like any other (see :func:`variant_key`).
    """
    body = [key for key in (comparison_key(p) for p in article.body) if key]
    return {
        "headline": comparison_key(article.headline or ""),
        **{name: variant_key(getattr(article, name, None)) for name in HEADLINE_VARIANTS},
        "byline": sorted(canonical_text(name).casefold() for name in article.byline),
        "published": (article.published or "")[:10],
        "body": body,
    }


def content_hash(article: Article) -> str:
    """A stable hash of the comparison form: equal hashes mean no edit."""
    form = json.dumps(comparison_form(article), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(form.encode("utf-8")).hexdigest()
