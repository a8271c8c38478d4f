"""Live blogs: pages that change every minute by design, so they are not ordinary articles."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Path segments and slugs newsrooms use for live coverage: /live/, /live-updates/,
# /live-news/ (CNN), /liveblog/, slugs ending in -live-updates or -as-it-happened.
_LIVE_SEGMENTS = {
    "live",
    "live-updates",
    "live-news",
    "liveblog",
    "live-blog",
    "livecoverage",
    "live-coverage",
}
_LIVE_SLUG = re.compile(r"(?:^|[-_])(?:live[-_]?updates|live[-_]?blog|as[-_]it[-_]happened)(?:$|[-_.])")


def live_blog_reason(url: str) -> str | None:
    """Why the URL looks like a live blog (``URL has /live/``), or ``None``."""
    segments = [s.lower() for s in urlsplit(url).path.split("/") if s]
    for segment in segments:
        if segment in _LIVE_SEGMENTS:
            return f"live blog (URL has /{segment}/)"
        if _LIVE_SLUG.search(segment):
            return f"live blog (URL slug {segment!r})"
    return None
