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
from crawler.extraction.canonical import canonical_text
from crawler.extraction.charsets import find_lost_characters, find_misreading
from crawler.extraction.chrome import without_chrome
from crawler.extraction.quality import page_problem
from crawler.extraction.reconcile import coverage
from crawler.extraction.vocabulary.scripts import count_words
from crawler.items import PageFetch
from crawler.urls import is_front_page, same_article_url
from monitor.diff import HEADLINE_VARIANTS, diff_articles
from monitor.flipflop import headline_flips
from monitor.schedule import SchedulePolicy
from storage import CheckResult, NewChange, NewVersion, Version, Watch, clock

# A body that shrinks below this share of the previous version's words is not trusted
# as an edit (paywall, consent wall, error page, truncated download).
COLLAPSE_RATIO = 0.3
COLLAPSE_MIN_WORDS = 80
# A new headline over a body sharing less than this with the last version is another page.
REPLACED_SHARE = 0.15


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
) -> Assessment:
    """Turn one fetch into the check, version and changes to record.

    ``watched_elsewhere`` is the ID of another watch that already follows the
    URL this fetch was redirected to, if any. ``recent_headlines`` (of the latest
    versions, oldest first) lets a headline that flips among a few variants be
    told apart from an edit; ``recent_variants`` does the same for each headline
    variant (``page_headline``, ``social_headline``...).
    """
    result = CheckResult(
        watch_id=watch.id,
        checked_at=fetch.fetched_at,
        outcome="error",
        http_status=fetch.status,
        duration_ms=fetch.duration_ms,
    )
    update = result.watch_update

    def schedule(failures: int = 0, state: str | None = None, not_before: datetime | None = None) -> None:
        state = state or update.get("state", watch.state)
        update["consecutive_failures"] = failures
        next_at = policy.next_check(watch, now, failures=failures, state=state, not_before=not_before)
        if next_at is None or state == "retired":
            update["state"] = "retired"
            update["next_check_at"] = None
        else:
            update["next_check_at"] = next_at

    if fetch.error:
        failures = watch.consecutive_failures + 1
        if failures >= policy.failing_after and watch.state == "active":
            update["state"] = "failing"
            result.changes.append(
                NewChange(
                    event="failing",
                    summary=f"{failures} checks in a row failed; last: {fetch.error}",
                    from_version=latest.number if latest else None,
                )
            )
        result.error = fetch.error
        schedule(failures, not_before=clock.from_text(fetch.retry_not_before))
        if update.get("state") == "failing":
            return Assessment(
                result, f"error: {fetch.error} ({failures} failed checks in a row: now failing)"
            )
        return Assessment(result, f"error: {fetch.error}")

    redirected = fetch.final_url is not None and not same_article_url(fetch.url, fetch.final_url)
    to_front_page = redirected and is_front_page(fetch.final_url) and not is_front_page(fetch.url)
    if fetch.status in (404, 410) or to_front_page:
        why = "redirected to the front page" if fetch.status not in (404, 410) else f"HTTP {fetch.status}"
        result.outcome = "removed"
        # Forget the validators: a restored article must be fetched whole and compared.
        update["etag"] = None
        update["last_modified"] = None
        if watch.state != "removed":
            update["state"] = "removed"
            result.changes.append(
                NewChange(
                    event="removed",
                    summary=f"article removed ({why})",
                    from_version=latest.number if latest else None,
                )
            )
        schedule(state="removed")
        return Assessment(result, f"removed ({why})")

    if fetch.etag is not None or fetch.last_modified is not None:
        update["etag"] = fetch.etag
        update["last_modified"] = fetch.last_modified

    if fetch.status == 304:
        result.outcome = "not_modified"
        _recover(watch, update)
        schedule()
        return Assessment(result, "unchanged (not modified)")

    if fetch.same_region_as is not None:
        # The page's article region is the one that showed the latest version: not extracted.
        result.outcome = "unchanged"
        _recover(watch, update)
        schedule()
        return Assessment(result, "unchanged")

    article = fetch.article
    new_hash = content_hash(article) if article is not None else None
    problem = fetch.extraction_error or quality_problem(article, latest)
    if not problem and latest is not None and new_hash != latest.content_hash:
        problem = charset_problem(article, latest)
    if problem:
        result.outcome = "extraction_failed"
        result.error = problem
        # Keep the validators from the last good page so the next fetch is a full one.
        update.pop("etag", None)
        update.pop("last_modified", None)
        schedule(watch.consecutive_failures)
        return Assessment(result, f"error: {problem}")

    assert article is not None
    moved_to = fetch.final_url if redirected else None
    if moved_to:
        summary = f"article moved to {moved_to}"
        if watched_elsewhere is not None:
            # The other watch follows the article from now on; this one is kept as it was.
            summary += f" (already watched as {watched_elsewhere}; this watch is retired)"
            update["state"] = "retired"
        else:
            update["url"] = moved_to
        result.changes.append(
            NewChange(
                event="moved",
                summary=summary,
                from_version=latest.number if latest else None,
                fields=["url"],
                diff=[{"field": "url", "kind": "edit", "before": fetch.url, "after": moved_to}],
            )
        )
    if watch.state == "removed":
        result.changes.append(
            NewChange(
                event="restored", summary="article restored", from_version=latest.number if latest else None
            )
        )
    _recover(watch, update)
    if article.published:
        update["published_at"] = article.published

    fields = _fields(article)
    diff = None
    if latest is not None:
        if new_hash == latest.content_hash:
            result.outcome = "unchanged"
            schedule()
            return Assessment(result, _with_move("unchanged", moved_to))
        diff = diff_articles(stored_as_extracted_now(latest, fetch), fields)
        if not diff:
            result.outcome = "unchanged"
            schedule()
            return Assessment(result, _with_move("unchanged", moved_to))

    result.outcome = "new_version"
    result.new_version = NewVersion(
        fetched_at=fetch.fetched_at,
        url=fetch.final_url or fetch.url,
        content_hash=new_hash,
        extractor=article.extractor,
        raw_page=fetch.raw,
        **fields,
    )
    number = (latest.number + 1) if latest else 1
    if diff is not None:
        update["last_changed_at"] = fetch.fetched_at
        change = NewChange(
            event="edit",
            summary=diff.summary,
            from_version=latest.number,
            fields=diff.fields,
            diff=[c.to_dict() for c in diff.changes],
            words_added=diff.words_added,
            words_removed=diff.words_removed,
        )
        history = {**(recent_variants or {}), "headline": recent_headlines}
        flips = headline_flips(diff.fields, fields, history)
        if flips is not None:
            change.event = "ab_test"
            change.summary = "; ".join(flip.summary for flip in flips.values())
            change.notify = any(flip.first for flip in flips.values())
            for entry in change.diff:
                if entry["field"] in flips:
                    entry["variants"] = flips[entry["field"]].variants
        result.changes.append(change)
        schedule()
        return Assessment(result, _with_move(f"new version {number}: {change.summary}", moved_to))
    schedule()
    return Assessment(result, _with_move(f"new version {number}", moved_to))


def quality_problem(article, latest: Version | None) -> str | None:
    """Why an extracted article should not be trusted as a version, if it should not."""
    if article is None:
        return "no article found on the page"
    # Unreadable first: binary data also lacks a proper end, and is not a truncated page.
    if article.body and not _readable(" ".join(article.body)):
        return "the page is not readable text (binary data or a wrong character set?)"
    if not article.complete_page:
        return "the page ends abruptly, mid-text (truncated download?)"
    if not article.body:
        return "no article body found on the page"
    problem = page_problem(article)
    if problem:
        return problem
    if latest is None:
        return None
    before = sum(count_words(p) for p in latest.body)
    after = article.word_count
    if before >= COLLAPSE_MIN_WORDS and after < before * COLLAPSE_RATIO:
        return f"article body collapsed from {before} to {after} words (paywall, error page or truncated download?)"
    if (
        not article.is_live_blog
        and before >= COLLAPSE_MIN_WORDS
        and canonical_text(article.headline or "") != canonical_text(latest.headline or "")
        and coverage("\n".join(latest.body), "\n".join(article.body)) < REPLACED_SHARE
    ):
        return "the page shows something else than the article (consent wall, login or error page?)"
    return None


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
        # "" when the page has none: stored None means "not read" (a version from before).
        **{name: getattr(article, name, None) or "" for name in HEADLINE_VARIANTS},
        "byline": article.byline,
        "published": article.published,
        "modified": article.modified,
        "body": article.body,
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
