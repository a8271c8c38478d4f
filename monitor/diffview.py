"""A diff laid out for reading: the whole article, paragraph by paragraph, with each change in place. Pure.

The diff engine lists changes; readers want the article with the changes
marked where they happened. :func:`body_rows` walks old and new bodies together
and yields one row per paragraph: unchanged, edited, added, removed, or moved
(shown once where it left and once where it arrived). The terminal, the HTML
export and the web viewer all render these rows, inline or side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.diff import METADATA_FIELDS, ArticleDiff, Change


@dataclass(frozen=True)
class Row:
    """One paragraph of a diff.

    ``kind`` is ``same``, ``edit``, ``insert``, ``delete``, ``move_from`` (where
    a moved paragraph was) or ``move_to`` (where it is now). ``old_number`` and
    ``new_number`` are 1-based paragraph numbers.
    """

    kind: str
    before: str | None
    after: str | None
    old_number: int | None = None
    new_number: int | None = None
    change: Change | None = None

    @property
    def changed(self) -> bool:
        return self.kind != "same"


@dataclass(frozen=True)
class FieldRow:
    """A changed metadata field (headline, byline, dates) as text, with word marks for the headline."""

    name: str
    label: str
    before: str
    after: str
    change: Change


_LABELS = {
    "headline": "Headline",
    "page_headline": "Headline on the page",
    "search_headline": "Search headline",
    "social_headline": "Social headline",
    "title": "Page title",
    "byline": "Byline",
    "published": "Published",
    "modified": "Updated",
}


def field_rows(diff: ArticleDiff) -> list[FieldRow]:
    """The changed metadata fields, in article order."""
    rows = []
    for name in METADATA_FIELDS:
        for change in diff.changes:
            if change.field == name:
                rows.append(
                    FieldRow(name, _LABELS[name], _as_text(change.before), _as_text(change.after), change)
                )
    return rows


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def body_rows(old: Sequence[str], new: Sequence[str], diff: ArticleDiff) -> list[Row]:
    """Every paragraph of old and new bodies, in reading order, each with its change (if any)."""
    body = [c for c in diff.changes if c.field == "body"]
    at_new = {c.new_index: c for c in body if c.kind in ("insert", "edit")}
    gone = {c.old_index: c for c in body if c.kind == "delete" or c.category == "move"}
    consumed = {c.old_index for c in body if c.kind in ("delete", "edit")}
    unchanged_old = iter(i for i in range(len(old)) if i not in consumed)
    # Old paragraph of each new position: its edit's, or the next unchanged one (order is kept).
    new_to_old: dict[int, int] = {}
    for j in range(len(new)):
        change = at_new.get(j)
        if change is None:
            new_to_old[j] = next(unchanged_old)
        elif change.category != "move":
            new_to_old[j] = change.old_index

    rows: list[Row] = []
    next_old = 0

    def flush_gone(until: int) -> None:
        nonlocal next_old
        for i in range(next_old, until):
            change = gone.get(i)
            if change is None:
                continue
            if change.kind == "delete":
                rows.append(Row("delete", old[i], None, old_number=i + 1, change=change))
            else:
                rows.append(Row("move_from", old[i], None, i + 1, change.new_index + 1, change))
        next_old = max(next_old, until)

    for j, text in enumerate(new):
        change = at_new.get(j)
        i = new_to_old.get(j)
        if i is not None:
            flush_gone(i)
            next_old = i + 1
        if change is None:
            rows.append(Row("same", old[i], text, i + 1, j + 1))
        elif change.kind == "insert":
            rows.append(Row("insert", None, text, new_number=j + 1, change=change))
        elif change.category == "move":
            rows.append(Row("move_to", change.before, text, change.old_index + 1, j + 1, change))
        else:
            rows.append(Row("edit", old[i], text, i + 1, j + 1, change))
    flush_gone(len(old))
    return rows


def change_label(change: Change) -> str:
    """A short label for one change: ``Headline``, ``¶4 edited``, ``¶9 added``, ``¶2 moved to ¶7``."""
    if change.field != "body":
        return {"published": "Published date", "modified": "Updated date"}.get(
            change.field, _LABELS.get(change.field, change.field.capitalize())
        )
    if change.category == "move":
        edited = " and edited" if change.words else ""
        return f"¶{change.old_index + 1} moved to ¶{change.new_index + 1}{edited}"
    if change.kind == "edit":
        return f"¶{change.new_index + 1} edited"
    if change.kind == "insert":
        return f"¶{change.new_index + 1} {'correction added' if change.category == 'correction' else 'added'}"
    return f"¶{change.old_index + 1} removed"


def changed_rows(rows: Sequence[Row]) -> list[Row]:
    """Only the rows that changed (where a moved paragraph left is implied by where it arrived)."""
    return [r for r in rows if r.changed and r.kind != "move_from"]


@dataclass(frozen=True)
class RowGroup:
    """Consecutive rows; a long run of unchanged paragraphs is ``collapsed`` (shown folded)."""

    rows: list[Row]
    collapsed: bool = False


def fold_unchanged(rows: Sequence[Row], min_run: int = 3) -> list[RowGroup]:
    """Group rows so that runs of at least ``min_run`` unchanged paragraphs can be folded away."""
    groups: list[RowGroup] = []
    run: list[Row] = []

    def close_run() -> None:
        if run:
            groups.append(RowGroup(list(run), collapsed=len(run) >= min_run))
            run.clear()

    for row in rows:
        if row.kind == "same":
            run.append(row)
            continue
        close_run()
        if groups and not groups[-1].collapsed:
            groups[-1].rows.append(row)
        else:
            groups.append(RowGroup([row]))
    close_run()
    return groups
