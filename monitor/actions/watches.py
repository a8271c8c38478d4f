"""Adding, importing, relabelling, pausing, resuming and removing watches: the CLI's and the web app's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.urls import InvalidURL, canonicalize_url
from monitor.actions import BadInput
from monitor.daemon.schedule import format_duration, parse_duration

if TYPE_CHECKING:
    from storage import Store
    from storage.watches import Watch

# `--every auto`: back to the age-based schedule (an interval of None).
AUTO = "auto"
UNCHANGED = object()


def parse_interval(every: str | None, option: str = "--every") -> int | object | None:
    """The interval asked for: seconds, ``None`` for auto, or :data:`UNCHANGED` when not given."""
    if every is None:
        return UNCHANGED
    if every.strip().lower() == AUTO:
        return None
    try:
        seconds = parse_duration(every)
    except ValueError as exc:
        raise BadInput(f"{option}: {exc}, or auto for the age-based schedule") from None
    if seconds < 1:
        raise BadInput(f"{option} {every}: the shortest interval is 1s")
    return round(seconds)


def schedule_name(interval: int | None) -> str:
    """``age-based`` or the interval as people write it."""
    return "age-based" if interval is None else format_duration(interval)


def watch_url(
    store: Store, url: str, label: str | None, interval: int | object | None
) -> tuple[Watch, bool, list[str]]:
    """Add ``url``, or give its existing watch the label and interval asked for.

    Returns the watch, whether it is new, and what changed on an existing one, in words.
    """
    existing = store.watches.find(url)
    if existing is None:
        interval_seconds = None if interval is UNCHANGED else interval
        watch, created = store.watches.add(url, label=label, interval_seconds=interval_seconds)
        if created:
            return watch, True, []
        existing = watch  # added meanwhile by another process
    changes = []
    if interval is not UNCHANGED and interval != existing.interval_seconds:
        store.watches.set_interval(existing.id, interval)
        changes.append(
            f"interval changed from {schedule_name(existing.interval_seconds)} to {schedule_name(interval)}"
        )
    if label is not None and label != existing.label:
        store.watches.set_label(existing.id, label)
        changes.append(f"label changed from {existing.label or '(none)'} to {label}")
    return existing, False, changes


def add_watch(store: Store, url: str, label: str | None = None, every: str | None = None) -> dict:
    """``editwatch add``: validated first, so that bad input stores nothing."""
    try:
        normalized = canonicalize_url(url)
    except InvalidURL as exc:
        raise BadInput(str(exc)) from None
    interval = parse_interval(every)
    watch, created, changes = watch_url(store, normalized, label or None, interval)
    verb = "added" if created else "; ".join(["already watching", *changes])
    return {"id": watch.id, "url": watch.url, "created": created, "changes": changes, "message": verb}


@dataclass
class ImportResult:
    """What ``import`` did: counts, and one line per invalid line."""

    added: int = 0
    existing: int = 0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The result for ``/api/``."""
        return {"added": self.added, "existing": self.existing, "invalid": self.problems}

    @property
    def summary(self) -> str:
        """The line ``import`` prints."""
        return f"imported {self.added} new watches ({self.existing} already watched, {len(self.problems)} invalid)"


def import_urls(
    store: Store, text: str, name: str = "list", label: str | None = None, every: str | None = None
) -> ImportResult:
    """``editwatch import``: watch every URL in ``text``, one a line (``#`` comments and blanks skipped)."""
    interval = parse_interval(every)
    result = ImportResult()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            url = canonicalize_url(line)
        except InvalidURL as exc:
            result.problems.append(f"{name}:{number}: {exc}")
            continue
        _, created, _ = watch_url(store, url, label or None, interval)
        result.added += created
        result.existing += not created
    return result


def remove_watch(store: Store, ref: str | int) -> dict:
    """``editwatch remove``: stop watching and delete the history."""
    target = store.watches.resolve(ref)
    counts = store.watches.remove(target.id)
    if counts is None:
        raise BadInput(f"could not remove {ref}")
    deleted = counts.get("versions", 0)
    return {"id": target.id, "url": target.url, "versions_deleted": deleted,
            "message": f"removed ({deleted} versions deleted)"}  # fmt: skip


def relabel_watch(store: Store, ref: str | int, label: str | None) -> dict:
    """``editwatch add URL --label``: a new label (empty: none)."""
    target = store.watches.resolve(ref)
    watch = store.watches.set_label(target.id, (label or "").strip() or None)
    return {
        "id": watch.id,
        "url": watch.url,
        "label": watch.label,
        "message": f"label {watch.label or '(none)'}",
    }


def pause_watch(store: Store, ref: str | int) -> dict:
    """``editwatch pause``: keep the watch and its history, fetch it no more until resumed."""
    target = store.watches.resolve(ref)
    if target.state == "retired":
        raise BadInput(f"watch {target.id} is retired: it is no longer checked")
    store.watches.pause(target.id)
    return {"id": target.id, "url": target.url, "state": "paused", "message": "paused"}


def resume_watch(store: Store, ref: str | int) -> dict:
    """``editwatch resume``: check a paused watch again, starting now."""
    target = store.watches.resolve(ref)
    if target.state != "paused":
        raise BadInput(f"watch {target.id} is not paused (it is {target.state})")
    store.watches.resume(target.id)
    return {"id": target.id, "url": target.url, "state": "active", "message": "resumed: due now"}
