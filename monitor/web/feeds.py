"""Atom feeds of changes (RFC 4287): all articles, or one, newest first, diffs as escaped HTML."""

from __future__ import annotations

import json

from monitor.changes.timeline import categories
from monitor.diffing.engine import Change
from monitor.diffing.html import changes_html, safe_href
from monitor.web.templating import render
from storage import Store, Watch, clock

ENTRIES = 50
# Entry IDs must never change: they name the change, not the server that shows it.
_TAG = "tag:editwatch,2024"


def feed(store: Store, base_url: str, self_path: str, watch: Watch | None = None) -> str:
    """The Atom document for all changes, or for one watch's."""
    rows = store.overview.recent_changes(ENTRIES, watch_id=watch.id if watch else None)
    entries = [_entry(row, base_url) for row in rows]
    if watch is None:
        title, feed_id, html_url = "editwatch: changes to watched articles", f"{_TAG}:feed", f"{base_url}/"
    else:
        latest = store.versions.latest(watch.id)
        name = (latest.headline if latest else None) or watch.url
        title = f"editwatch: changes to “{name}”"
        feed_id = f"{_TAG}:watch/{watch.id}/feed"
        html_url = f"{base_url}/watch/{watch.id}"
    return render(
        "feed.xml",
        title=title,
        feed_id=feed_id,
        updated=entries[0]["updated"] if entries else clock.now_text(),
        self_url=base_url + self_path,
        html_url=html_url,
        entries=entries,
    )


def _entry(row: dict, base_url: str) -> dict:
    diff = json.loads(row["diff"] or "[]")
    headline = row["headline"] or row["url"]
    if row["event"] == "edit":
        link = f"{base_url}/watch/{row['watch_id']}/diff?from={row['from_version']}&to={row['to_version']}"
        terms = categories(diff)
        content = str(changes_html(Change.from_dict(c) for c in diff))
        summary = f"{row['summary']} (+{row['words_added']} −{row['words_removed']} words)"
        title = f"{headline}: {row['summary']}"
    else:
        link = f"{base_url}/watch/{row['watch_id']}"
        terms = [row["event"]]
        content = ""
        summary = row["summary"]
        title = f"{headline}: {row['summary']}"
    return {
        "id": f"{_TAG}:watch/{row['watch_id']}/change/{row['id']}",
        "title": title,
        "updated": row["detected_at"],
        "link": link,
        "article_url": safe_href(row["url"]),
        "categories": terms,
        "summary": summary,
        # Plain text on purpose: the template escapes it once more as XML character data.
        "content_html": content,
    }
