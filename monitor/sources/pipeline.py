"""The source pipeline: every polled listing is recorded, and its new articles become watches."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.config import load_config
from crawler.items import SourceFetch
from crawler.signals import articles_discovered
from monitor.changes.decisions import now_utc
from monitor.sources.plan import describe_poll, plan_poll
from monitor.sources.policy import DiscoveryPolicy
from storage import Store
from storage.errors import NotFound, StorageError

logger = logging.getLogger("editwatch.sources")


class RecordSourcePollPipeline:
    """Record each source fetch and create the watches of the articles it newly lists.

    New watches are due at once; :data:`crawler.signals.articles_discovered`
    tells whoever drives the crawl (the daemon, ``sources check``) about them.
    """

    def __init__(self, store: Store, policy: DiscoveryPolicy, crawler: Crawler | None = None):
        self.store = store
        self.policy = policy
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordSourcePollPipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        if config is None:  # started by `scrapy crawl`: read editwatch.toml itself
            config = load_config()
        return cls(Store(crawler.settings.get("EDITWATCH_DB")), DiscoveryPolicy.from_config(config), crawler)

    def close_spider(self, spider=None) -> None:
        self.store.close()

    def process_item(self, item):
        if not isinstance(item, SourceFetch):
            return item
        try:
            source = self.store.sources.get(item.source_id)
            plan = plan_poll(
                item, source, self.policy, now_utc(), lambda urls: self.store.sources.known(source.id, urls)
            )
            recorded = self.store.sources.record_poll(plan.poll, label=source.label, source_url=source.url)
        except NotFound:
            item.outcome = "error"
            item.message = "error: the source was removed while it was polled"
            return item
        except StorageError as exc:
            item.outcome = "error"
            item.message = f"error: could not record the poll: {exc}"
            logger.error("source %s %s: %s", item.source_id, item.url, item.message)
            return item
        item.outcome = plan.poll.outcome
        item.new_watch_ids = [w.id for w in recorded.created]
        item.message = describe_poll(
            item, plan, len(recorded.created), len(recorded.matched), recorded.skipped
        )
        level = logging.WARNING if item.outcome == "error" else logging.INFO
        if item.outcome == "not_modified" or (item.outcome == "listed" and not recorded.created):
            level = logging.DEBUG
        logger.log(level, "source %s %s: %s", item.source_id, item.url, item.message)
        for url, reason in recorded.skipped:
            logger.info("source %s: not watching %s: %s", item.source_id, url, reason)
        if recorded.created and self.crawler is not None:
            self.crawler.signals.send_catch_log(
                signal=articles_discovered, source_id=source.id, watches=recorded.created
            )
        item.listing = None  # recorded; keep Scrapy's logs and stats small
        return item
