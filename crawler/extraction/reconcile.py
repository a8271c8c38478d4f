"""Choosing the body: what the reader sees, checked against JSON-LD ``articleBody``.

``articleBody`` is often stale (written once by the CMS and never refreshed),
truncated, or absent, so the visible body wins whenever there is one; a material
disagreement is reported as a warning. The article embedded in the page's state
blob (:mod:`crawler.extraction.embedded`) stands in when the page shows no body or
only a fraction of it; ``articleBody`` is used only when the page shows no body,
and trafilatura only when none of them gives one.
"""

from __future__ import annotations

import re

from crawler.extraction.article import Article
from crawler.extraction.text import clean_text
from crawler.extraction.vocabulary.scripts import count_words

# Fewer visible words than this is "no body found".
MIN_BODY_WORDS = 25
# Below this share of shared word 3-grams, the two bodies disagree materially.
AGREEMENT = 0.8
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    """Word n-grams of a text, case-folded."""
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def coverage(part: str, whole: str) -> float:
    """The share of ``part``'s word 3-grams that ``whole`` contains."""
    wanted = shingles(part)
    return len(wanted & shingles(whole)) / len(wanted) if wanted else 1.0


def paragraphs_of(article_body: str) -> list[str]:
    """JSON-LD ``articleBody`` split into paragraphs."""
    return [p for p in (clean_text(line) for line in re.split(r"\n+|<br\s*/?>|</p>", article_body)) if p]


def reconcile_body(
    article: Article,
    visible: list[str],
    article_body: str | None,
    page: str | bytes,
    url: str | None,
    embedded: list[str] | None = None,
) -> None:
    """Set ``article.body`` and ``article.extractor`` from the candidates, with warnings.

    ``embedded`` is the article of the page's state blob, given only when it should stand in for
    what the page shows.
    """
    visible = _without_headline(visible, article.headline)
    embedded = _without_headline(embedded or [], article.headline)
    structured = paragraphs_of(article_body) if article_body else []
    visible_words = sum(count_words(p) for p in visible)
    structured_words = sum(count_words(p) for p in structured)
    if sum(count_words(p) for p in embedded) >= MIN_BODY_WORDS:
        article.body, article.extractor = embedded, "embedded"
        shown = (
            "no visible body found"
            if visible_words < MIN_BODY_WORDS
            else "the visible body is a fraction of it"
        )
        article.warnings.append(f"{shown}; used the article embedded in the page's data")
    elif visible_words >= MIN_BODY_WORDS:
        article.body, article.extractor = visible, "page"
        if structured_words >= MIN_BODY_WORDS:
            shown = "\n".join(visible)
            if coverage("\n".join(structured), shown) < AGREEMENT:
                article.warnings.append(
                    "JSON-LD articleBody disagrees with the visible text (stale or truncated); used the visible text"
                )
    elif structured_words >= MIN_BODY_WORDS:
        article.body, article.extractor = structured, "json-ld"
        article.warnings.append("no visible body found; used JSON-LD articleBody")
    else:
        fallback = _trafilatura(page, url)
        if not _reads_as_prose(fallback):
            fallback = []
        fallback = _without_headline(fallback, article.headline)
        if sum(count_words(p) for p in fallback) > visible_words:
            article.body, article.extractor = fallback, "trafilatura"
        elif visible:
            article.body, article.extractor = visible, "page"
    article.sources["body"] = article.extractor


def _without_headline(paragraphs: list[str], headline: str | None) -> list[str]:
    if paragraphs and headline and clean_text(paragraphs[0]).casefold() == headline.casefold():
        return paragraphs[1:]
    return paragraphs


def _reads_as_prose(paragraphs: list[str]) -> bool:
    """Whether text is prose rather than a menu or link list (what trafilatura returns for pages without
    an article): most of it stands in lines of sentence length."""
    total = sum(len(p) for p in paragraphs)
    long = sum(len(p) for p in paragraphs if len(p) >= 80)
    return total > 0 and long >= total * 0.5


def _trafilatura(page: str | bytes, url: str | None) -> list[str]:
    """trafilatura's reading of the page, as paragraphs (its own parse: the shared tree is already cleaned)."""
    import trafilatura  # the rare fallback: keep its import off every command's start-up

    # Not fast=True: the fallback runs on pages our locator could not read, exactly where
    # trafilatura's own fallbacks (readability, jusText) earn their cost.
    text = trafilatura.extract(
        page,
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    return [clean_text(line) for line in (text or "").splitlines() if line.strip()]
