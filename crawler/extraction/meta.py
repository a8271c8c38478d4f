"""Layer 2: OpenGraph and ``<meta>`` tags, for headline, byline, dates and the site's name."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html

from crawler.extraction.dates import parse_date
from crawler.extraction.text import clean_text

_HEADLINE = ("og:title", "twitter:title", "headline", "dc.title", "sailthru.title", "parsely-title")
_AUTHOR = (
    "author",
    "article:author",
    "og:article:author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "cxense-site-author",
    "twitter:creator:name",
)
_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "publish-date",
    "publishdate",
    "pubdate",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article:published",
    "displaydate",
    "originalpublicationdate",
    "og:published_time",
    "date.available",
    "datecreated",
)
_MODIFIED = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "article.updated",
    "last-modified",
    "dcterms.modified",
    "lastmod",
)
_SITE = ("og:site_name", "application-name", "twitter:site", "al:ios:app_name")


@dataclass
class MetaData:
    """What the page's head said."""

    headlines: dict[str, str] = field(default_factory=dict)  # tag name → value, in trust order
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    canonical_url: str | None = None
    og_url: str | None = None
    site_names: list[str] = field(default_factory=list)
    description: str | None = None
    title: str | None = None

    @property
    def social_headline(self) -> tuple[str | None, str]:
        """The headline shared on social networks: ``og:title``, else ``twitter:title``, and its tag."""
        for key in ("og:title", "twitter:title"):
            if self.headlines.get(key):
                return self.headlines[key], f"meta {key}"
        return None, "none"


def meta_index(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Every ``<meta>`` value by lower-cased property/name/itemprop."""
    index: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content and content.strip():
            index.setdefault(key, []).append(content)
    return index


def _first_date(index: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        for value in index.get(key, []):
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


def read_meta(tree: lxml_html.HtmlElement) -> MetaData:
    """Collect headline candidates, authors, dates, site name and canonical URL from the page head."""
    index = meta_index(tree)
    authors: list[str] = []
    for key in _AUTHOR:
        for value in index.get(key, []):
            value = clean_text(value)
            if value and not value.startswith(("http://", "https://", "@")) and value not in authors:
                authors.append(value)
        if authors:
            break
    canonical = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            canonical = link.get("href").strip()
            break
    title_node = tree.find(".//title")
    site_names = []
    for key in _SITE:
        for value in index.get(key, []):
            value = clean_text(value).lstrip("@")
            if value and value not in site_names:
                site_names.append(value)
    headlines = {}
    for key in _HEADLINE:
        if index.get(key):
            value = clean_text(index[key][0])
            if value:
                headlines[key] = value
    description = next(
        (
            clean_text(index[k][0])
            for k in ("og:description", "description", "twitter:description")
            if index.get(k)
        ),
        None,
    )
    return MetaData(
        headlines=headlines,
        authors=authors,
        published=_first_date(index, _PUBLISHED),
        modified=_first_date(index, _MODIFIED),
        canonical_url=canonical,
        og_url=next((v.strip() for v in index.get("og:url", []) if v.strip()), None),
        site_names=site_names,
        description=description or None,
        title=clean_text(title_node.text_content()) or None if title_node is not None else None,
    )
