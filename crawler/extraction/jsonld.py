"""Layer 1: schema.org JSON-LD (NewsArticle and kin), the page's own statement of its metadata."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import html as lxml_html

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "SatiricalArticle",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "WebPage",
}
_PREFERRED = [t for t in ARTICLE_TYPES if t not in {"WebPage"}]


@dataclass
class StructuredData:
    """What JSON-LD said about the article."""

    type: str | None = None
    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    article_body: str | None = None
    url: str | None = None


def _types(node: dict) -> list[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return [value.rsplit("/", 1)[-1]]
    if isinstance(value, list):
        return [v.rsplit("/", 1)[-1] for v in value if isinstance(v, str)]
    return []


def _walk(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk(data[key])


def _loads(text: str) -> object | None:
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        # Common breakage: raw newlines or tabs inside strings, trailing commas.
        repaired = re.sub(r"[\x00-\x1f]", " ", text)
        repaired = re.sub(r",\s*([}\]])", r"\1", repaired)
        try:
            return json.loads(repaired)
        except ValueError:
            return None


def _names(value: object) -> list[str]:
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name)
            if isinstance(name, str):
                names.append(name)
    return [" ".join(n.split()) for n in names if n and n.strip()]


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, (str, int, float)):
        text = " ".join(str(value).split())
        return text or None
    return None


def find_article(tree: lxml_html.HtmlElement) -> StructuredData | None:
    """The most article-like JSON-LD object on the page, if any."""
    candidates: list[tuple[int, dict, str]] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _loads(script.text or "")
        for node in _walk(data):
            for type_name in _types(node):
                if type_name in ARTICLE_TYPES:
                    rank = 0 if type_name in _PREFERRED else 1
                    candidates.append((rank, node, type_name))
                    break
    if not candidates:
        return None
    # Prefer article types over WebPage, then the node with the most content.
    candidates.sort(key=lambda c: (c[0], -len(str(c[1].get("articleBody") or "")), -len(c[1])))
    _, node, type_name = candidates[0]
    return StructuredData(
        type=type_name,
        headline=_text(node.get("headline")) or _text(node.get("name")),
        authors=_names(node.get("author") or node.get("creator") or []),
        published=_text(node.get("datePublished")) or _text(node.get("dateCreated")),
        modified=_text(node.get("dateModified")),
        article_body=node.get("articleBody") if isinstance(node.get("articleBody"), str) else None,
        url=_text(node.get("url")),
    )
