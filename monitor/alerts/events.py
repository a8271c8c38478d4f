"""Alert events: which changes a rule wants, and the JSON event a change becomes.

The event is built once, inside the transaction that records the change, and
stored in the outbox; every channel renders its message from that JSON.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.diffing.engine import METADATA_FIELDS
from storage import Change, Watch
from storage.alert_records import AlertRule

EVENTS = ("edit", "removed", "restored", "moved", "failing", "ab_test")
DEFAULT_EVENTS = tuple(e for e in EVENTS if e != "failing")
# The fields an edit can change, as `diff` names them; a rule may follow some of them only.
FIELDS = (*METADATA_FIELDS, "body")
_FIELD_EVENTS = ("edit", "ab_test")

# Keys of a diff entry copied into an event's "changes", besides field, kind, before, after.
_CHANGE_EXTRAS = ("category", "variants", "words_added", "words_removed")


def parse_events(values: Iterable[str]) -> list[str]:
    """Event names from ``--on`` values (comma-separated, repeatable; ``all`` for every event)."""
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip().lower().replace("-", "_")
            if not name:
                continue
            if name == "all":
                names.extend(EVENTS)
            elif name in EVENTS:
                names.append(name)
            else:
                raise ValueError(f"unknown event {name!r}; choose from {', '.join(EVENTS)} (or all)")
    return list(dict.fromkeys(names)) or list(DEFAULT_EVENTS)


def parse_fields(values: Iterable[str]) -> list[str] | None:
    """Field names from ``--field`` values (comma-separated, repeatable); ``None`` when none are given."""
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip().lower().replace("-", "_")
            if not name:
                continue
            if name not in FIELDS:
                raise ValueError(f"unknown field {name!r}; choose from {', '.join(FIELDS)}")
            names.append(name)
    return list(dict.fromkeys(names)) or None


def change_size(diff: list[dict]) -> int:
    """Words added plus words removed by an edit; byline names count by their words, dates as nothing."""
    size = 0
    for entry in diff:
        if entry.get("field") == "byline":
            before = {n.casefold() for n in entry.get("before") or []}
            after = {n.casefold() for n in entry.get("after") or []}
            size += sum(len(n.split()) for n in before ^ after)
        else:
            size += int(entry.get("words_added") or 0) + int(entry.get("words_removed") or 0)
    return size


def rule_wants(rule: AlertRule, watch: Watch, change: Change) -> bool:
    """Whether ``rule`` asks for an alert about ``change`` of ``watch``."""
    if change.event not in rule.events:
        return False
    if rule.watch_id is not None and rule.watch_id != watch.id:
        return False
    if rule.label is not None and rule.label != watch.label:
        return False
    if rule.fields and change.event in _FIELD_EVENTS and not set(change.fields or ()) & set(rule.fields):
        return False
    return not (change.event == "edit" and rule.min_words and change_size(change.diff) < rule.min_words)


def build_event(watch: Watch, change: Change, headline: str | None) -> dict:
    """The webhook JSON of a change (without its ``id``, which each queued alert gets)."""
    changes = []
    for entry in change.diff:
        item = {
            "field": entry.get("field"),
            "kind": entry.get("kind"),
            "before": entry.get("before"),
            "after": entry.get("after"),
        }
        index = entry.get("new_index") if entry.get("new_index") is not None else entry.get("old_index")
        if entry.get("field") == "body" and index is not None:
            item["paragraph"] = index + 1
        if entry.get("category") == "move":
            item["from_paragraph"] = entry["old_index"] + 1
        if entry.get("old_indexes") and entry.get("new_indexes"):
            # A split, merge or reflow spans paragraphs on both sides.
            item["from_paragraphs"] = [i + 1 for i in entry["old_indexes"]]
            item["paragraphs"] = [j + 1 for j in entry["new_indexes"]]
        item.update({k: entry[k] for k in _CHANGE_EXTRAS if entry.get(k) is not None})
        changes.append(item)
    url = watch.url
    for item in changes:
        if item["field"] == "url" and item.get("after"):
            url = item["after"]  # a moved article: point at where it lives now
    return {
        "event": change.event,
        "url": url,
        "watch_id": watch.id,
        "label": watch.label,
        "headline": headline,
        "from_version": change.from_version,
        "to_version": change.to_version,
        "fields": change.fields,
        "summary": change.summary,
        "changes": changes,
        "words_added": change.words_added,
        "words_removed": change.words_removed,
        "change_id": change.id,
        "detected_at": change.detected_at,
    }
