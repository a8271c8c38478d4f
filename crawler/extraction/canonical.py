"""The comparison form: what two versions must differ in for a reader to call it an edit.

Stored text keeps what the page said; comparisons use this canonical form, which
folds typographic variants and drops volatile text that sits inside articles.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

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
    }
)

_SPACE = re.compile(r"\s+")

# Text that changes on its own, without anyone editing the article.
_VOLATILE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:updated|posted|published|last updated|modified)\s*:?\s*"
        r"(?:\d+|an?|one)\s*(?:sec|second|min|minute|hr|hour|day|week|month)s?\s+ago\b",
        r"\b(?:\d+|an?|one)\s*(?:sec|second|min|minute|hr|hour|day|week)s?\s+ago\b",
        r"\bjust now\b",
        r"\b\d[\d,.]*\s*[kKmM]?\s+(?:views?|reads?|comments?|shares?|likes?)\b",
    )
]


def canonical_text(text: str) -> str:
    """Fold typography and whitespace: the form in which two strings are compared."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def without_volatile(text: str) -> str:
    """Remove relative timestamps and counters that change without an edit."""
    for pattern in _VOLATILE:
        text = pattern.sub("", text)
    return _SPACE.sub(" ", text).strip()


def comparison_key(paragraph: str) -> str:
    """The canonical form of one paragraph."""
    return without_volatile(canonical_text(paragraph))


def comparison_form(article: Article) -> dict:
    """The fields that define an article's content, canonicalized.

    ``modified`` is left out: newsrooms bump it without touching the text, and a
    date change alone is not an edit a reader would notice.
    """
    body = [key for key in (comparison_key(p) for p in article.body) if key]
    return {
        "headline": comparison_key(article.headline or ""),
        "byline": sorted(canonical_text(name).casefold() for name in article.byline),
        "published": (article.published or "")[:10],
        "body": body,
    }


def content_hash(article: Article) -> str:
    """A stable hash of the comparison form: equal hashes mean no edit."""
    form = json.dumps(comparison_form(article), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(form.encode("utf-8")).hexdigest()
