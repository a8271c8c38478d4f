"""Sources (feeds, sitemaps, section pages): adding, listing and removing them, for the CLI and the web app."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.discovery import InvalidSelector, validate_selector
from crawler.urls import InvalidURL, validate_url
from monitor.actions import BadInput
from monitor.daemon.schedule import format_duration, parse_duration
from monitor.sources.policy import DiscoveryPolicy

if TYPE_CHECKING:
    from storage import Source, Store


def pattern(text: str | None, option: str) -> str | None:
    """A regular expression option, checked (empty: remove it)."""
    if text is None:
        return None
    try:
        re.compile(text)
    except re.error as exc:
        raise BadInput(f"invalid regular expression for {option} {text!r}: {exc}") from None
    return text


def poll_interval(text: str | None) -> int | None:
    """``--every`` for a source, in seconds."""
    if text is None:
        return None
    try:
        seconds = int(parse_duration(text))
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if seconds < 1:
        raise BadInput(f"invalid duration {text!r}: sources are polled at most every second")
    return seconds


def resolve_source(store: Store, ref: str | int) -> Source:
    """A source by ID or URL (an invalid URL is bad input)."""
    text = str(ref).strip()
    try:
        stored_form = None if text.isdigit() else validate_url(text)
    except InvalidURL as exc:
        raise BadInput(str(exc)) from None
    return store.sources.resolve(text, stored_form)


def site_label(url: str) -> str:
    """The default label of a source's watches: its host without ``www.``."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def source_record(summary: dict) -> dict:
    """One source as ``sources list --json`` prints it."""
    source: Source = summary["source"]
    return {
        "id": source.id,
        "url": source.url,
        "kind": source.kind,
        "title": source.title,
        "label": source.label,
        "interval": source.interval_seconds,
        "include": source.include_pattern,
        "exclude": source.exclude_pattern,
        "links": source.links_selector,
        "live_blogs": source.live_blogs,
        "added_at": source.added_at,
        "last_polled": source.last_polled_at,
        "last_success": source.last_success_at,
        "last_error": source.last_error,
        "next_poll": source.next_poll_at,
        "listed": source.listed,
        "watches": summary["watches"],
        "created": summary["created"],
        "skipped": summary["skipped"],
    }


def source_records(store: Store) -> list[dict]:
    """``sources list --json``."""
    return [source_record(summary) for summary in store.sources.summaries()]


def add_source(
    store: Store,
    config: dict,
    url: str,
    every: str | None = None,
    include: str | None = None,
    exclude: str | None = None,
    label: str | None = None,
    links: str | None = None,
    live_blogs: bool | None = None,
) -> tuple[Source, bool, str]:
    """``editwatch sources add``: every option checked before anything is stored.

    On a URL already a source, the options given change and the others stay; an empty
    include, exclude or links removes that option. Returns the source, whether it is new,
    and the line the CLI prints.
    """
    try:
        address = validate_url(url)
    except InvalidURL as exc:
        raise BadInput(str(exc)) from None
    interval = poll_interval(every)
    given: dict[str, Any] = {}
    if interval is not None:
        given["interval_seconds"] = interval
    if include is not None:
        given["include_pattern"] = pattern(include, "--include") or None
    if exclude is not None:
        given["exclude_pattern"] = pattern(exclude, "--exclude") or None
    if links is not None:
        try:
            given["links_selector"] = validate_selector(links) if links.strip() else None
        except InvalidSelector as exc:
            raise BadInput(str(exc)) from None
    if label is not None:
        given["label"] = label
    if live_blogs is not None:
        given["live_blogs"] = int(live_blogs)
    policy = DiscoveryPolicy.from_config(config)
    source, created = store.sources.add(
        address,
        interval_seconds=interval or int(policy.every),
        label=label or site_label(address),
        include_pattern=given.get("include_pattern"),
        exclude_pattern=given.get("exclude_pattern"),
        links_selector=given.get("links_selector"),
        live_blogs=bool(live_blogs),
        update=given,
    )
    every_text = format_duration(source.interval_seconds)
    if created:
        line = (
            f"{source.id} {source.url}: added (polled every {every_text}; "
            "the daemon polls it on its interval; "
            f"`editwatch sources check {source.id}` polls it now)"
        )
    else:
        line = f"{source.id} {source.url}: already a source (updated; polled every {every_text})"
    return source, created, line


def remove_source(store: Store, ref: str | int) -> dict:
    """``editwatch sources remove``: stop polling; the watches it created are kept."""
    target = resolve_source(store, ref)
    created = store.sources.remove(target.id)
    kept = f"its {created} watches are kept" if created != 1 else "its watch is kept"
    return {"id": target.id, "url": target.url, "watches_kept": created,
            "message": f"{target.id} {target.url}: removed ({kept})"}  # fmt: skip
