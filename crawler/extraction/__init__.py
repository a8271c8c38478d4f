"""Article extraction: HTML in, :class:`Article` out. Pure functions; no network, no database.

Layers, most trusted first: JSON-LD, meta tags, the visible body (trafilatura).
"""

from __future__ import annotations

import copy

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.article import Article
from crawler.extraction.body import visible_paragraphs
from crawler.extraction.canonical import canonical_text, comparison_form, content_hash
from crawler.extraction.jsonld import find_article
from crawler.extraction.meta import read_meta

__all__ = ["Article", "ExtractionError", "comparison_form", "content_hash", "extract_article"]


class ExtractionError(Exception):
    """The input cannot be read as an HTML page at all."""


def parse_html(page: str | bytes) -> lxml_html.HtmlElement:
    """Parse a page leniently; raises :class:`ExtractionError` when nothing usable is there."""
    if isinstance(page, bytes):
        page = page.decode("utf-8", errors="replace")
    if not page.strip():
        raise ExtractionError("the page is empty")
    try:
        tree = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from None
    return tree


def extract_article(page: str | bytes, url: str | None = None) -> Article:
    """Extract headline, byline, dates and body paragraphs from one HTML page."""
    tree = parse_html(page)
    article = Article(url=url)
    structured = find_article(tree)
    meta = read_meta(tree)

    def pick(field_name: str, *candidates: tuple[str, object]) -> None:
        for source, value in candidates:
            if value:
                setattr(article, field_name, value)
                article.sources[field_name] = source
                return

    pick(
        "headline",
        ("json-ld", structured and structured.headline),
        ("h1", meta.h1),
        ("meta", meta.headline),
        ("title", meta.title),
    )
    pick("byline", ("json-ld", structured and structured.authors), ("meta", meta.authors))
    pick("published", ("json-ld", structured and structured.published), ("meta", meta.published))
    pick("modified", ("json-ld", structured and structured.modified), ("meta", meta.modified))
    article.canonical_url = meta.canonical_url
    article.is_live_blog = bool(structured and structured.type == "LiveBlogPosting")

    # trafilatura prunes the tree it is given, so it gets a copy.
    paragraphs = visible_paragraphs(copy.deepcopy(tree), url)
    if paragraphs and article.headline and canonical_text(paragraphs[0]) == canonical_text(article.headline):
        paragraphs = paragraphs[1:]
    if paragraphs:
        article.body = paragraphs
        article.extractor = "trafilatura"
    elif structured and structured.article_body:
        article.body = [p.strip() for p in structured.article_body.splitlines() if p.strip()]
        article.extractor = "json-ld"
        article.warnings.append("no visible body found; used JSON-LD articleBody")
    article.sources["body"] = article.extractor
    return article
