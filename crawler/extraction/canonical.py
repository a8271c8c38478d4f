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

_N = r"(?:\d+|an?|one|a few|einer?|einem|zwei|une?|un|una|uno)"
_UNITS_EN = r"(?:sec|second|min|minute|hr|hour|day|week|month)s?"
_UNITS_DE = r"(?:sek(?:unde)?n?|min(?:ute)?n?|std|stunden?|tage?n?|wochen?|monate?n?)\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:uhr|h|[A-Z]{2,4}))?"
_DAY = r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2}\.? [A-Za-zäéû]{3,9}\.? \d{4})"

# Text that changes on its own, without anyone editing the article: relative times,
# "updated at" stamps, counters and reading times. Removed before comparing. Each pattern comes
# with the words it cannot match without, checked first with plain substring tests (fast).
_STAMP_WORDS = ("updated", "posted", "published", "modified", "edited", "aktualisiert", "stand", "mis à jour",
                "actualizado", "aggiornato", "bijgewerkt", "oppdatert", "uppdaterad", "opdateret")  # fmt: skip
_VOLATILE = [
    (tuple(words), re.compile(pattern, re.IGNORECASE))
    for words, pattern in (
        # "Updated 5 minutes ago", "Last updated: 14:32 BST", "Aktualisiert am 03.05.2024, 10:15 Uhr"
        (
            _STAMP_WORDS,
            rf"\b(?:last\s+)?(?:{'|'.join(_STAMP_WORDS)})\s*(?:on|at|am|um|le|el|il)?\s*:?\s*"
            rf"(?:{_DAY}(?:\s*(?:,|at|um|à|a las)?\s*{_CLOCK})?|{_CLOCK}|today|yesterday|heute|gestern)",
        ),
        ((" ago",), rf"\b(?:(?:last\s+)?(?:updated|posted|published)\s*:?\s*)?{_N}\s*{_UNITS_EN}\s+ago\b"),
        ((" vor ",), rf"\bvor\s+{_N}\s*{_UNITS_DE}(?=\W|$)"),
        (("il y a",), rf"\bil y a\s+{_N}\s*(?:sec(?:onde)?s?|min(?:ute)?s?|heures?|h|jours?|semaines?)\b"),
        (("hace ",), rf"\bhace\s+{_N}\s*(?:segundos?|min(?:uto)?s?|horas?|h|días?|semanas?)\b"),
        ((" fa",), rf"\b{_N}\s*(?:secondi|minut[oi]|or[ae]|giorni|settimane)\s+fa\b"),
        (("geleden",), rf"\b{_N}\s*(?:seconden|minuten|minuut|uur|dagen|dag)\s+geleden\b"),
        (
            (" siden", " sedan"),
            rf"\b(?:for\s+)?{_N}\s*(?:sekunder|minutter|minuter|timer|timmar|dager|dagar)\s+(?:siden|sedan)\b",
        ),
        (
            ("just now", "gerade eben", "soeben", "l'instant", "ahora mismo", "adesso", "zojuist", "akkurat"),
            r"\b(?:just now|gerade eben|soeben|à l'instant|ahora mismo|adesso|zojuist|akkurat nå)\b",
        ),
    )
]
# Counters and reading times are removed only from lines they make up (widgets), never from
# prose: "12 comments were deleted" in a sentence is news, "12 comments" under the headline is not.
_WIDGET_LINE = 80
_VOLATILE_WIDGETS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # Counters: "1,234 views", "12 comments", "Comments (12)", "5K shares", "12 Kommentare"
        r"\b\d[\d,. ]*\s*[kKmM]?\+?\s+(?:views?|reads?|comments?|shares?|likes?|reactions?|replies|"
        r"kommentare?|aufrufe|kommentarer|commentaires?|comentarios?|commenti|reacties)\b",
        r"\b(?:views?|comments?|shares?|likes?|kommentare?|comentarios?|commentaires?)\s*[:(]\s*\d[\d,.]*\s*[kKmM]?\s*\)?",
        # Reading and listening times: "5 min read", "Lesezeit: 4 Minuten", "Listen (3:12)"
        r"\b\d+\s*(?:-|–)?\s*min(?:ute)?s?\.?\s+(?:read|reading time|Lesezeit|lecture|lectura|lettura)\b",
        r"\b(?:reading time|lesezeit|temps de lecture|tiempo de lectura|tempo di lettura)\s*:?\s*\d+\s*(?:min(?:ute)?n?s?|minuti|minutos)\.?",
        r"\blisten(?: to this article)?\s*\(?\s*\d{1,2}:\d{2}\s*\)?",
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
