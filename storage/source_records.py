"""Sources, and what one poll of a source found, as the source repository takes and returns them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from storage.watches import Watch

if TYPE_CHECKING:
    import sqlite3


POLL_OUTCOMES = ("listed", "not_modified", "error")


@dataclass(frozen=True)
class Source:
    """One place editwatch looks for new articles."""

    id: int
    url: str
    kind: str | None
    title: str | None
    label: str | None
    interval_seconds: int
    include_pattern: str | None
    exclude_pattern: str | None
    links_selector: str | None
    live_blogs: bool
    added_at: str
    etag: str | None
    last_modified: str | None
    children: dict[str, dict]
    last_polled_at: str | None
    last_success_at: str | None
    last_error: str | None
    consecutive_failures: int
    listed: int | None
    next_poll_at: str | None
    lease_until: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Source:
        values = {f.name: row[f.name] for f in fields(cls)}
        values["live_blogs"] = bool(values["live_blogs"])
        values["children"] = json.loads(values["children"] or "{}")
        return cls(**values)


@dataclass
class ListedArticle:
    """An article URL a poll decided about: to be watched, or skipped with a reason."""

    url: str  # canonicalized
    published_at: str | None = None
    skip_reason: str | None = None
    interval_seconds: int | None = None  # a policy of its own (live blogs); None: by age


@dataclass
class SourcePoll:
    """Everything one fetch of a source (or of one child sitemap) produced, recorded atomically."""

    source_id: int
    polled_at: str
    outcome: str  # listed | not_modified | error
    child_url: str | None = None  # set when this was a child sitemap of an index
    child_lastmod: str | None = None  # the child's lastmod in the index when it was fetched
    kind: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    child_urls: list[str] | None = None  # an index's children (those not listed are forgotten)
    listed: int | None = None
    error: str | None = None
    next_poll_at: str | None = None
    consecutive_failures: int = 0
    articles: list[ListedArticle] = field(default_factory=list)


@dataclass
class RecordedPoll:
    """What :meth:`SourceRepository.record_poll` wrote."""

    created: list[Watch] = field(default_factory=list)  # new watches
    matched: list[tuple[str, int]] = field(default_factory=list)  # (listed URL, existing watch ID)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (listed URL, reason)
