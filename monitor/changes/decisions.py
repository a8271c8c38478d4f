"""Turning the crawler's verdict on a fetch into what the monitor records: changes, lifecycle, schedule.

:func:`assess` is a pure function of the fetch, the watch and its latest version.
Whether the page is the article is the crawler's call (:func:`crawler.snapshot.verdict.judge`);
here the article is diffed with the latest version, its edits classified (rewrite,
headline A/B test), lifecycle events drawn (moved, restored, removed, failing) and the
next check scheduled. The recording pipeline stores the result in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from crawler.items import PageFetch
from crawler.snapshot import verdict as verdicts
from crawler.snapshot.collapse import rejected_page
from crawler.snapshot.judging import article_fields, stored_as_extracted_now
from crawler.snapshot.verdict import judge, new_version
from monitor.changes.failing import clear_failures, count_failure
from monitor.changes.headline_ab import headline_flips
from monitor.changes.rewrite import as_rewrite
from monitor.daemon.schedule import SchedulePolicy
from monitor.diffing.engine import ArticleDiff, diff_articles
from storage import CheckResult, NewChange, RejectedPage, Version, Watch, clock


@dataclass
class Assessment:
    """A check ready to record, and the line to report it with."""

    result: CheckResult
    message: str


def assess(
    fetch: PageFetch,
    watch: Watch,
    latest: Version | None,
    policy: SchedulePolicy,
    now: datetime,
    *,
    watched_elsewhere: int | None = None,
    recent_headlines: Sequence[str] = (),
    recent_variants: Mapping[str, Sequence[str]] | None = None,
    known_urls: Sequence[str] = (),
    rejected: RejectedPage | None = None,
) -> Assessment:
    """Turn one fetch into the check, version and changes to record.

    ``watched_elsewhere`` is the ID of another watch that already follows the
    URL this fetch was redirected to, if any. ``recent_headlines`` (of the latest
    versions, oldest first) lets a headline that flips among a few variants be
    told apart from an edit; ``recent_variants`` does the same for each headline
    variant (``page_headline``, ``social_headline``...). ``known_urls`` are other addresses of the article
    (its aliases); ``rejected`` is the last page a check of this watch rejected.
    """
    check = CheckInProgress(fetch, watch, latest, policy, now)
    verdict = judge(fetch, watch, latest, now, known_urls=known_urls, rejected=rejected)
    if verdict.kind == verdicts.FAILED:
        return check.fetch_failed()
    if verdict.kind == verdicts.REMOVED:
        return check.removed(verdict.reason)
    check.update.update(verdict.validators)
    if verdict.kind in (verdicts.NOT_MODIFIED, verdicts.SAME_REGION):
        check.result.outcome = "not_modified" if verdict.kind == verdicts.NOT_MODIFIED else "unchanged"
        check.recover()
        check.schedule()
        return Assessment(check.result, "unchanged (not modified)" if fetch.status == 304 else "unchanged")
    if verdict.kind == verdicts.REJECTED:
        return check.rejected(verdict.reason, verdict.new_hash)
    assert fetch.article is not None and verdict.new_hash is not None
    check.lifecycle(verdict.moved_to, watched_elsewhere)
    history = {**(recent_variants or {}), "headline": recent_headlines}
    return check.compare(fetch.article, verdict.new_hash, verdict.moved_to, history)


class CheckInProgress:
    """One check being assessed: its result, and the steps that fill it in."""

    def __init__(self, fetch: PageFetch, watch: Watch, latest: Version | None, policy: SchedulePolicy, now):
        self.fetch, self.watch, self.latest, self.policy, self.now = fetch, watch, latest, policy, now
        self.result = CheckResult(
            watch_id=watch.id,
            checked_at=fetch.fetched_at,
            outcome="error",
            http_status=fetch.status,
            duration_ms=fetch.duration_ms,
        )
        self.update = self.result.watch_update

    def schedule(
        self, failures: int = 0, state: str | None = None, not_before: datetime | None = None
    ) -> None:
        """Set when the watch is checked next (or retire it); ``failures`` in a row so far."""
        state = state or self.update.get("state", self.watch.state)
        self.update["consecutive_failures"] = failures
        next_at = self.policy.next_check(
            self.watch, self.now, failures=failures, state=state, not_before=not_before
        )
        if next_at is None or state == "retired":
            self.update["state"] = "retired"
            self.update["next_check_at"] = None
        else:
            self.update["next_check_at"] = next_at

    def recover(self) -> None:
        """A good check: a failing or removed watch is active again, and its run of failures ends."""
        _recover(self.watch, self.update)
        clear_failures(self.watch, self.update)

    def fetch_failed(self) -> Assessment:
        """The page could not be fetched (a network error, an HTTP error, a timeout...)."""
        error = self.fetch.error
        self.result.error = error
        failures = count_failure(self.result, self.watch, self.latest, self.policy, error)
        self.schedule(failures, not_before=clock.from_text(self.fetch.retry_not_before))
        if self.update.get("state") == "failing":
            return Assessment(self.result, f"error: {error} ({failures} failed checks in a row: now failing)")
        return Assessment(self.result, f"error: {error}")

    def removed(self, why: str) -> Assessment:
        """The article is gone: HTTP 404 or 410, or a redirect to the front page or a section."""
        self.result.outcome = "removed"
        # Forget the validators: a restored article must be fetched whole and compared.
        self.update["etag"] = None
        self.update["last_modified"] = None
        clear_failures(self.watch, self.update)
        if self.watch.state != "removed":
            self.update["state"] = "removed"
            self.result.changes.append(
                NewChange(
                    event="removed",
                    summary=f"article removed ({why})",
                    from_version=self.latest.number if self.latest else None,
                )
            )
        self.schedule(state="removed")
        return Assessment(self.result, f"removed ({why})")

    def rejected(self, problem: str, new_hash: str | None) -> Assessment:
        """The page is not trusted as the article: kept to show a person, counted as a failed check."""
        self.result.outcome = "extraction_failed"
        self.result.error = problem
        self.result.rejected = rejected_page(self.fetch, problem, new_hash)
        # Keep the validators from the last good page so the next fetch is a full one.
        self.update.pop("etag", None)
        self.update.pop("last_modified", None)
        failures = count_failure(self.result, self.watch, self.latest, self.policy, problem)
        self.schedule(failures)
        if self.update.get("state") == "failing":
            return Assessment(
                self.result, f"error: {problem} ({failures} failed checks in a row: now failing)"
            )
        return Assessment(self.result, f"error: {problem}")

    def lifecycle(self, moved_to: str | None, watched_elsewhere: int | None) -> None:
        """Lifecycle events a good page brings: the article moved, or came back after removal."""
        from_version = self.latest.number if self.latest else None
        if moved_to:
            summary = f"article moved to {moved_to}"
            if watched_elsewhere is not None:
                # The other watch follows the article from now on; this one is kept as it was.
                summary += f" (already watched as {watched_elsewhere}; this watch is retired)"
                self.update["state"] = "retired"
            else:
                self.update["url"] = moved_to
            self.result.changes.append(
                NewChange(
                    event="moved",
                    summary=summary,
                    from_version=from_version,
                    fields=["url"],
                    diff=[{"field": "url", "kind": "edit", "before": self.fetch.url, "after": moved_to}],
                )
            )
        if self.watch.state == "removed":
            self.result.changes.append(
                NewChange(event="restored", summary="article restored", from_version=from_version)
            )
        self.recover()
        if self.fetch.article.published:
            self.update["published_at"] = self.fetch.article.published

    def compare(
        self, article, new_hash: str, moved_to: str | None, history: Mapping[str, Sequence[str]]
    ) -> Assessment:
        """A trusted page: unchanged, or a new version with the edit that made it."""
        latest, result = self.latest, self.result
        fields = article_fields(article)
        diff = None
        if latest is not None:
            if new_hash != latest.content_hash:
                diff = as_rewrite(
                    diff_articles(stored_as_extracted_now(latest, self.fetch), fields), article.body
                )
            if not diff:
                result.outcome = "unchanged"
                self.schedule()
                return Assessment(result, _with_move("unchanged", moved_to))
        result.outcome = "new_version"
        result.new_version = new_version(self.fetch, new_hash)
        self.schedule()
        number = (latest.number + 1) if latest else 1
        if diff is None:
            return Assessment(result, _with_move(f"new version {number}", moved_to))
        self.update["last_changed_at"] = self.fetch.fetched_at
        change = edit_change(diff, latest, fields, history)
        result.changes.append(change)
        return Assessment(result, _with_move(f"new version {number}: {change.summary}", moved_to))


def edit_change(
    diff: ArticleDiff, latest: Version, fields: dict, history: Mapping[str, Sequence[str]]
) -> NewChange:
    """The change a new version records: an edit, or a headline A/B test showing a variant.

    ``history`` holds each headline field's recent values (oldest first).
    """
    change = NewChange(
        event="edit",
        summary=diff.summary,
        from_version=latest.number,
        fields=diff.fields,
        diff=[c.to_dict() for c in diff.changes],
        words_added=diff.words_added,
        words_removed=diff.words_removed,
        # Against a capture from a web archive: a catch-up with the past, not news.
        notify=latest.source != "archive",
    )
    flips = headline_flips(diff.fields, fields, history)
    if flips is not None:
        change.event = "ab_test"
        change.summary = "; ".join(flip.summary for flip in flips.values())
        change.notify = change.notify and any(flip.first for flip in flips.values())
        for entry in change.diff:
            if entry["field"] in flips:
                entry["variants"] = flips[entry["field"]].variants
    return change


def _with_move(message: str, moved_to: str | None) -> str:
    return f"moved to {moved_to}; {message}" if moved_to else message


def _recover(watch: Watch, update: dict) -> None:
    if watch.state in ("failing", "removed") and "state" not in update:
        update["state"] = "active"


def now_utc() -> datetime:
    """The moment a check is assessed."""
    return clock.utcnow()
