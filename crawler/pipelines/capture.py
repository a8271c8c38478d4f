"""Extraction for archived captures (a backfill): each capture read as a live page of its URL would be."""

from __future__ import annotations

from dataclasses import replace

from scrapy.crawler import Crawler

from crawler.config import load_config, site_rules
from crawler.extraction import ExtractionError, SiteRules, extract_article
from crawler.extraction.chrome import NO_CHROME, block_shape, block_text_key, drop_new_chrome
from crawler.items import CaptureFetch
from crawler.site_chrome import LearnedChrome
from storage import Store


class ExtractCapturePipeline:
    """Extract the article from every archived capture, as a live page of its URL would be.

    With the site's rules and what the site has shown to be chrome. Like live fetches,
    the captures are evidence too (a block whose text changes from one capture to the
    next is volatile), but that is learnt in memory: a backfill writes nothing until it
    stores its versions. The spider sends the captures oldest first, one at a time.
    """

    def __init__(self, rules: SiteRules | None = None, store: Store | None = None):
        self.rules = rules or SiteRules()
        self.store = store
        self.chrome = LearnedChrome(store) if store is not None else None
        self.texts: dict[str, str] = {}  # block shape -> text key, as last captured
        self.changed: set[str] = set()  # shapes whose text changed between captures

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractCapturePipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        rules = site_rules(load_config() if config is None else config)
        return cls(rules, Store(crawler.settings.get("EDITWATCH_DB")))

    def close_spider(self, spider=None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: CaptureFetch) -> CaptureFetch:
        if not isinstance(item, CaptureFetch) or item.error or item.problem or item.raw is None:
            return item
        url = item.capture.original
        site = self.chrome.for_page(url, item.watch_id) if self.chrome is not None else NO_CHROME
        chrome = replace(site, volatile=site.volatile | self.changed)
        try:
            item.article = extract_article(
                item.raw, url, content_type=item.content_type, rules=self.rules, chrome=chrome
            )
        except ExtractionError as exc:
            item.extraction_error = str(exc)
        except Exception as exc:
            item.extraction_error = f"extraction failed: {type(exc).__name__}: {exc}"
        if item.article is not None:
            for text in item.article.blocks:
                shape, key = block_shape(text), block_text_key(text)
                if self.texts.get(shape, key) != key:
                    self.changed.add(shape)
                self.texts[shape] = key
            chrome = replace(site, volatile=site.volatile | self.changed)
            drop_new_chrome(item.article, chrome)
        item.chrome = chrome
        return item
