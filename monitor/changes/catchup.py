"""Snapshots the crawler stored on its own, made into changes, alerts and a schedule.

A crawler that runs without the monitor (``scrapy crawl article``, a remote worker)
stores each check as a snapshot marked unprocessed (``checks.processed = 0``): the
outcome, the validators and, when the comparison form changed, the version. The
monitor catches up on them at start (``editwatch check``, the daemon): it diffs each
new version with the one before (edit, rewrite, headline A/B test), draws the lifecycle
events (removed, restored, failing), sets the next check, and queues the alerts, all in
the transaction that marks the check processed, so that a crash loses nothing and
repeats nothing.
"""

from __future__ import annotations

import logging

from crawler.items import PageFetch
from monitor.alerts.outbox import AlertOutbox
from monitor.changes.decisions import CheckInProgress, edit_change, now_utc
from monitor.changes.failing import count_failure
from monitor.changes.rewrite import as_rewrite
from monitor.daemon.jobs import DaemonJob, JobContext
from monitor.daemon.schedule import SchedulePolicy
from monitor.diffing.engine import diff_articles
from storage import CheckResult, NewChange, Store, Version
from storage.errors import NotFound

logger = logging.getLogger(__name__)

# How often the daemon looks for snapshots other crawler processes stored (its own it processes at once).
SNAPSHOT_SECONDS = 30


def process_pending(store: Store, config: dict, *, limit: int = 1000) -> int:
    """Process every snapshot the crawler stored alone, oldest first; returns how many."""
    if not store.checks.pending(limit=1):
        return 0
    policy = SchedulePolicy.from_config(config)
    # Alerts are queued in the transaction that records each change; the hook goes with the call.
    hook = AlertOutbox.install(store, config).queue_alerts
    done = 0
    try:
        while batch := store.checks.pending(limit=limit):
            for row in batch:
                try:
                    done += process_check(store, policy, row)
                except NotFound:  # the watch was removed since: nothing left to draw
                    store.checks.process(row["id"], row["watch_id"], [], {})
    finally:
        store.checks.change_hooks.remove(hook)
    if done:
        logger.info("processed %d checks stored by the crawler alone", done)
    return done


def snapshot_processing_job(config: dict) -> DaemonJob:
    """The daemon's job that processes what crawlers elsewhere store (a remote worker's checks)."""

    async def process(ctx: JobContext) -> None:
        process_pending(ctx.store, ctx.config)

    return DaemonJob("process-snapshots", every=SNAPSHOT_SECONDS, run=process)


def process_check(store: Store, policy: SchedulePolicy, row: dict) -> bool:
    """Draw the changes and schedule of one stored check and mark it processed (False: done already)."""
    watch = store.watches.get(row["watch_id"])
    version = _version(store, row)
    previous = store.versions.get(watch.id, version.number - 1) if version and version.number > 1 else None
    fetch = PageFetch(
        watch_id=watch.id, url=watch.url, fetched_at=row["checked_at"], status=row["http_status"]
    )
    latest = previous if version is not None else store.versions.latest(watch.id)
    check = CheckInProgress(fetch, watch, latest, policy, now_utc())
    check.result = CheckResult(watch_id=watch.id, checked_at=row["checked_at"], outcome=row["outcome"])
    check.update = check.result.watch_update
    outcome = row["outcome"]
    if outcome == "error":
        fetch.error = row["error"] or "the fetch failed"
        check.fetch_failed()
    elif outcome == "removed":
        check.removed(row["error"] or f"HTTP {row['http_status']}")
    elif outcome == "extraction_failed":
        check.schedule(count_failure(check.result, watch, latest, policy, row["error"] or "not the article"))
    elif version is not None:
        _new_version(store, check, version, previous)
    else:
        check.recover()
        check.schedule()
    # What the crawler already wrote with the check (validators) stays as it is.
    for column in ("etag", "last_modified"):
        check.update.pop(column, None)
    return store.checks.process(row["id"], watch.id, check.result.changes, check.update)


def _new_version(store: Store, check: CheckInProgress, version: Version, previous: Version | None) -> None:
    """A stored version: the lifecycle it brings, and the edit from the version before."""
    if check.watch.state == "removed":
        check.result.changes.append(
            NewChange(event="restored", summary="article restored", from_version=previous and previous.number)
        )
    check.recover()
    if version.published:
        check.update["published_at"] = version.published
    check.schedule()
    if previous is None:
        return
    fields = version.article_fields()
    diff = as_rewrite(diff_articles(previous.article_fields(), fields), version.body)
    if not diff:
        return  # the comparison form changed, the text did not (a stored version with no change)
    check.update["last_changed_at"] = version.fetched_at
    # Headlines of the versions before this one, for the A/B test check.
    headlines = store.versions.recent_headlines(version.watch_id, limit=13)[:-1]
    variants = {k: v[:-1] for k, v in store.versions.recent_headline_variants(version.watch_id, 13).items()}
    change = edit_change(diff, previous, fields, {**variants, "headline": headlines})
    change.to_version = version.number
    check.result.changes.append(change)


def _version(store: Store, row: dict) -> Version | None:
    """The version a check stored, if it stored one."""
    return store.versions.by_id(row["version_id"]) if row["version_id"] is not None else None
