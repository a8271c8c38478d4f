"""What one fetch shows, before any diff: failed, removed, not modified, not the article, or the article.

:func:`judge` is the crawler's half of a check, a pure function of the fetch, the watch
and its latest version. The crawler stores its verdict as a snapshot (:mod:`.store`);
the monitor turns the same verdict into changes, lifecycle events and a schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from crawler.extraction import content_hash
from crawler.items import PageFetch
from crawler.snapshot.collapse import collapse_confirmed, collapse_problem
from crawler.snapshot.identity import identity_problem, redirect_destination
from crawler.snapshot.judging import article_fields, charset_problem, page_quality_problem
from crawler.urls import same_article_url
from storage import NewVersion, RejectedPage, Version, Watch

# Verdict kinds, in the order judge() tries them.
FAILED, REMOVED, NOT_MODIFIED, SAME_REGION, REJECTED, ARTICLE = (
    "failed", "removed", "not_modified", "same_region", "rejected", "article",
)  # fmt: skip


@dataclass
class Verdict:
    """The crawler's reading of one fetch.

    ``reason`` says why a fetch ``failed``, why the article is ``removed``, or why the
    page was ``rejected``; ``validators`` are the ETag and Last-Modified to send next
    time (empty: keep the stored ones); ``moved_to`` is the article's new address.
    """

    kind: str
    reason: str | None = None
    new_hash: str | None = None
    moved_to: str | None = None
    validators: dict = field(default_factory=dict)


def judge(
    fetch: PageFetch,
    watch: Watch,
    latest: Version | None,
    now: datetime,
    *,
    known_urls: Sequence[str] = (),
    rejected: RejectedPage | None = None,
) -> Verdict:
    """Whether the fetch shows the watched article, and if so its comparison form's hash.

    ``known_urls`` are other addresses of the article (its aliases); ``rejected`` is the
    last page a check of this watch rejected (a collapse seen long enough is the article).
    """
    if fetch.error:
        return Verdict(FAILED, reason=fetch.error)
    redirected = fetch.final_url is not None and not same_article_url(fetch.url, fetch.final_url)
    destination = redirect_destination(fetch.url, fetch.final_url) if redirected else None
    if fetch.status in (404, 410) or destination:
        why = f"HTTP {fetch.status}" if fetch.status in (404, 410) else f"redirected to {destination}"
        return Verdict(REMOVED, reason=why, validators={"etag": None, "last_modified": None})
    validators = {}
    if fetch.etag is not None or fetch.last_modified is not None:
        validators = {"etag": fetch.etag, "last_modified": fetch.last_modified}
    if fetch.status == 304 or fetch.same_region_as is not None:
        # Not modified, or the page's article region is the one that showed the latest version.
        return Verdict(NOT_MODIFIED if fetch.status == 304 else SAME_REGION, validators=validators)
    article = fetch.article
    new_hash = content_hash(article) if article is not None else None
    problem = _problem(fetch, watch, latest, now, new_hash, [*known_urls], rejected)
    if problem:
        # The validators of the last good page stay, so that the next fetch is a full one.
        return Verdict(REJECTED, reason=problem, new_hash=new_hash)
    moved_to = fetch.final_url if redirected else None
    return Verdict(ARTICLE, new_hash=new_hash, moved_to=moved_to, validators=validators)


def _problem(fetch, watch, latest, now, new_hash, known_urls, rejected) -> str | None:
    """Why the page is not trusted as the article: its quality, identity, charset or a collapse."""
    article = fetch.article
    known = [watch.url, fetch.url, *([fetch.final_url] if fetch.final_url else []), *known_urls]
    if latest is not None:
        known.append(latest.url or watch.url)
    problem = fetch.extraction_error or page_quality_problem(article)
    if not problem and latest is not None and new_hash != latest.content_hash:
        problem = identity_problem(article, known)
    if not problem and latest is not None and new_hash != latest.content_hash:
        problem = charset_problem(article, latest)
    # A version from a web archive may be months old: the page is not judged by how far it moved from it.
    compared = latest if latest is None or latest.source == "live" else None
    if not problem and not collapse_confirmed(rejected, watch, new_hash, now):
        problem = collapse_problem(article, compared)
    return problem


def new_version(fetch: PageFetch, new_hash: str) -> NewVersion:
    """The version a fetch of the article stores."""
    article = fetch.article
    assert article is not None
    return NewVersion(
        fetched_at=fetch.fetched_at,
        url=fetch.final_url or fetch.url,
        content_hash=new_hash,
        extractor=article.extractor,
        raw_page=fetch.raw,
        response_status=fetch.status,
        response_headers=fetch.headers,
        **article_fields(article),
    )
