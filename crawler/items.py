"""The item a fetch produces; pipelines fill it in as it travels (extract, then record)."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.archives import Capture
from crawler.discovery.listing import Listing
from crawler.extraction.article import Article
from crawler.extraction.chrome import SiteChrome
from storage.regions import LearnedRegion


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
    headers: list[tuple[str, str]] | None = field(default=None, repr=False)  # the response's, as received
    error: str | None = None  # why the fetch failed, in words
    retry_not_before: str | None = None  # the site's Retry-After, as a stored timestamp
    deferred_until: str | None = None  # not fetched: the site asked us to wait until then
    article: Article | None = None
    extraction_error: str | None = None
    # The article region: (recipe, fingerprint) learnt by a full extraction, or, when the
    # page's region matched the stored one and extraction was skipped, the content hash
    # of the version it shows.
    region: tuple[str, str] | None = field(default=None, repr=False)
    # What the site has shown to be chrome, as the article was extracted with it (for comparing
    # the latest version the same way).
    chrome: SiteChrome | None = field(default=None, repr=False)
    same_region_as: str | None = None
    # The watch's learnt region as read with its request (``region_read``), for many watches at once.
    region_read: bool = field(default=False, repr=False)
    stored_region: LearnedRegion | None = field(default=None, repr=False)
    rendered: bool = False  # read in the browser (crawler.rendering)
    render_trial: bool = False  # the site's first rendering, after its static page gave no article
    # Filled in by the recording pipeline.
    outcome: str | None = None
    message: str | None = None
    version_number: int | None = None
    merged_from: int | None = None  # the duplicate watch this fetch was made for, merged into watch_id


@dataclass
class SourceFetch:
    """One fetch of a source (a feed, a sitemap, a section page) or of a child sitemap of an index."""

    source_id: int
    url: str  # what was requested
    fetched_at: str
    child_lastmod: str | None = None
    is_child: bool = False  # a sitemap named by the source's sitemap index
    final_url: str | None = None
    status: int | None = None
    duration_ms: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    listing: Listing | None = None
    error: str | None = None
    children_requested: int = 0  # child sitemaps fetched for this index
    # Filled in by the recording pipeline.
    outcome: str | None = None  # listed | not_modified | error
    message: str | None = None
    new_watch_ids: list[int] = field(default_factory=list)


@dataclass
class CaptureListing:
    """A web archive's list of captures of a URL, and the ones chosen to be fetched."""

    url: str  # the CDX query
    captures: list[Capture] = field(default_factory=list)
    chosen: list[Capture] = field(default_factory=list)
    error: str | None = None  # the archive failed: nothing can be trusted


@dataclass
class CaptureFetch:
    """One raw capture fetched from a web archive, to be extracted like a live page."""

    capture: Capture
    replay_url: str
    watch_id: int | None = None  # the watch the history is for (None: a URL not watched yet)
    captured_at: str | None = None  # stored form of the replay's Memento-Datetime (else the CDX timestamp)
    status: int | None = None  # the archived response's status, as replayed
    content_type: str | None = None
    headers: list[tuple[str, str]] | None = field(default=None, repr=False)  # the capture's own
    html: str | None = field(default=None, repr=False)
    raw: bytes | None = field(default=None, repr=False)
    error: str | None = None  # the archive failed (down, slow, not a replay): the backfill stops
    problem: str | None = None  # this capture cannot be a version (not an HTML page)
    article: Article | None = None
    extraction_error: str | None = None
    chrome: SiteChrome | None = field(default=None, repr=False)  # the site's, as the capture was extracted


@dataclass
class FetchedPage:
    """One page fetched once and read, stored nowhere (``editwatch extract URL``, confirming re-fetches)."""

    url: str  # as requested
    watch_id: int | None = None  # whose learned chrome applies (None: the site's alone)
    final_url: str | None = None  # after redirects
    status: int | None = None
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    raw: bytes | None = field(default=None, repr=False)  # the bytes as served
    html: str | None = field(default=None, repr=False)
    error: str | None = None  # why there is no article, in one line
    article: Article | None = None
    rendered: str | None = None  # why the page was read in a browser (None: it was read as served)
