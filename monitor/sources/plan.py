"""Deciding what one poll of a source means: which listed articles to watch, which to skip, and why.

Pure functions of the fetch, the source and what the source listed before; the
pipeline stores the resulting :class:`SourcePoll` in one transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.discovery import live_blog_reason
from crawler.items import SourceFetch
from crawler.urls import InvalidURL, canonicalize_url
from monitor.sources.policy import DiscoveryPolicy
from storage import ListedArticle, Source, SourcePoll, clock


@dataclass
class PollPlan:
    """A poll ready to record, with counts of what was left out."""

    poll: SourcePoll
    counts: Counter = field(default_factory=Counter)  # listed, seen, filtered, old, invalid, deferred


def plan_poll(
    fetch: SourceFetch,
    source: Source,
    policy: DiscoveryPolicy,
    now: datetime,
    known: Callable[[list[str]], dict[str, dict]],
) -> PollPlan:
    """Turn one fetched listing into the poll to record.

    ``known`` maps canonical URLs to what this source listed before
    (``{"watch_id", "skip_reason"}``); those are not decided again, except live
    blogs skipped before the source opted in to them.
    """
    poll = SourcePoll(source_id=source.id, polled_at=fetch.fetched_at, outcome="error")
    plan = PollPlan(poll)
    if fetch.is_child:
        poll.child_url = fetch.url
        poll.child_lastmod = fetch.child_lastmod
    else:
        poll.consecutive_failures = 0 if not fetch.error else source.consecutive_failures + 1
        delay = policy.next_poll_delay(source.interval_seconds, poll.consecutive_failures)
        poll.next_poll_at = clock.later(delay, clock.from_text(fetch.fetched_at) or now)

    if fetch.error:
        poll.error = fetch.error
        return plan
    if fetch.status == 304:
        poll.outcome = "not_modified"
        return plan

    listing = fetch.listing
    assert listing is not None
    poll.outcome = "listed"
    poll.kind = listing.kind
    poll.title = listing.title
    poll.etag = fetch.etag
    poll.last_modified = fetch.last_modified
    poll.listed = len(listing.links)
    if listing.kind == "sitemap-index":
        poll.child_urls = [child.url for child in listing.children]
    plan.counts["listed"] = len(listing.links)

    candidates = _candidates(listing.links, source, policy, now, plan.counts)
    _decide(candidates, known(list(candidates)), source, policy, plan)
    return plan


def _candidates(
    links: list, source: Source, policy: DiscoveryPolicy, now: datetime, counts: Counter
) -> dict[str, str | None]:
    """The listed links worth deciding on: recent, valid and wanted, as canonical URL -> published."""
    include = re.compile(source.include_pattern) if source.include_pattern else None
    exclude = re.compile(source.exclude_pattern) if source.exclude_pattern else None
    oldest = now - timedelta(seconds=policy.max_age)
    candidates: dict[str, str | None] = {}  # canonical URL -> published, in listing order
    for link in links:
        # Dates first: they are cheaper than URLs, and a big sitemap is mostly old articles.
        published = clock.from_text(link.published)
        if published is not None and published < oldest:
            counts["old"] += 1
            continue
        try:
            url = canonicalize_url(link.url)
        except InvalidURL:
            counts["invalid"] += 1
            continue
        if url in candidates:
            continue
        if (include and not include.search(url)) or (exclude and exclude.search(url)):
            counts["filtered"] += 1
            continue
        candidates[url] = clock.to_text(published) if published else None
    return candidates


def _decide(
    candidates: dict[str, str | None],
    before: dict[str, dict],
    source: Source,
    policy: DiscoveryPolicy,
    plan: PollPlan,
) -> None:
    """Add to the poll the candidates to watch (or skip, with the reason); count those seen or deferred."""
    poll = plan.poll
    live_blogs_wanted = source.live_blogs or policy.live_blogs
    new = 0
    for url, published in candidates.items():
        previous = before.get(url)
        if previous is not None:
            reconsider = (previous.get("skip_reason") or "").startswith("live blog") and live_blogs_wanted
            if not reconsider:
                plan.counts["seen"] += 1
                continue
        reason = live_blog_reason(url)
        if reason and not live_blogs_wanted:
            poll.articles.append(ListedArticle(url=url, published_at=published, skip_reason=reason))
            continue
        if new >= policy.max_new_per_poll:
            plan.counts["deferred"] += 1  # not recorded: the next poll takes them
            continue
        new += 1
        interval = int(policy.live_blog_every) if reason else None
        poll.articles.append(ListedArticle(url=url, published_at=published, interval_seconds=interval))


def describe_poll(
    fetch: SourceFetch, plan: PollPlan, created: int, matched: int, skipped: list[tuple[str, str]]
) -> str:
    """One line saying what a poll found (``RSS feed "KXYZ News": 12 listed, 3 new watches``)."""
    poll = plan.poll
    if poll.outcome == "error":
        return f"error: {poll.error}"
    if poll.outcome == "not_modified":
        return "not modified"
    listing = fetch.listing
    assert listing is not None
    name = listing.kind_name + (f' "{listing.title}"' if listing.title else "")
    if listing.kind == "sitemap-index":
        read = fetch.children_requested
        unchanged = len(listing.children) - read
        text = f"{name}: {len(listing.children)} sitemaps ({read} read"
        return text + (f", {unchanged} unchanged)" if unchanged else ")")
    parts = [f"{plan.counts['listed']} listed", f"{created} new {'watch' if created == 1 else 'watches'}"]
    if matched:
        parts.append(f"{matched} already watched")
    reasons: dict[str, int] = {}
    for _, reason in skipped:
        key = reason.split(" (", 1)[0]
        reasons[key] = reasons.get(key, 0) + 1
    parts.extend(f"{n} skipped ({key})" for key, n in reasons.items())
    for key, words in (
        ("filtered", "filtered out"),
        ("old", "too old"),
        ("invalid", "with invalid URLs"),
        ("deferred", "left for the next poll"),
    ):
        if plan.counts[key]:
            parts.append(f"{plan.counts[key]} {words}")
    text = f"{name}: " + ", ".join(parts)
    if listing.warnings:
        text += f" (warning: {'; '.join(listing.warnings)})"
    return text
