"""RSS and Atom feeds, read with feedparser (lenient, as feed readers must be)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from crawler.discovery.listing import ListedLink, Listing, ListingError

# feedparser notes these but reads the feed fine.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Listing:
    """The entries of an RSS or Atom feed; :class:`ListingError` when it cannot be read as one.

    A feed with XML errors that still yields entries is accepted with a warning;
    one that yields nothing is an error naming the parser's complaint.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, _HARMLESS):
        problem = None
    version = parsed.get("version") or ""
    if not version:
        raise ListingError(f"malformed feed: {_describe(problem) or 'no RSS or Atom content found'}")
    links = [link for link in (_link(entry, url) for entry in parsed.entries) if link is not None]
    if problem is not None and not links:
        raise ListingError(f"malformed feed: {_describe(problem)}")
    listing = Listing(
        kind="atom" if version.startswith("atom") else "rss",
        title=(parsed.feed.get("title") or "").strip() or None,
        links=links,
    )
    if problem is not None:
        listing.warnings.append(f"the feed has XML errors ({_describe(problem)}); read what could be read")
    skipped = len(parsed.entries) - len(links)
    if skipped:
        listing.warnings.append(f"{skipped} entries without a usable link")
    return listing


def _link(entry: feedparser.FeedParserDict, base: str) -> ListedLink | None:
    # FeedBurner and similar proxies keep the publisher's own URL aside.
    href = entry.get("feedburner_origlink") or entry.get("link")
    if not href:
        for candidate in entry.get("links", []):
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                href = candidate["href"]
                break
    if not href:
        guid = entry.get("id") or ""
        if guid.startswith(("http://", "https://")) and entry.get("guidislink", True):
            href = guid
    if not href:
        return None
    href = urljoin(base, href.strip())
    if not href.startswith(("http://", "https://")):
        return None
    moment = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
    published = None
    if moment:
        published = datetime.fromtimestamp(calendar.timegm(moment), UTC).isoformat(timespec="seconds")
    title = " ".join((entry.get("title") or "").split()) or None
    return ListedLink(url=href, title=title, published=published)


def _describe(problem: object) -> str | None:
    if problem is None:
        return None
    text = str(problem).strip()
    line = getattr(problem, "getLineNumber", None)
    if callable(line):
        text = f"{problem.getMessage()} at line {line()}, column {problem.getColumnNumber()}"
    return text or type(problem).__name__
