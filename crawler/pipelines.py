"""Item pipelines owned by the crawler: turning fetched pages into articles."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.config import load_config, site_rules
from crawler.extraction import ExtractionError, SiteRules, extract_article
from crawler.items import PageFetch


class ExtractArticlePipeline:
    """Extract the article from every successfully fetched HTML page (with the config's per-site rules)."""

    def __init__(self, rules: SiteRules | None = None):
        self.rules = rules or SiteRules()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractArticlePipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        if config is None:  # started by `scrapy crawl`: read editwatch.toml itself
            config = load_config()
        return cls(site_rules(config))

    def process_item(self, item: PageFetch) -> PageFetch:
        if not isinstance(item, PageFetch) or item.error or item.html is None or item.status != 200:
            return item
        try:
            # The bytes as served, so that extraction decodes them itself (valid UTF-8 beats a wrong label).
            page = item.raw if item.raw is not None else item.html
            item.article = extract_article(
                page, item.final_url or item.url, content_type=item.content_type, rules=self.rules
            )
        except ExtractionError as exc:
            item.extraction_error = str(exc)
        except Exception as exc:
            item.extraction_error = f"extraction failed: {type(exc).__name__}: {exc}"
        return item
