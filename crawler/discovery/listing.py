"""Detect what a source is from its response, and read the links it lists."""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, field

from lxml import etree

KIND_NAMES = {
    "rss": "RSS feed",
    "atom": "Atom feed",
    "news-sitemap": "news sitemap",
    "sitemap": "sitemap",
    "sitemap-index": "sitemap index",
    "page": "section page",
}

# Decompressed sitemaps and feeds larger than this are refused (the sitemap protocol caps at 50 MB).
MAX_LISTING_BYTES = 50 * 1024 * 1024


class ListingError(ValueError):
    """The response is not a usable feed, sitemap or page; the message says why, in one line."""


@dataclass
class ListedLink:
    """One article link as the source listed it."""

    url: str  # absolute, as listed (tracking parameters and all)
    title: str | None = None
    published: str | None = None  # ISO 8601 in UTC, when the source says


@dataclass
class ChildSitemap:
    """A sitemap named by a sitemap index."""

    url: str
    lastmod: str | None = None


@dataclass
class Listing:
    """What one source response lists."""

    kind: str  # one of KIND_NAMES
    title: str | None = None
    links: list[ListedLink] = field(default_factory=list)
    children: list[ChildSitemap] = field(default_factory=list)  # sitemap indexes only
    warnings: list[str] = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        """The kind in words (``RSS feed``, ``news sitemap``...)."""
        return KIND_NAMES.get(self.kind, self.kind)


_XML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w:.-]*)", re.S
)
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}


def parse_listing(
    body: bytes, url: str, content_type: str | None = None, links_selector: str | None = None
) -> Listing:
    """Read a source response: a feed, a sitemap (or index), or an HTML section page.

    ``url`` is the address the response came from (relative links resolve
    against it); ``links_selector`` picks article links on a page by CSS instead
    of the default heuristic. Raises :class:`ListingError` when the response is
    none of these or too broken to read.
    """
    from crawler.discovery import feeds, pages, sitemaps

    body = _decompressed(body)
    mime = (content_type or "").split(";")[0].strip().lower()
    root = _root_name(body)
    if root in _SITEMAP_ROOTS:
        return sitemaps.parse_sitemap(body, url)
    if root in _FEED_ROOTS:
        return feeds.parse_feed(body, url, content_type)
    if root == "html" or mime in ("text/html", "application/xhtml+xml") or _looks_like_html(body):
        return pages.parse_page(body, url, content_type, links_selector)
    if root is not None or "xml" in mime or "rss" in mime or "atom" in mime:
        # XML of another kind, or a feed broken before its root element.
        return feeds.parse_feed(body, url, content_type)
    shown = mime or "no Content-Type"
    raise ListingError(f"not a feed, a sitemap or an HTML page ({shown})")


def _decompressed(body: bytes) -> bytes:
    # Sitemaps are often served as .xml.gz without Content-Encoding.
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflater.decompress(body, MAX_LISTING_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise ListingError(f"broken gzip data: {exc}") from None
    if len(data) > MAX_LISTING_BYTES:
        raise ListingError(f"larger than {MAX_LISTING_BYTES // (1024 * 1024)} MB once decompressed")
    return data


def _root_name(body: bytes) -> str | None:
    """The local name of the first element, lowercased, without parsing the whole document."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    match = _XML_START.match(head)
    if not match:
        return None
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<html" in head or b"<!doctype html" in head or b"<body" in head


def xml_parser() -> etree.XMLParser:
    """An XML parser safe for documents from the web: no entities, no network, tolerant of errors."""
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True, remove_comments=True)
