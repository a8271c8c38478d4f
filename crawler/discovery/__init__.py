"""Listings: what a feed, a sitemap or a section page says is there to read. Pure parsing, no I/O.

:func:`parse_listing` detects the kind of source from the response itself (an
RSS or Atom feed, a sitemap or sitemap index, or an HTML page) and returns the
article links it lists. Which of them become watches is the monitor's decision.
"""

from crawler.discovery.listing import ChildSitemap, ListedLink, Listing, ListingError, parse_listing
from crawler.discovery.live import live_blog_reason
from crawler.discovery.pages import InvalidSelector, looks_like_article, validate_selector

__all__ = [
    "ChildSitemap",
    "InvalidSelector",
    "ListedLink",
    "Listing",
    "ListingError",
    "live_blog_reason",
    "looks_like_article",
    "parse_listing",
    "validate_selector",
]
