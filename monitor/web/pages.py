"""What each viewer page shows, as template contexts built from storage (read-only)."""

from __future__ import annotations

import math
from pathlib import Path

from monitor.changes.timeline import diff_versions, timeline
from monitor.diffing.view import body_rows, field_rows, fold_unchanged
from monitor.research.search import search_phrase
from storage import NotFound, Store, Watch

ARTICLES_PER_PAGE = 50
VIEWS = ("inline", "side")


class BadRequest(ValueError):
    """A request the viewer cannot answer as asked (a bad number, an unknown layout)."""


def index(store: Store, page: int = 1) -> dict:
    """Watched articles, the most recently changed first."""
    total = store.overview.count_articles()
    pages = max(1, math.ceil(total / ARTICLES_PER_PAGE))
    if not 1 <= page <= pages:
        raise NotFound(f"there is no page {page} (pages 1 to {pages})")
    articles = store.overview.articles(limit=ARTICLES_PER_PAGE, offset=(page - 1) * ARTICLES_PER_PAGE)
    return {"articles": articles, "total": total, "page": page, "pages": pages}


def article(store: Store, watch: Watch) -> dict:
    """An article's timeline of versions and events."""
    entries = timeline(store, watch)
    versions = sum(1 for e in entries if e["event"] == "version")
    latest = store.versions.latest(watch.id)
    return {
        "watch": watch,
        "entries": entries,
        "versions": versions,
        "headline": latest.headline if latest else None,
        "rejected": store.rejected_pages.get(watch.id),
    }


def version(store: Store, watch: Watch, number: int) -> dict:
    """One stored version's text."""
    return {
        "watch": watch,
        "version": store.versions.get(watch.id, number),
        "versions": store.versions.count(watch.id),
    }


def diff(store: Store, watch: Watch, from_: int | None, to: int | None, view: str = "inline") -> dict:
    """The changes between two versions (default: the latest and the one before), laid out for reading."""
    if view not in VIEWS:
        raise BadRequest(f"unknown view {view!r}: choose inline or side")
    count = store.versions.count(watch.id)
    if count == 0:
        raise NotFound(f"watch {watch.id} has no versions yet")
    to = to or count
    from_ = from_ or max(1, to - 1)
    old, new = store.versions.get(watch.id, from_), store.versions.get(watch.id, to)
    result = diff_versions(old, new)
    return {
        "watch": watch,
        "old": old,
        "new": new,
        "versions": count,
        "diff": result,
        "fields": field_rows(result),
        "groups": fold_unchanged(body_rows(old.body, new.body, result)),
        "view": view,
    }


def search(store: Store, query: str) -> dict:
    """Articles that ever contained a phrase."""
    query = query.strip()
    if not query:
        return {"query": "", "results": [], "problem": None}
    try:
        results = search_phrase(store, query)
    except ValueError as exc:
        return {"query": query, "results": [], "problem": str(exc)}
    return {"query": query, "results": results, "problem": None}


def database_name(store: Store) -> str:
    """The database file's name, for page footers."""
    return Path(store.path).name
