"""Extraction for pages fetched once (:mod:`crawler.spiders.page`): read as the crawler reads them, kept nowhere."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.config import load_config, site_rules
from crawler.extraction import ExtractionError, SiteRules, extract_article
from crawler.extraction.chrome import NO_CHROME, drop_new_chrome
from crawler.items import FetchedPage
from crawler.site_chrome import LearnedChrome
from storage import Store


class ExtractPagePipeline:
    """Extract the article of every fetched HTML page with the site's rules and the chrome the
    database has learned for the site (read only; no database, no chrome: none is created)."""

    def __init__(
        self, rules: SiteRules | None = None, store: Store | None = None, crawler: Crawler | None = None
    ):
        self.rules = rules or SiteRules()
        self.store = store
        self.chrome = LearnedChrome(store) if store is not None else None
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPagePipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        if config is None:  # started by `scrapy crawl`: read editwatch.toml itself
            config = load_config()
        # No database: the page is still read, without the site's learned chrome.
        store = Store.if_present(crawler.settings.get("EDITWATCH_DB"))
        return cls(site_rules(config), store, crawler)

    def close_spider(self, spider=None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: FetchedPage) -> FetchedPage:
        if not isinstance(item, FetchedPage) or item.error or item.raw is None:
            return item
        url = item.final_url or item.url
        chrome = self.chrome.for_page(url, item.watch_id) if self.chrome is not None else NO_CHROME
        try:
            # The bytes as served, so that extraction decodes them itself (a charset may be only in the header).
            item.article = extract_article(
                item.raw, url, content_type=item.content_type, rules=self.rules, chrome=chrome
            )
        except ExtractionError as exc:
            item.error = str(exc)
        except Exception as exc:  # one page the extractor trips on is that page's error, not the run's
            item.error = f"extraction failed: {type(exc).__name__}: {exc}"
        if item.article is not None:
            drop_new_chrome(item.article, chrome)
        if item.rendered is None and self._rendered_instead(item):
            raise DropItem(f"{item.url}: rendered instead", log_level="DEBUG")
        # Read and let go: what was read is the article (and a page's bytes are no feed's business).
        item.raw = item.html = None
        return item

    def _rendered_instead(self, item: FetchedPage) -> bool:
        """Whether a page that gave no article is fetched again in the browser, as a check would."""
        from crawler.snapshot.judging import page_quality_problem

        if item.article is not None and page_quality_problem(item.article) is None:
            return False
        spider = self.crawler.spider if self.crawler is not None else None
        return (
            item.html is not None and hasattr(spider, "render_shell") and spider.render_shell(item, item.html)
        )
