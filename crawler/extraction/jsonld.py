"""Layer 1: schema.org JSON-LD (NewsArticle and kin), the page's own statement of its metadata.

Handles ``@graph`` containers, arrays, nodes nested in ``mainEntity``, authors given
by ``@id`` reference, and the usual breakage (raw newlines in strings, trailing commas).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import html as lxml_html

from crawler.extraction.dates import parse_date
from crawler.extraction.text import clean_text

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
_WEAK_TYPES = {"WebPage"}
_ORGANIZATION_TYPES = {"Organization", "NewsMediaOrganization", "Corporation", "OnlineBusiness", "Brand"}


@dataclass
class StructuredData:
    """What JSON-LD said about the article."""

    type: str | None = None
    headline: str | None = None  # ``headline``, else ``name``
    headline_property: str | None = None  # ``headline`` alone: the search headline newsrooms edit
    authors: list[str] = field(default_factory=list)  # people first; organizations only if no person
    author_organizations: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None
    modified: str | None = None
    article_body: str | None = None
    url: str | None = None
    description: str | None = None
    id: str | None = None  # the node's "@id", often the article's URL (with a fragment)


def _types(node: dict) -> list[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return [v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)]


def _walk(data: object, depth: int = 0) -> Iterator[dict]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement", "item"):
            if key in data:
                yield from _walk(data[key], depth + 1)


def _loads(text: str) -> object | None:
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:].rsplit("-->", 1)[0]
    if text.startswith("//<![CDATA["):
        text = text[len("//<![CDATA[") :].rsplit("//]]>", 1)[0]
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        # Common breakage: raw newlines or tabs inside strings, trailing commas, stray semicolons.
        repaired = re.sub(r"[\x00-\x1f]", " ", text).rstrip(" ;")
        repaired = re.sub(r",\s*([}\]])", r"\1", repaired)
        try:
            return json.loads(repaired)
        except ValueError:
            return None


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, int, float))), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return clean_text(str(value)) or None
    return None


def _people(value: object, index: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Names of the people and of the organizations in an ``author`` value."""
    people: list[str] = []
    organizations: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
            item = index.get(item["@id"], item)
        if isinstance(item, str):
            people.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name if isinstance(n, str))
            if not isinstance(name, str):
                given, family = item.get("givenName"), item.get("familyName")
                name = " ".join(n for n in (given, family) if isinstance(n, str))
            if not name.strip():
                continue
            kinds = set(_types(item))
            (organizations if kinds & _ORGANIZATION_TYPES else people).append(name)
    clean = [clean_text(n) for n in people]
    return [n for n in clean if n], [clean_text(n) for n in organizations if clean_text(n)]


def _rank(node: dict, type_name: str) -> tuple:
    """Sort key: article types over WebPage, then the node that says the most about itself."""
    return (
        type_name in _WEAK_TYPES,
        not node.get("headline"),
        not node.get("datePublished"),
        -len(str(node.get("articleBody") or "")),
        -len(node),
    )


def find_article(tree: lxml_html.HtmlElement) -> StructuredData | None:
    """The most article-like JSON-LD object on the page, if any."""
    candidates: list[tuple[tuple, dict, str]] = []
    index: dict[str, dict] = {}
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        for node in _walk(_loads(script.text or "")):
            if isinstance(node.get("@id"), str) and len(node) > 2:
                index.setdefault(node["@id"], node)
            for type_name in _types(node):
                if type_name in ARTICLE_TYPES:
                    candidates.append((_rank(node, type_name), node, type_name))
                    break
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])
    _, node, type_name = candidates[0]
    people, organizations = _people(node.get("author") or node.get("creator") or [], index)
    publisher = node.get("publisher")
    if isinstance(publisher, dict) and "name" not in publisher and isinstance(publisher.get("@id"), str):
        publisher = index.get(publisher["@id"], publisher)
    body = node.get("articleBody")
    headline = _text(node.get("headline"))
    return StructuredData(
        type=type_name,
        headline=headline or _text(node.get("name")),
        headline_property=headline,
        authors=people,
        author_organizations=organizations,
        publisher=_text(publisher),
        published=parse_date(_text(node.get("datePublished")) or _text(node.get("dateCreated"))),
        modified=parse_date(_text(node.get("dateModified"))),
        article_body=body if isinstance(body, str) and body.strip() else None,
        url=_text(node.get("url")),
        description=_text(node.get("description")),
        id=node["@id"] if isinstance(node.get("@id"), str) else None,
    )
