"""Sitemaps (``urlset``), Google News sitemaps (``news:`` entries) and sitemap indexes."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.listing import ChildSitemap, ListedLink, Listing, ListingError, xml_parser

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _absolute(base: str, loc: str) -> str:
    # The protocol requires absolute URLs; joining costs more than the whole parse.
    return loc if loc.startswith(("http://", "https://")) else urljoin(base, loc)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def parse_sitemap(body: bytes, url: str) -> Listing:
    """The article URLs of a sitemap, or the child sitemaps of an index."""
    try:
        root = etree.fromstring(body, parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"malformed sitemap: {exc}") from None
    if root is None:
        raise ListingError("malformed sitemap: no XML content")
    if _local(root.tag) == "sitemapindex":
        children = []
        for element in root:
            if _local(element.tag) != "sitemap":
                continue
            loc = _child_text(element, "loc")
            if loc:
                children.append(
                    ChildSitemap(url=_absolute(url, loc), lastmod=_child_text(element, "lastmod"))
                )
        return Listing(kind="sitemap-index", children=children)

    links = []
    news = False
    for element in root:
        if _local(element.tag) != "url":
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        title = published = None
        for child in element:
            if child.tag == f"{{{NEWS_NS}}}news":
                news = True
                published = _child_text(child, "publication_date")
                title = _child_text(child, "title")
        links.append(
            ListedLink(
                url=_absolute(url, loc), title=title, published=published or _child_text(element, "lastmod")
            )
        )
    return Listing(kind="news-sitemap" if news else "sitemap", links=links)
