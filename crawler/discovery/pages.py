"""Section and front pages: article links found by a CSS selector, or by what article URLs look like."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html

from crawler.discovery.listing import ListedLink, Listing, ListingError
from crawler.urls import same_site

# Path segments of pages that list or describe articles rather than being one.
NON_ARTICLE_SEGMENTS = {
    "tag",
    "tags",
    "topic",
    "topics",
    "author",
    "authors",
    "by",
    "people",
    "profile",
    "profiles",
    "category",
    "categories",
    "section",
    "sections",
    "search",
    "archive",
    "archives",
    "page",
    "about",
    "about-us",
    "contact",
    "contact-us",
    "help",
    "faq",
    "login",
    "signin",
    "sign-in",
    "register",
    "account",
    "subscribe",
    "subscription",
    "subscriptions",
    "newsletter",
    "newsletters",
    "privacy",
    "privacy-policy",
    "terms",
    "terms-of-use",
    "cookies",
    "cookie-policy",
    "careers",
    "jobs",
    "advertise",
    "video",
    "videos",
    "gallery",
    "galleries",
    "photos",
    "photo",
    "podcast",
    "podcasts",
    "feed",
    "feeds",
    "rss",
    "weather",
    "traffic",
    "shop",
    "store",
    "events",
    "static",
    "assets",
    "img",
    "images",
    "cdn-cgi",
    "wp-admin",
    "wp-content",
    "wp-json",
}
_PAGE_EXTENSIONS = ("", ".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cms", ".ece", ".amp")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
# A year and month in the path (/2024/03/, /2024/mar/, /2024-03-18-) or a compact date (20240318).
_DATE = re.compile(
    rf"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2]|{_MONTHS})(?:[/-]|$)|(?:/|[-_])(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[/_-]|$)"
)
_DATE_PART = re.compile(rf"[\d-]+|{_MONTHS}")
_LONG_NUMBER = re.compile(r"(?:^|[-_.])\d{5,}(?:$|[-_.])|^[a-z]?\d{5,}$")
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
# Links in these parts of a page are navigation, not the page's list of stories.
_CHROME = ("nav", "footer")


class InvalidSelector(ValueError):
    """A ``--links`` CSS selector that cannot be parsed."""


def validate_selector(css: str) -> str:
    """Return ``css`` if it parses as a CSS selector, else raise :class:`InvalidSelector`."""
    from lxml.cssselect import CSSSelector

    try:
        CSSSelector(css)
    except (SelectorError, SyntaxError, ValueError) as exc:
        raise InvalidSelector(f"invalid CSS selector {css!r}: {exc}") from None
    return css


def looks_like_article(url: str) -> bool:
    """Whether a URL's path looks like an article: a long slug, a date, or a long numeric ID.

    Section fronts, tag, author and search pages, videos and files do not.
    """
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    lowered = [s.lower() for s in segments]
    if any(s in NON_ARTICLE_SEGMENTS for s in lowered):
        return False
    last = lowered[-1]
    stem, dot, extension = last.rpartition(".")
    # A file other than a page: an image, a PDF, a feed...
    if dot and f".{extension}" not in _PAGE_EXTENSIONS and extension.isalpha() and len(extension) <= 5:
        return False
    if stem and dot:
        last = stem
    if last in ("index", "default", "home"):
        last = lowered[-2] if len(lowered) > 1 else ""
    if _DATE.search("/" + "/".join(lowered)) and not _DATE_PART.fullmatch(last or "0"):
        return True
    if any(_LONG_NUMBER.search(s) for s in lowered):
        return True
    words = _WORD.findall(last)
    return len(words) >= 4 and len(last) >= 20 and sum(len(w) >= 3 for w in words) >= 3


def parse_page(
    body: bytes, url: str, content_type: str | None = None, links_selector: str | None = None
) -> Listing:
    """The article links of an HTML section page."""
    try:
        tree = lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise ListingError(f"not parseable as HTML: {exc}") from None
    base = url
    for element in tree.iter("base"):
        if element.get("href"):
            base = urljoin(url, element.get("href").strip())
            break
    if links_selector:
        anchors = []
        for element in tree.cssselect(links_selector):
            if element.tag == "a":
                anchors.append(element)
            else:
                anchors.extend(element.iter("a"))
    else:
        anchors = [a for a in tree.iter("a") if not _in_chrome(a)]

    links: list[ListedLink] = []
    seen: set[str] = set()
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        target = urljoin(base, href).split("#", 1)[0]
        if not target.startswith(("http://", "https://")) or target in seen:
            continue
        if not links_selector and not (same_site(target, url) and looks_like_article(target)):
            continue
        seen.add(target)
        title = " ".join(anchor.text_content().split()) or anchor.get("title") or None
        links.append(ListedLink(url=target, title=title))
    title_node = tree.find(".//title")
    title = " ".join(title_node.text_content().split()) if title_node is not None else None
    return Listing(kind="page", title=title or None, links=links)


def _in_chrome(element: lxml_html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in _CHROME or (ancestor.get("role") or "").lower() == "navigation":
            return True
    return False
