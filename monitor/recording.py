"""Deciding what a fetch means: a new version, no change, a lifecycle event, or a failure.

:func:`assess` is a pure function of the fetch, the watch and its latest
version; the recording pipeline stores its result in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from crawler.extraction import content_hash
from crawler.extraction.charsets import find_lost_characters, find_misreading
from crawler.extraction.chrome import without_chrome
from crawler.extraction.quality import page_problem
from crawler.items import PageFetch
from crawler.urls import same_article_url
from monitor.diff import HEADLINE_VARIANTS, ArticleDiff, diff_articles
from monitor.flipflop import headline_flips
from monitor.identity import identity_problem, redirect_destination
from monitor.rejection import (
    clear_failures,
    collapse_confirmed,
    collapse_problem,
    count_failure,
    rejected_page,
)
from monitor.rewrite import as_rewrite
from monitor.schedule import SchedulePolicy
from storage import CheckResult, NewChange, NewVersion, RejectedPage, Version, Watch, clock


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
    check = _Check(fetch, watch, latest, policy, now)
    if fetch.error:
        return check.fetch_failed()
    redirected = fetch.final_url is not None and not same_article_url(fetch.url, fetch.final_url)
    destination = redirect_destination(fetch.url, fetch.final_url) if redirected else None
    if fetch.status in (404, 410) or destination:
        return check.removed(
            f"HTTP {fetch.status}" if fetch.status in (404, 410) else f"redirected to {destination}"
        )
    if fetch.etag is not None or fetch.last_modified is not None:
        check.update["etag"] = fetch.etag
        check.update["last_modified"] = fetch.last_modified
    if fetch.status == 304 or fetch.same_region_as is not None:
        # Not modified, or the page's article region is the one that showed the latest version.
        check.result.outcome = "not_modified" if fetch.status == 304 else "unchanged"
        check.recover()
        check.schedule()
        return Assessment(check.result, "unchanged (not modified)" if fetch.status == 304 else "unchanged")
    article = fetch.article
    new_hash = content_hash(article) if article is not None else None
    known = [watch.url, fetch.url, *([fetch.final_url] if fetch.final_url else []), *known_urls]
    if latest is not None:
        known.append(latest.url or watch.url)
    problem = fetch.extraction_error or page_quality_problem(article)
    if not problem and latest is not None and new_hash != latest.content_hash:
        problem = identity_problem(article, known)
    if not problem and latest is not None and new_hash != latest.content_hash:
        problem = charset_problem(article, latest)
    # A version from a web archive may be months old: the page is not judged by how far it moved from it.
    compared = latest if latest is None or latest.source == "live" else None
    if not problem and not collapse_confirmed(rejected, watch, new_hash, now):
        problem = collapse_problem(article, compared)
    if problem:
        return check.rejected(problem, new_hash)
    assert article is not None
    moved_to = fetch.final_url if redirected else None
    check.lifecycle(moved_to, watched_elsewhere)
    history = {**(recent_variants or {}), "headline": recent_headlines}
    return check.compare(article, new_hash, moved_to, history)


class _Check:
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
        fields = _fields(article)
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
        result.new_version = NewVersion(
            fetched_at=self.fetch.fetched_at,
            url=self.fetch.final_url or self.fetch.url,
            content_hash=new_hash,
            extractor=article.extractor,
            raw_page=self.fetch.raw,
            response_status=self.fetch.status,
            response_headers=self.fetch.headers,
            **fields,
        )
        self.schedule()
        number = (latest.number + 1) if latest else 1
        if diff is None:
            return Assessment(result, _with_move(f"new version {number}", moved_to))
        self.update["last_changed_at"] = self.fetch.fetched_at
        change = _edit(diff, latest, fields, history)
        result.changes.append(change)
        return Assessment(result, _with_move(f"new version {number}: {change.summary}", moved_to))


def _edit(
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


def page_quality_problem(article) -> str | None:
    """Why an extracted article should not be trusted as a version, judged from the page alone."""
    if article is None:
        return "no article found on the page"
    # Unreadable first: binary data also lacks a proper end, and is not a truncated page.
    if article.body and not _readable(" ".join(article.body)):
        return "the page is not readable text (binary data or a wrong character set?)"
    if not article.complete_page:
        return "the page ends abruptly, mid-text (truncated download?)"
    if not article.body:
        return "no article body found on the page"
    return page_problem(article)


def quality_problem(article, latest: Version | None) -> str | None:
    """Why an extracted article should not be trusted as a version, if it should not.

    The page alone, then the body's size against the latest version. A page that
    is still the same article is a version however much of its text changed: a
    new headline over a new body is a rewrite, not another page.
    """
    return page_quality_problem(article) or collapse_problem(article, latest)


def stored_as_extracted_now(latest: Version, fetch: PageFetch) -> dict:
    """The latest version's fields for comparing, less what the site has since shown to be chrome.

    A block that became known chrome (or a dateline read as a date) after the version
    was stored is no paragraph removed by an editor.
    """
    fields = latest.article_fields()
    fields["body"] = without_chrome(fields["body"], fetch.chrome, fields["byline"] or [])
    return fields


def charset_problem(article, latest: Version) -> str | None:
    """Why a changed article is the latest version read in the wrong character set, if it is.

    Either the whole text is misread (one charset read as another), or characters were lost on
    the way ("?" or U+FFFD where the latest version had typographic quotes or accented letters).
    """
    before, after = latest.article_fields(), _fields(article)
    misreading = find_misreading(before, after, read_as=article.encoding)
    if misreading is not None:
        return f"wrong character set declared: the text is version {latest.number}'s, {misreading}"
    lost = find_lost_characters(before, after)
    if lost is not None:
        return f"character set fault: the text is version {latest.number}'s with {lost}"
    return None


def _fields(article) -> dict:
    return {
        "headline": article.headline,
        "byline": article.byline,
        "published": article.published,
        "modified": article.modified,
        "body": article.body,
        # "" when the page has none: stored None means "not read" (a version from before).
        **{name: getattr(article, name, None) or "" for name in HEADLINE_VARIANTS},
    }


# What counts as language in a sample: letters and spaces; what betrays binary or a wrong charset.
_ASCII_WORDLIKE = bytes(c for c in range(128) if chr(c).isalpha() or chr(c).isspace())
_ASCII_BROKEN = bytes([*range(32), 0x7F])
_NOT_WORDLIKE = re.compile(r"[^\w\s]|[\d_]")
_BROKEN = re.compile("[\x00-\x1f\x7f-\x9f\ufffd]")


def _readable(text: str) -> bool:
    """Whether text reads as language rather than decoded binary or a mis-declared charset."""
    if len(text) < 40:
        return True
    sample = text[:20_000]
    # Counted in C (bytes.translate, regex), not char by char: this runs on every changed check.
    if sample.isascii():
        raw = sample.encode("ascii")
        wordlike = len(raw) - len(raw.translate(None, _ASCII_WORDLIKE))
        broken = len(raw) - len(raw.translate(None, _ASCII_BROKEN))
    else:
        wordlike = len(sample) - len(_NOT_WORDLIKE.findall(sample))
        broken = len(_BROKEN.findall(sample))
    return wordlike / len(sample) >= 0.6 and broken / len(sample) < 0.01


def _with_move(message: str, moved_to: str | None) -> str:
    return f"moved to {moved_to}; {message}" if moved_to else message


def _recover(watch: Watch, update: dict) -> None:
    if watch.state in ("failing", "removed") and "state" not in update:
        update["state"] = "active"


def now_utc() -> datetime:
    """The moment a check is assessed."""
    return clock.utcnow()
