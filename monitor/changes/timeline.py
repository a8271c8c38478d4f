"""A watch's history as one timeline of versions and lifecycle events, shared by the CLI and viewer."""

from __future__ import annotations

from monitor.changes.rewrite import as_rewrite
from monitor.diffing.engine import CATEGORIES, ArticleDiff, diff_articles
from storage import Store, Version, Watch
from storage.checks import VERSION_EVENTS


def timeline(store: Store, watch: Watch) -> list[dict]:
    """Versions (``"event": "version"``) and lifecycle events, in the order they happened."""
    changes = store.changes.for_watch(watch.id)
    edits = {c.to_version: c for c in changes if c.event in VERSION_EVENTS}
    entries = []
    for row in store.versions.headlines(watch.id):
        change = edits.get(row["number"])
        entries.append(
            {
                "event": "version",
                "version": row["number"],
                "fetched_at": row["fetched_at"],
                "content_hash": row["content_hash"],
                "headline": row["headline"],
                "summary": change.summary if change else "first version",
                "fields": change.fields if change else [],
                "categories": categories(change.diff) if change else [],
                "words_added": change.words_added if change else 0,
                "words_removed": change.words_removed if change else 0,
                "source": row["source"],
                "_order": row["fetched_at"],
            }
        )
    for change in changes:
        if change.event in VERSION_EVENTS:
            continue
        entry = {
            "event": change.event,
            "version": change.from_version,
            "detected_at": change.detected_at,
            "summary": change.summary,
            "_order": change.detected_at,
        }
        if change.event == "moved":
            url_change = next((d for d in change.diff if d.get("field") == "url"), {})
            entry["from_url"] = url_change.get("before")
            entry["to_url"] = url_change.get("after")
        entries.append(entry)
    for decision in store.render_decisions.for_watch(watch.id):
        # How the crawler decided to fetch the watch's site (in a browser, or not), at this check.
        how = "read in a browser" if decision.mode == "browser" else "not read in a browser"
        entries.append(
            {
                "event": "rendering",
                "detected_at": decision.decided_at,
                "summary": f"{decision.site} is {how} from now on: {decision.reason}",
                "mode": decision.mode,
                "_order": decision.decided_at,
            }
        )
    # A lifecycle event found by the same check as a version (restored, moved) comes first.
    entries.sort(key=lambda e: (e.pop("_order"), e["event"] == "version"))
    return entries


def categories(diff: list[dict]) -> list[str]:
    """The distinct categories of a stored diff, in a fixed order (headline first, corrections last)."""
    found = {c.get("category") for c in diff}
    return [name for name in CATEGORIES if name in found]


def diff_versions(before: Version, after: Version) -> ArticleDiff:
    """The diff between any two stored versions."""
    return as_rewrite(diff_articles(before.article_fields(), after.article_fields()), after.body)
