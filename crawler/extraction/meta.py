"""Layer 2: OpenGraph and ``<meta>`` tags, then the visible ``<h1>``, for headline, byline and dates."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html

_HEADLINE = ("og:title", "twitter:title", "headline", "dc.title")
_AUTHOR = ("author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author")
_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)
_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")


@dataclass
class MetaData:
    """What the page's meta tags said."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    canonical_url: str | None = None
    h1: str | None = None
    title: str | None = None


def _meta_index(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content and content.strip():
            index.setdefault(key, []).append(" ".join(content.split()))
    return index


def _first(index: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if index.get(key):
            return index[key][0]
    return None


def read_meta(tree: lxml_html.HtmlElement) -> MetaData:
    """Collect headline, authors, dates and the canonical URL from the page head."""
    index = _meta_index(tree)
    authors: list[str] = []
    for key in _AUTHOR:
        for value in index.get(key, []):
            if not value.startswith(("http://", "https://")) and value not in authors:
                authors.append(value)
        if authors:
            break
    canonical = None
    for link in tree.xpath('//link[@rel="canonical"][@href]'):
        canonical = link.get("href").strip()
        break
    h1 = None
    for node in tree.iter("h1"):
        text = " ".join(node.text_content().split())
        if text:
            h1 = text
            break
    title_node = tree.find(".//title")
    title = " ".join(title_node.text_content().split()) if title_node is not None else None
    return MetaData(
        headline=_first(index, _HEADLINE),
        authors=authors,
        published=_first(index, _PUBLISHED),
        modified=_first(index, _MODIFIED),
        canonical_url=canonical,
        h1=h1,
        title=title or None,
    )
