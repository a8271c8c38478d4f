"""Backfill: a watch's earlier history, recovered from a web archive's captures.

The archive's CDX API lists the captures of the watch's URL from before its
stored history begins; the crawler fetches each raw capture (see
``crawler.spiders.archive``) and extracts it with the site's rules. Then each
capture is judged as a live fetch would be, in capture order: a page the quality
guard rejects or an archived error page is skipped; a capture showing the same
article as the one before (same comparison form, or no difference the diff engine
reports) collapses into it; any other becomes a version dated with its capture
time, with the change from the one before. Those changes raise no alerts.

Nothing is stored until every chosen capture has been fetched: then the new
versions go in before the stored ones, in one transaction (see
``VersionRepository.insert_earlier``). An archive that fails midway changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.archives import Capture
from crawler.extraction import content_hash
from crawler.extraction.chrome import SiteChrome, without_chrome
from crawler.items import CaptureFetch, CaptureListing
from crawler.snapshot.collapse import collapse_problem
from crawler.snapshot.identity import identity_problem
from crawler.snapshot.judging import (
    article_fields,
    charset_problem,
    page_quality_problem,
    stored_as_extracted_now,
)
from monitor.changes.headline_ab import headline_flips
from monitor.changes.rewrite import as_rewrite
from monitor.diffing.engine import HEADLINE_VARIANTS, diff_articles
from storage import NewChange, NewVersion, Store, Version, Watch, clock

DEFAULT_LIMIT = 100
_FETCHABLE_TYPES = ("text/html", "application/xhtml+xml", "warc/revisit", "unk", "-")


class BackfillError(Exception):
    """The archive failed (down, too slow, garbled answers): nothing was stored."""


@dataclass
class CaptureOutcome:
    """What became of one listed capture."""

    captured_at: str
    outcome: str  # version | same | skipped
    message: str
    archive_url: str | None = None
    version: int | None = None  # the version it became (or showed), numbered as stored

    def to_dict(self) -> dict:
        return {
            "captured_at": self.captured_at,
            "outcome": self.outcome,
            "message": self.message,
            "archive_url": self.archive_url,
            "version": self.version,
        }


@dataclass
class CapturePlan:
    """Which listed captures to fetch; what became of the others."""

    before: datetime | None  # the stored history's start: captures from then on are left out
    limit: int
    outcomes: list[CaptureOutcome] = field(default_factory=list)
    later: int = 0  # captures at or after ``before``
    beyond_limit: int = 0  # earlier captures left for another run

    def choose(self, captures: list[Capture]) -> list[Capture]:
        """The captures to fetch, oldest first (the spider calls this with the archive's list)."""
        candidates: list[Capture] = []
        for capture in captures:
            when = capture.captured_at
            if self.before is not None and when >= self.before:
                self.later += 1
                continue
            mime = (capture.mimetype or "-").split(";")[0].strip().lower()
            reason = None
            if capture.status is not None and capture.status >= 300:
                kind = "a redirect" if capture.status < 400 else "an error page"
                reason = f"archived as HTTP {capture.status} ({kind})"
            elif mime not in _FETCHABLE_TYPES:
                reason = f"not an HTML page ({mime})"
            elif candidates and capture.digest and capture.digest == candidates[-1].digest:
                # The same bytes as the capture before: nothing to fetch twice.
                self.outcomes.append(
                    CaptureOutcome(clock.to_text(when), "same", f"same page as {_short(candidates[-1])}")
                )
                continue
            if reason:
                self.outcomes.append(CaptureOutcome(clock.to_text(when), "skipped", f"skipped: {reason}"))
                continue
            candidates.append(capture)
        if len(candidates) > self.limit:
            # The captures nearest the stored history: a later run with --limit goes further back.
            self.beyond_limit = len(candidates) - self.limit
            candidates = candidates[-self.limit :]
            start = candidates[0].captured_at
            self.outcomes = [o for o in self.outcomes if clock.from_text(o.captured_at) >= start]
        return candidates


@dataclass
class BackfillResult:
    """A finished backfill."""

    watch: Watch
    new_watch: bool  # the URL was not watched: the backfill added it
    listed: int
    outcomes: list[CaptureOutcome]
    added: int
    later: int
    beyond_limit: int
    shifted: int  # how many stored versions were renumbered after the new ones


def backfill(
    store: Store,
    target: Watch | str,
    fetch: Callable[[CapturePlan, datetime | None], tuple[CaptureListing | None, list[CaptureFetch]]],
    *,
    limit: int = DEFAULT_LIMIT,
) -> BackfillResult:
    """Recover a watch's history before its first stored version; ``fetch`` runs the archive crawl.

    ``target`` is a watch, or the URL of an article not watched yet: it is then
    added with its recovered history, in the same transaction.
    """
    watch = target if isinstance(target, Watch) else None
    first = store.versions.first(watch.id) if watch is not None else None
    before = clock.from_text(first.fetched_at) if first else None
    plan = CapturePlan(before=before, limit=limit)
    listing, fetches = fetch(plan, before)
    failure = next((f.error for f in [listing, *fetches] if f is not None and f.error), None)
    if failure:
        raise BackfillError(failure)
    if listing is None:
        raise BackfillError("the archive's capture list was not fetched")
    missing = len(listing.chosen) - len(fetches)
    if missing:
        raise BackfillError(f"the archive did not answer for {missing} of {len(listing.chosen)} captures")
    outcomes = list(plan.outcomes)
    candidates = _judge(sorted(fetches, key=lambda f: f.captured_at or ""), outcomes)
    with store.transaction() as conn:
        new_watch = watch is None
        if watch is None:
            watch, new_watch = store.watches.add(str(target))
        # Read again under the write lock: a live check may have stored a version meanwhile.
        first = store.versions.first(watch.id)
        shifted = store.versions.count(watch.id)
        boundary = _join(candidates, first, outcomes)
        versions = store.versions.insert_earlier(conn, watch.id, [c.version for c in candidates])
        for candidate in candidates:
            if candidate.change is not None:
                store.changes.insert(conn, watch.id, candidate.change, candidate.version.fetched_at)
        if boundary is not None:
            store.changes.insert(conn, watch.id, boundary, first.fetched_at)
    for candidate, version in zip(candidates, versions, strict=True):
        candidate.outcome.version = version.number
        candidate.outcome.message = f"version {version.number}" + (
            f": {candidate.change.summary}" if candidate.change else ""
        )
    outcomes.sort(key=lambda o: o.captured_at)
    return BackfillResult(
        watch=watch,
        new_watch=new_watch,
        listed=len(listing.captures),
        outcomes=outcomes,
        added=len(versions),
        later=plan.later,
        beyond_limit=plan.beyond_limit,
        shifted=shifted if versions else 0,
    )


@dataclass
class _Candidate:
    version: NewVersion
    change: NewChange | None
    outcome: CaptureOutcome
    stand_in: Version  # the version as the next capture is compared with
    chrome: SiteChrome | None = None  # the site's chrome evidence it was extracted with


def _judge(fetches: list[CaptureFetch], outcomes: list[CaptureOutcome]) -> list[_Candidate]:
    """Judge the fetched captures in order, as live fetches are: skipped, collapsed, or a new version."""
    candidates: list[_Candidate] = []
    for fetch in fetches:
        captured_at = fetch.captured_at or clock.to_text(fetch.capture.captured_at)
        previous = candidates[-1].stand_in if candidates else None
        outcome = CaptureOutcome(captured_at, "skipped", "", archive_url=fetch.replay_url)
        outcomes.append(outcome)
        article = fetch.article
        problem, new_hash = _capture_problem(fetch, previous)
        if problem:
            outcome.message = f"skipped: {problem}"
            continue
        fields = article_fields(article)
        # As a live check compares: the version before as extraction with this capture's evidence gives it.
        diff = (
            as_rewrite(diff_articles(stored_as_extracted_now(previous, fetch), fields), article.body)
            if previous is not None
            else None
        )
        if previous is not None and (new_hash == previous.content_hash or not diff):
            outcome.outcome, outcome.message = (
                "same",
                f"same article as the capture of {_when(previous.fetched_at)}",
            )
            continue
        number = len(candidates) + 1
        version = NewVersion(
            fetched_at=captured_at,
            url=fetch.capture.original,
            content_hash=new_hash,
            extractor=article.extractor,
            raw_page=fetch.raw,
            response_status=fetch.status,
            response_headers=fetch.headers,
            source="archive",
            archive_url=fetch.replay_url,
            **fields,
        )
        change = _capture_change(diff, number, fields, candidates) if diff is not None else None
        outcome.outcome = "version"
        stand_in = Version(
            id=0, watch_id=0, number=number, fetched_at=captured_at, url=version.url,
            content_hash=new_hash, extractor=version.extractor, page_hash=None, **fields,
        )  # fmt: skip
        candidates.append(_Candidate(version, change, outcome, stand_in, fetch.chrome))
    return candidates


def _capture_problem(fetch: CaptureFetch, previous: Version | None) -> tuple[str | None, str | None]:
    """Why a capture is not a version (or None), and its content hash when it may be one."""
    article = fetch.article
    problem = fetch.problem
    if problem is None and fetch.status is not None and not 200 <= fetch.status < 300:
        problem = f"archived as HTTP {fetch.status} (an error page)"
    if problem is None:
        problem = fetch.extraction_error or page_quality_problem(article)
    new_hash = content_hash(article) if article is not None and not problem else None
    if not problem and previous is not None and new_hash != previous.content_hash:
        # As a live check judges a page: its identity, its charset, a body that collapsed.
        problem = (
            identity_problem(article, [fetch.capture.original, previous.url or fetch.capture.original])
            or charset_problem(article, previous)
            or collapse_problem(article, previous)
        )
    return problem, new_hash


def _capture_change(diff: Any, number: int, fields: dict, candidates: list[_Candidate]) -> NewChange:
    """The change a capture's new version makes: an edit, or a headline A/B test as live checks see one."""
    change = _edit(diff, number - 1, number)
    recent = [c.stand_in for c in candidates[-12:]]
    history = {name: [getattr(v, name) or "" for v in recent] for name in ("headline", *HEADLINE_VARIANTS)}
    flips = headline_flips(diff.fields, fields, history)
    if flips is not None:
        change.event = "ab_test"
        change.summary = "; ".join(flip.summary for flip in flips.values())
        for entry in change.diff:
            if entry["field"] in flips:
                entry["variants"] = flips[entry["field"]].variants
    return change


def _join(
    candidates: list[_Candidate], first: Version | None, outcomes: list[CaptureOutcome]
) -> NewChange | None:
    """The change from the last recovered version to the first stored one (dropping a capture of it)."""
    if first is None or not candidates:
        return None
    last = candidates[-1]
    # The stored version as extraction with the captures' chrome evidence gives it (as live checks compare).
    stored = first.article_fields()
    stored["body"] = without_chrome(stored["body"], last.chrome, stored["byline"] or [])
    diff = diff_articles(last.stand_in.article_fields(), stored)
    if last.stand_in.content_hash == first.content_hash or not diff:
        candidates.pop()
        last.outcome.outcome = "same"
        last.outcome.message = f"same article as the stored version first seen at {_when(first.fetched_at)}"
        if not candidates:
            return None
        last = candidates[-1]
        diff = diff_articles(last.stand_in.article_fields(), stored)
    return _edit(diff, len(candidates), len(candidates) + 1)


def _edit(diff: Any, from_version: int, to_version: int) -> NewChange:
    """An edit found between archived captures: recorded like a live one, never alerted."""
    return NewChange(
        event="edit",
        summary=diff.summary,
        from_version=from_version,
        to_version=to_version,
        fields=diff.fields,
        diff=[c.to_dict() for c in diff.changes],
        words_added=diff.words_added,
        words_removed=diff.words_removed,
        notify=False,
    )


def _short(capture: Capture) -> str:
    return f"the capture of {_when(clock.to_text(capture.captured_at))}"


def _when(stored: str) -> str:
    """A stored timestamp as a report shows it (UTC, to the second)."""
    return stored[:19].replace("T", " ")
