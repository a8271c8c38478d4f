"""A list of changes in one line of words ("headline changed; paragraph 3 edited"). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from monitor.diffing import reflow
from monitor.diffing.headline_variants import FIELD_NAMES
from monitor.diffing.reflow import REFLOWS

if TYPE_CHECKING:
    from monitor.diffing.engine import Change


def _numbers(indexes: list[int]) -> str:
    numbers = [str(i + 1) for i in sorted(indexes)]
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    return "paragraphs " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def summarize(changes: Sequence[Change]) -> str:
    """A one-line account of a list of changes."""
    parts: list[str] = []
    by_category: dict[str, list[Change]] = {}
    for change in changes:
        by_category.setdefault(change.category, []).append(change)
    for name in ("headline", "byline"):
        for change in by_category.get(name, []):
            verb = {"insert": "added", "delete": "removed"}.get(change.kind, "changed")
            parts.append(f"{FIELD_NAMES.get(change.field, name)} {verb}")
    for change in by_category.get("dates", []):
        if change.field == "published":
            parts.append("published date changed")
    edits = [c.new_index for c in by_category.get("edit", []) if c.field == "body"]
    # A paragraph that moved and was reworded on the way counts as moved and as edited.
    edits += [c.new_index for c in by_category.get("move", []) if c.words_added or c.words_removed or c.words]
    if edits:
        parts.append(f"{_numbers(edits)} edited" if len(edits) <= 3 else f"{len(edits)} paragraphs edited")
    parts += reflow.reflow_summary([c for c in changes if c.category in REFLOWS])
    if by_category.get("addition"):
        parts.append(f"{_count(len(by_category['addition']), 'paragraph')} added")
    if by_category.get("deletion"):
        parts.append(f"{_count(len(by_category['deletion']), 'paragraph')} removed")
    if by_category.get("move"):
        parts.append(f"{_count(len(by_category['move']), 'paragraph')} moved")
    if by_category.get("correction"):
        parts.append("correction appended")
    if not parts and any(c.field == "modified" for c in changes):
        parts.append("updated date changed")
    return "; ".join(parts) if parts else "no changes"
