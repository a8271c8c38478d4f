"""The item a fetch produces; pipelines fill it in as it travels (extract, then record)."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.extraction.article import Article


@dataclass
class PageFetch:
    """One fetch of one watched article, successful or not."""

    watch_id: int
    url: str  # the watched URL that was requested
    fetched_at: str
    final_url: str | None = None  # after redirects
    status: int | None = None
    duration_ms: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    html: str | None = field(default=None, repr=False)  # decoded page text
    raw: bytes | None = field(default=None, repr=False)  # the bytes as served
    error: str | None = None  # why the fetch failed, in words
    article: Article | None = None
    extraction_error: str | None = None
    # Filled in by the recording pipeline.
    outcome: str | None = None
    message: str | None = None
    version_number: int | None = None
