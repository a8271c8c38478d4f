"""Extraction for watched articles: each fetched page of a watch becomes its article."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from scrapy.crawler import Crawler

from crawler.config import load_config, site_rules
from crawler.extraction import ExtractionError, SiteRules, extract_article
from crawler.extraction.chrome import NO_CHROME, drop_new_chrome
from crawler.extraction.region import RegionRecipe, extractor_signature, learn_region, region_fingerprint
from crawler.items import PageFetch
from crawler.rendering.decision import RenderTrials, render_problem
from crawler.site_chrome import LearnedChrome
from storage import Store, clock
from storage.errors import StorageError
from storage.regions import LearnedRegion

# However often its region matches, an article is extracted in full at least this often,
# so that nothing the fingerprint cannot see goes unnoticed for long.
FULL_EXTRACTION_EVERY = timedelta(hours=6)


class ExtractArticlePipeline:
    """Extract the article from every successfully fetched HTML page (with the config's per-site rules).

    With a database (``store``), a page whose article region has the fingerprint
    stored when it last showed the watch's latest version is not extracted again:
    the item is marked ``same_region_as`` that version. After every full
    extraction the region is learnt afresh (``item.region``) and stored with the check, and
    the blocks seen inside the article container are tallied for the site: what the site
    has shown to be chrome is handed to the extractor (``item.chrome``).
    """

    def __init__(
        self,
        rules: SiteRules | None = None,
        store: Store | None = None,
        rules_key: str = "",
        render_trials: RenderTrials | None = None,
    ):
        self.rules = rules or SiteRules()
        self.store = store
        self.rules_key = rules_key
        self.chrome = LearnedChrome(store) if store is not None else None
        self.render_trials = render_trials

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractArticlePipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        if config is None:  # started by `scrapy crawl`: read editwatch.toml itself
            config = load_config()
        # Changed site rules change what is extracted: they invalidate every learnt region.
        rules = json.dumps({k: config.get(k) for k in ("sites", "rules")}, sort_keys=True, default=str)
        key = hashlib.sha256(rules.encode()).hexdigest()[:8]
        choice = getattr(crawler.spider, "render_choice", None)
        trials = RenderTrials(crawler, choice) if choice is not None else None
        return cls(site_rules(config), Store(crawler.settings.get("EDITWATCH_DB")), key, trials)

    def close_spider(self, spider=None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: PageFetch) -> PageFetch:
        item = self._extract(item)
        if self.render_trials is not None and isinstance(item, PageFetch) and item.same_region_as is None:
            # An application shell that gave no article may be handed to the browser instead (DropItem).
            self.render_trials.after_extraction(item, render_problem(item))
        return item

    def _extract(self, item: PageFetch) -> PageFetch:
        if not isinstance(item, PageFetch) or item.error or item.html is None or item.status != 200:
            return item
        stored = self._stored_region(item)
        if stored is not None and self._same_region(item, *stored):
            return item
        url = item.final_url or item.url
        try:
            # The bytes as served, so that extraction decodes them itself (valid UTF-8 beats a wrong label).
            page = item.raw if item.raw is not None else item.html
            if self.chrome is not None:
                item.chrome = self.chrome.for_page(url, item.watch_id)
            item.article = extract_article(
                page, url, content_type=item.content_type, rules=self.rules, chrome=item.chrome or NO_CHROME
            )
        except ExtractionError as exc:
            item.extraction_error = str(exc)
        except Exception as exc:
            item.extraction_error = f"extraction failed: {type(exc).__name__}: {exc}"
        if item.article is not None and self.chrome is not None:
            # What this fetch showed may be the evidence that makes a block chrome (its text changed).
            self.chrome.learn(url, item.watch_id, item.article)
            item.chrome = self.chrome.for_page(url, item.watch_id)
            drop_new_chrome(item.article, item.chrome)
        if item.article is not None and self.store is not None:
            hint = stored[0] if stored is not None else None
            learned = learn_region(item.html, item.article, salt=self.rules_key, hint=hint)
            if learned is not None:
                item.region = (learned[0].to_json(), learned[1])
        return item

    def _stored_region(self, item: PageFetch) -> tuple[RegionRecipe, LearnedRegion] | None:
        """The watch's learnt region, if it still shows the latest version and this fetch was not redirected."""
        if self.store is None or (item.final_url and item.final_url != item.url):
            return None
        try:
            stored = item.stored_region if item.region_read else self.store.regions.for_check(item.watch_id)
            return (RegionRecipe.from_json(stored.recipe), stored) if stored is not None else None
        except (StorageError, ValueError, TypeError):
            return None

    def _same_region(self, item: PageFetch, recipe: RegionRecipe, stored: LearnedRegion) -> bool:
        """Whether the page's article region is the one that showed the latest version (then skip extraction)."""
        learned_at = clock.from_text(stored.learned_at)
        if learned_at is None or clock.utcnow() - learned_at > FULL_EXTRACTION_EVERY:
            return False
        if recipe.signature != extractor_signature() + self.rules_key:
            return False
        if region_fingerprint(item.html, recipe) != stored.fingerprint:
            return False
        item.same_region_as = stored.content_hash
        return True
