"""``editwatch export``: the history as flat records for research (JSON Lines or CSV).

Three shapes, one record each:

- ``edits``: every field-level change between consecutive versions (a headline
  rewrite, an edited paragraph...), with its category and word counts, as the
  diff engine recorded it when the version was stored;
- ``versions``: every stored version with its full text;
- ``changes``: every recorded change event (edits, removals, restorations) with its summary.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO

from monitor.changes.timeline import categories
from monitor.diffing.engine import Change
from storage import Store, Watch

SHAPES = ("edits", "versions", "changes")
FORMATS = ("jsonl", "csv")

COLUMNS = {
    "edits": [
        "watch_id", "url", "label", "from_version", "to_version", "detected_at", "field", "kind",
        "category", "old_paragraph", "new_paragraph", "before", "after", "words_added", "words_removed",
    ],
    "versions": [
        "watch_id", "url", "label", "version", "fetched_at", "served_from", "content_hash", "extractor",
        "headline", "byline", "published", "modified", "paragraphs", "words", "body",
        "page_headline", "search_headline", "social_headline", "title", "source", "archive_url",
    ],
    "changes": [
        "change_id", "watch_id", "url", "label", "event", "from_version", "to_version", "detected_at",
        "summary", "fields", "categories", "words_added", "words_removed",
    ],
}  # fmt: skip


def edit_records(store: Store, watches: Iterable[Watch]) -> Iterator[dict]:
    """Field-level changes between consecutive versions, oldest first, as they were recorded."""
    for watch in watches:
        for recorded in store.changes.for_watch(watch.id):
            if recorded.event != "edit":
                continue
            for item in recorded.diff:
                change = Change.from_dict(item)
                record = {
                    "watch_id": watch.id, "url": watch.url, "label": watch.label,
                    "from_version": recorded.from_version, "to_version": recorded.to_version,
                    "detected_at": recorded.detected_at, "field": change.field, "kind": change.kind,
                    "category": change.category,
                    "old_paragraph": None if change.old_index is None else change.old_index + 1,
                    "new_paragraph": None if change.new_index is None else change.new_index + 1,
                    "before": change.before, "after": change.after,
                    "words_added": change.words_added, "words_removed": change.words_removed,
                }  # fmt: skip
                if change.words:
                    record["words"] = change.words
                if change.sentences:
                    record["sentences"] = change.sentences
                yield record


def version_records(store: Store, watches: Iterable[Watch]) -> Iterator[dict]:
    """Every version with its text, oldest first."""
    for watch in watches:
        for v in store.versions.all(watch.id):
            yield {
                "watch_id": watch.id, "url": watch.url, "label": watch.label, "version": v.number,
                "fetched_at": v.fetched_at, "served_from": v.url, "content_hash": v.content_hash,
                "extractor": v.extractor, "headline": v.headline, "byline": v.byline,
                "published": v.published, "modified": v.modified, "paragraphs": len(v.body),
                "words": sum(len(p.split()) for p in v.body), "body": v.body,
                "page_headline": v.page_headline, "search_headline": v.search_headline,
                "social_headline": v.social_headline, "title": v.title, "source": v.source,
                "archive_url": v.archive_url,
            }  # fmt: skip


def change_records(store: Store, watches: Iterable[Watch]) -> Iterator[dict]:
    """Every recorded change event, oldest first."""
    for watch in watches:
        for c in store.changes.for_watch(watch.id):
            yield {
                "change_id": c.id, "watch_id": watch.id, "url": watch.url, "label": watch.label,
                "event": c.event, "from_version": c.from_version, "to_version": c.to_version,
                "detected_at": c.detected_at, "summary": c.summary, "fields": c.fields,
                "categories": categories(c.diff), "words_added": c.words_added,
                "words_removed": c.words_removed,
            }  # fmt: skip


RECORDS = {"edits": edit_records, "versions": version_records, "changes": change_records}


def _cell(column: str, value: object) -> object:
    """A CSV cell: a body as paragraphs separated by blank lines, other lists as ``a; b``."""
    if column == "body" and isinstance(value, list):
        return "\n\n".join(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write(records: Iterable[dict], shape: str, fmt: str, out: IO[str]) -> int:
    """Write records to ``out`` as JSON Lines or CSV; returns how many were written."""
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=COLUMNS[shape], extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _cell(k, v) for k, v in record.items()})
        count += 1
    return count
