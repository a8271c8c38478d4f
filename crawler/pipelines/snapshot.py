"""Storing what the crawler saw: the check, and a version when the comparison form changed.

:class:`StoreSnapshotPipeline` is the crawler's last pipeline when it runs alone
(``scrapy crawl article``, a remote worker). It judges each fetch (:func:`.verdict.judge`)
and stores it as a snapshot the monitor has not processed yet (``checks.processed = 0``):
the outcome, the error, the validators to send next time, the region learnt, the page it
rejected, and the version. The diff, the changes, the alerts and ``next_check_at`` are the
monitor's (see docs/architecture.md); it catches up on these snapshots when it starts. The
monitor's own crawl runner replaces this pipeline with one that does both steps at once.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.items import PageFetch
from crawler.snapshot import verdict as verdicts
from crawler.snapshot.collapse import rejected_page
from crawler.snapshot.identity import same_article
from crawler.snapshot.verdict import judge, new_version
from storage import CheckResult, Store, Watch, clock
from storage.errors import NotFound, StorageError
from storage.regions import LearnedRegion

logger = logging.getLogger(__name__)

# The check's outcome for each verdict the crawler can store on its own.
_OUTCOMES = {
    verdicts.FAILED: "error",
    verdicts.REMOVED: "removed",
    verdicts.NOT_MODIFIED: "not_modified",
    verdicts.SAME_REGION: "unchanged",
    verdicts.REJECTED: "extraction_failed",
}


class StoreSnapshotPipeline:
    """Store each fetched article as a snapshot for the monitor: the check, maybe a version."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreSnapshotPipeline:
        return cls(Store(crawler.settings.get("EDITWATCH_DB")))

    def close_spider(self, spider=None) -> None:
        self.store.close()

    def process_item(self, item: PageFetch) -> PageFetch:
        if not isinstance(item, PageFetch) or item.outcome is not None:
            return item  # a source's listing, or a fetch an earlier pipeline settled
        try:
            if item.deferred_until:
                # Not fetched at all: the site asked us to wait. Nothing happened to record.
                self.store.watches.postpone(item.watch_id, item.deferred_until)
                item.outcome, item.message = "deferred", f"deferred until {item.deferred_until[11:19]} UTC"
            else:
                self._store(item)
        except NotFound:
            item.outcome, item.message = "skipped", "removed while it was being checked"
        except StorageError as exc:
            item.outcome, item.message = "error", f"error: could not store the check: {exc}"
        logger.info("%s %s: %s", item.watch_id, item.url, item.message)
        item.raw = item.headers = item.html = item.region = None
        return item

    def _store(self, item: PageFetch) -> None:
        watch = self.store.watches.get(item.watch_id)
        latest = self.store.versions.latest(watch.id)
        rejected = self.store.rejected_pages.get(watch.id) if watch.consecutive_failures else None
        verdict = judge(
            item,
            watch,
            latest,
            clock.utcnow(),
            known_urls=known_urls(self.store, item, watch),
            rejected=rejected,
        )
        result = CheckResult(
            watch_id=watch.id,
            checked_at=item.fetched_at,
            outcome=_OUTCOMES.get(verdict.kind, "unchanged"),
            http_status=item.status,
            duration_ms=item.duration_ms,
            # Why it failed, was rejected or is gone: the monitor words its events with it.
            error=verdict.reason,
            watch_update=dict(verdict.validators),
            processed=False,
        )
        if verdict.kind == verdicts.REJECTED:
            result.rejected = rejected_page(item, verdict.reason or "", verdict.new_hash)
        changed = verdict.new_hash is not None and (latest is None or verdict.new_hash != latest.content_hash)
        if verdict.kind == verdicts.ARTICLE and changed:
            result.outcome = "new_version"
            result.new_version = new_version(item, verdict.new_hash)
        if item.region and result.outcome in ("unchanged", "new_version"):
            shown = verdict.new_hash if result.new_version else latest.content_hash if latest else None
            if shown:
                result.region = LearnedRegion(shown, *item.region, learned_at=clock.now_text())
        recorded = self.store.checks.record(result)
        item.outcome = result.outcome
        item.version_number = recorded.version.number if recorded.version else None
        item.message = (f"removed ({result.error})" if result.outcome == "removed" else result.error) or (
            f"new version {item.version_number}" if recorded.version else result.outcome.replace("_", " ")
        )


def known_urls(store: Store, item: PageFetch, watch: Watch) -> list[str]:
    """The watch's other addresses, looked up only when the page names an address of its own."""
    article = item.article
    served = [watch.url, item.url, *([item.final_url] if item.final_url else [])]
    if article is None or all(same_article(url, served) for url in article.declared_urls.values()):
        return []
    return [alias["url"] for alias in store.aliases.for_watch(watch.id)]
