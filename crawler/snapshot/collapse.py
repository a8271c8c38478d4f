"""Pages not trusted as the article: a body that collapsed, and the rejected page kept to show a person.

A body that collapsed to a fraction of the last version is rejected, unless the
same collapsed text has been served by consecutive checks for
:data:`COLLAPSE_CONFIRM_AFTER`: a wall or an error page the guard does not know
shows itself in a page's words and is caught above; what stays put for that long
is the site's real, short version, and it must not be lost for ever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crawler.extraction.vocabulary.scripts import count_words
from crawler.items import PageFetch
from storage import RejectedPage, Version, Watch, clock

# A body that shrinks below this share of the previous version's words is not trusted at once
# as an edit (a paywall, consent wall or error page in words the guard does not know).
COLLAPSE_RATIO = 0.3
COLLAPSE_MIN_WORDS = 80
# ...but the same collapsed text served by consecutive checks for this long is the article.
COLLAPSE_CONFIRM_AFTER = timedelta(minutes=15)
# What is kept of a page with no article to show: its visible text, this long at most.
_PAGE_TEXT_LIMIT = 20_000


def collapse_problem(article, latest: Version | None) -> str | None:
    """Why the body looks collapsed compared with the last version, if it does."""
    if latest is None:
        return None
    before = sum(count_words(p) for p in latest.body)
    after = article.word_count
    if before >= COLLAPSE_MIN_WORDS and after < before * COLLAPSE_RATIO:
        return f"article body collapsed from {before} to {after} words (paywall, error page or truncated download?)"
    return None


def collapse_confirmed(
    rejected: RejectedPage | None, watch: Watch, new_hash: str | None, now: datetime
) -> bool:
    """Whether the watch's previous check rejected this same text, first seen long enough ago."""
    if rejected is None or new_hash is None or rejected.content_hash != new_hash:
        return False
    if rejected.rejected_at != watch.last_checked_at:
        return False  # something else was served in between: not consecutive
    first = clock.from_text(rejected.first_rejected_at or rejected.rejected_at)
    return first is not None and now - first >= COLLAPSE_CONFIRM_AFTER


def rejected_page(fetch: PageFetch, reason: str, content_hash: str | None) -> RejectedPage:
    """The page a check rejected, as a person would want to read it: the extracted fields, or the page's text."""
    article = fetch.article
    text: dict = {}
    if article is not None:
        text = {"headline": article.headline, "byline": list(article.byline), "body": list(article.body)}
        furniture = [line for line in article.furniture if line != article.headline]
        if furniture:
            text["furniture"] = furniture
    if not text.get("body") and fetch.html:
        text["page_text"] = _page_text(fetch.html)
    return RejectedPage(
        rejected_at=fetch.fetched_at,
        reason=reason,
        url=fetch.final_url or fetch.url,
        http_status=fetch.status,
        content_hash=content_hash,
        text=text,
    )


def _page_text(html: str) -> str:
    """The visible text of a page, one line per block (scripts and styles left out)."""
    from crawler.extraction.extract import ExtractionError, parse_html

    try:
        tree = parse_html(html)
    except ExtractionError:
        return ""
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)[:_PAGE_TEXT_LIMIT]
