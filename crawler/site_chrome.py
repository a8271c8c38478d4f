"""Site chrome learned while crawling: each site's tally of blocks, read once and kept up to date.

After every full extraction the blocks seen inside the article container are recorded
(``site_blocks``); before each extraction the site's evidence is handed to the extractor
as a :class:`SiteChrome`. The evidence of a site is read with one indexed query and
kept in this process, refreshed for the shapes each new observation touches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from crawler.extraction.article import Article
from crawler.extraction.chrome import (
    NO_CHROME,
    REPEATED_ON,
    VOLATILE_AFTER,
    SiteChrome,
    block_shape,
    block_text_key,
)
from crawler.urls import site_key
from storage import Store
from storage.errors import StorageError

# Other processes (crawl workers) learn too: a site's evidence is read again after this long.
RELOAD_SECONDS = 600.0


@dataclass
class _Site:
    loaded_at: float
    chrome: SiteChrome


class LearnedChrome:
    """Each site's chrome evidence, from the database, for the extractor."""

    def __init__(self, store: Store):
        self.store = store
        self.sites: dict[str, _Site] = {}

    def for_page(self, url: str, watch_id: int | None) -> SiteChrome:
        """The evidence for extracting the article of ``watch_id`` at ``url`` (none if it cannot be read)."""
        site = site_key(url)
        known = self.sites.get(site)
        if known is None or time.monotonic() - known.loaded_at > RELOAD_SECONDS:
            try:
                evidence = self.store.site_blocks.evidence(site, REPEATED_ON, VOLATILE_AFTER)
            except StorageError:
                return NO_CHROME
            known = self.sites[site] = _Site(
                time.monotonic(), SiteChrome(evidence.watches, evidence.changing)
            )
        return known.chrome.for_watch(watch_id)

    def learn(self, url: str, watch_id: int, article: Article) -> None:
        """Record the blocks a full extraction of ``watch_id`` saw, and refresh the evidence they touch."""
        blocks = {block_shape(text): block_text_key(text) for text in article.blocks}
        if not blocks:
            return
        site = site_key(url)
        try:
            self.store.site_blocks.observe(site, watch_id, blocks.items())
            fresh = self.store.site_blocks.evidence(site, REPEATED_ON, VOLATILE_AFTER, blocks)
        except StorageError:
            return
        known = self.sites.get(site)
        if known is None:
            return  # read whole when next needed
        repeated = {s: w for s, w in known.chrome.repeated.items() if s not in blocks} | fresh.watches
        volatile = known.chrome.volatile | fresh.changing
        known.chrome = SiteChrome(repeated, volatile)
