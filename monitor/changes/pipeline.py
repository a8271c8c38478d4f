"""The monitor's recording pipeline: the crawler's snapshot and what it means, stored in one step.

The monitor's crawl runner (:mod:`monitor.daemon.crawl`) puts this pipeline where a crawler alone
runs ``crawler.pipelines.snapshot.StoreSnapshotPipeline``: the same verdict (:func:`crawler.snapshot.verdict.judge`)
is stored with its changes, queued alerts and next check, so nothing waits for a catch-up.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.config import load_config
from crawler.items import PageFetch
from crawler.pipelines.snapshot import known_urls
from monitor.alerts.outbox import AlertOutbox
from monitor.changes.decisions import assess, now_utc
from monitor.daemon.schedule import SchedulePolicy
from storage import Store, clock
from storage.errors import NotFound, StorageError
from storage.regions import LearnedRegion

logger = logging.getLogger(__name__)

# How loudly each outcome is logged: a daemon is quiet about pages that did not change.
_LOG_LEVELS = {
    "unchanged": logging.DEBUG,
    "not_modified": logging.DEBUG,
    "deferred": logging.DEBUG,
    "new_version": logging.INFO,
    "removed": logging.INFO,
    "error": logging.INFO,
    "extraction_failed": logging.WARNING,
}


class RecordCheckPipeline:
    """Compare each fetched article with the latest stored version and record the outcome."""

    def __init__(self, store: Store, policy: SchedulePolicy):
        self.store = store
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordCheckPipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        if config is None:  # a crawl not built by monitor.daemon.crawl: read editwatch.toml itself
            config = load_config()
        store = Store(crawler.settings.get("EDITWATCH_DB"))
        AlertOutbox.install(store, config)  # alerts are queued in the transaction that records a change
        return cls(store, SchedulePolicy.from_config(config))

    def close_spider(self, spider=None) -> None:
        self.store.close()

    def process_item(self, item: PageFetch) -> PageFetch:
        if not isinstance(item, PageFetch) or item.outcome is not None:
            return item  # a source's listing, or a fetch an earlier pipeline settled (a skipped live blog)
        try:
            if item.deferred_until:
                # Not fetched at all: the site asked us to wait. Nothing happened to record.
                self.store.watches.postpone(item.watch_id, item.deferred_until)
                item.outcome = "deferred"
                item.message = f"deferred until {item.deferred_until[11:19]} UTC: the site asked to wait"
            else:
                self._record(item)
        except NotFound:
            # `editwatch remove` ran while the page was being fetched: nothing left to record.
            item.outcome = "skipped"
            item.message = "removed while it was being checked"
        except StorageError as exc:
            item.outcome = "error"
            item.message = f"error: could not record the check: {exc}"
            logger.error("%s %s: %s", item.watch_id, item.url, item.message)
            return item
        level = _LOG_LEVELS.get(item.outcome or "", logging.INFO)
        if item.message and "now failing" in item.message:
            level = logging.WARNING
        logger.log(level, "%s %s: %s", item.watch_id, item.url, item.message)
        # The raw page is stored; drop it so Scrapy's stats and logs stay small.
        item.raw = None
        item.headers = None
        item.html = None
        item.region = None
        return item

    def _record(self, item: PageFetch) -> None:
        watch = self.store.watches.get(item.watch_id)
        # A page whose article region matched needs no comparison with the latest version.
        latest = None if item.same_region_as else self.store.versions.latest(watch.id)
        elsewhere = None
        if item.final_url and item.final_url != watch.url:
            other = self.store.watches.by_url(item.final_url)
            elsewhere = other.id if other is not None and other.id != watch.id else None
        # Headlines for the A/B test check; an unchanged region needs none.
        headlines = [] if item.same_region_as else self.store.versions.recent_headlines(watch.id)
        variants = {} if item.same_region_as else self.store.versions.recent_headline_variants(watch.id)
        assessment = assess(
            item,
            watch,
            latest,
            self.policy,
            now_utc(),
            watched_elsewhere=elsewhere,
            recent_headlines=headlines,
            recent_variants=variants,
            known_urls=known_urls(self.store, item, watch),
            # Only a run of failures can hold the text a collapse guard wants to see again.
            rejected=self.store.rejected_pages.get(watch.id) if watch.consecutive_failures else None,
        )
        result = assessment.result
        if item.region and result.outcome in ("unchanged", "new_version"):
            # The region learnt from this page shows the version now latest: remember it with the check.
            shown = result.new_version.content_hash if result.new_version else latest.content_hash
            result.region = LearnedRegion(shown, *item.region, learned_at=clock.now_text())
        recorded = self.store.checks.record(result)
        item.outcome = assessment.result.outcome
        item.message = assessment.message
        item.version_number = recorded.version.number if recorded.version else None
