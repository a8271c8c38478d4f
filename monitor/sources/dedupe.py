"""One article, one watch: after a fetch, a page that names another watched URL as itself is merged.

A story can reach editwatch under several URLs (two feeds, a section page, a
redirecting short link). URLs are canonicalized when discovered; what is left is
learnt from the fetched page: its ``rel=canonical`` and where redirects ended.
A watch whose page turns out to be another watch's article is folded into that
watch when it has no versions yet (its first fetch is recorded as a check of the
other watch), or retired with its history kept when it has. Canonical URLs nobody
watches yet become aliases, so that a source listing them later finds this watch;
a watch without versions whose first fetch was redirected moves to where it landed.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler

from crawler.items import PageFetch
from crawler.snapshot.identity import identity_problem
from crawler.urls import InvalidURL, canonicalize_url, same_site
from monitor.alerts.outbox import AlertOutbox
from storage import Store, Watch
from storage.errors import NotFound

logger = logging.getLogger("editwatch.sources")


def other_urls(item: PageFetch, watch: Watch) -> list[tuple[str, str]]:
    """URLs the fetched page says it also lives at (redirect target, ``rel=canonical``), with why."""
    own = {watch.url, _canonical(watch.url)}
    served_at = item.final_url or item.url
    found: list[tuple[str, str]] = []
    if item.final_url and item.final_url != item.url:
        target = _canonical(item.final_url)
        if target and target not in own:
            found.append((target, "redirect"))
    declared = item.article.canonical_url if item.article else None
    if declared:
        target = _canonical(urljoin(served_at, declared))
        # Honour it only on the same site and never when it names the front page:
        # syndicated copies point at the original publisher, broken CMSs at the home page.
        if (
            target
            and target not in own
            and same_site(target, served_at)
            and urlsplit(target).path not in ("", "/")
            and all(target != url for url, _ in found)
        ):
            found.append((target, "rel=canonical"))
    return found


def _canonical(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except InvalidURL:
        return None


class OneWatchPerArticlePipeline:
    """Merge a freshly fetched watch into the watch that already follows its article."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OneWatchPerArticlePipeline:
        store = Store(crawler.settings.get("EDITWATCH_DB"))
        config = crawler.settings.get("EDITWATCH_CONFIG") or {}
        AlertOutbox.install(store, config)  # a retired duplicate's "moved" event is alerted
        return cls(store)

    def close_spider(self, spider=None) -> None:
        self.store.close()

    def process_item(self, item):
        if not isinstance(item, PageFetch) or item.outcome or item.error or item.status != 200:
            return item
        if item.article is None:
            return item
        try:
            watch = self.store.watches.get(item.watch_id)
        except NotFound:
            return item  # the recording pipeline reports it
        candidates = other_urls(item, watch)
        for url, why in candidates:
            other = self.store.aliases.find(url)
            if other is None or other.id == watch.id:
                continue
            reason = f"same article as watch {other.id} ({why})"
            if self.store.versions.count(watch.id) == 0:
                self.store.aliases.merge(watch.id, other.id, reason=why)
                logger.info("%s %s: %s: merged into it", watch.id, watch.url, reason)
                item.merged_from = watch.id
                item.watch_id = other.id
                # The page was served at final_url: record it as the other watch's check from there.
                item.url = item.final_url or item.url
            else:
                self.store.aliases.retire_duplicate(
                    watch.id, other.id, f"{reason}: followed there from now on; this watch keeps its history"
                )
                item.outcome = "skipped"
                item.message = f"{reason}: retired, history kept"
                logger.info("%s %s: %s", watch.id, watch.url, item.message)
            return item
        first_fetch = not self.store.versions.count(watch.id)
        for url, why in candidates:
            if why == "rel=canonical" and first_fetch:
                # Never fetched before: the story is known by its canonical URL, whichever
                # listing (a short link, a section page's variant) happened to name it first.
                self.store.aliases.relocate(watch.id, url, why)
                logger.info("%s %s: canonical URL; watched at %s from now on", watch.id, watch.url, url)
            elif why == "rel=canonical" and not self._names_another_page(item, watch):
                self.store.aliases.add(url, watch.id, why)
            elif why == "redirect" and urlsplit(url).path not in ("", "/") and first_fetch:
                # Never fetched before: the listed URL was only a pointer (a feed proxy, a short link).
                self.store.aliases.relocate(watch.id, url, why)
                logger.info("%s %s: redirected; watched at %s from now on", watch.id, watch.url, url)
                item.url = item.final_url or item.url
        return item

    def _names_another_page(self, item: PageFetch, watch: Watch) -> bool:
        """Whether a later fetch's page says it is another page (then its canonical is no alias of this one)."""
        known = [watch.url, item.url, *([item.final_url] if item.final_url else [])]
        known += [alias["url"] for alias in self.store.aliases.for_watch(watch.id)]
        return identity_problem(item.article, known) is not None
