"""A diff laid out for reading: the whole article, paragraph by paragraph, with each change in place. Pure.

The diff engine lists changes; readers want the article with the changes
marked where they happened. :func:`body_rows` walks old and new bodies together
and yields one row per paragraph: unchanged, edited, added, removed, moved
(shown once where it left and once where it arrived), or reflowed (split, merged
or re-divided: one row per paragraph of the group, side by side, each carrying
its own share of the group's word marks). The terminal, the HTML
export and the web viewer all render these rows, inline or side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

from monitor.diffing.engine import METADATA_FIELDS, PARAGRAPH_BREAK, REFLOWS, ArticleDiff, Change


@dataclass(frozen=True)
class Row:
    """One paragraph of a diff.

    ``kind`` is ``same``, ``edit``, ``insert``, ``delete``, ``move_from`` (where
    a moved paragraph was), ``move_to`` (where it is now) or ``reflow`` (one
    paragraph of a split, merge or reflow: ``part`` counts from 0 within the
    group, and either side may be missing). ``old_number`` and ``new_number``
    are 1-based paragraph numbers. ``old_words``/``new_words`` are a reflow
    row's word operations for its old and its new paragraph.
    """

    kind: str
    before: str | None
    after: str | None
    old_number: int | None = None
    new_number: int | None = None
    change: Change | None = None
    part: int = 0
    old_words: list | None = None
    new_words: list | None = None

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
    reflowed: dict[int, Change] = {}
    for change in body:
        if change.category in REFLOWS:
            reflowed.update(dict.fromkeys(change.new_indexes or [], change))
            consumed.update(change.old_indexes or [])
    unchanged_old = iter(i for i in range(len(old)) if i not in consumed)
    # Old paragraph of each new position: its edit's, or the next unchanged one (order is kept).
    new_to_old: dict[int, int] = {}
    for j in range(len(new)):
        change = at_new.get(j)
        if j in reflowed:
            continue
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
        if j in reflowed:
            change = reflowed[j]
            if j == change.new_index:
                flush_gone(change.old_index)
                next_old = max(change.old_indexes) + 1
                rows.extend(reflow_rows(change))
            continue
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


def reflow_rows(change: Change) -> list[Row]:
    """The rows of a split, merge or reflow: its old and new paragraphs side by side, in order."""
    sides = []
    for indexes, text, side in (
        (change.old_indexes or [], change.before, "old"),
        (change.new_indexes or [], change.after, "new"),
    ):
        texts = str(text).split(PARAGRAPH_BREAK)
        words = paragraph_words(change.words, side)
        if len(words) != len(texts):  # not as the diff engine wrote it: show the text unmarked
            words = [[["equal", t]] for t in texts]
        sides.append(list(zip(indexes, texts, words, strict=False)))
    rows = []
    for part, (old, new) in enumerate(zip_longest(*sides)):
        i, before, old_words = old or (None, None, None)
        j, after, new_words = new or (None, None, None)
        rows.append(Row(
            "reflow", before, after, None if i is None else i + 1, None if j is None else j + 1, change,
            part, old_words, new_words,
        ))  # fmt: skip
    return rows


def paragraph_words(ops: Sequence[Sequence[str]] | None, side: str) -> list[list[list[str]]]:
    """A reflow's word operations cut into the paragraphs of one side (``old`` or ``new``).

    Paragraph breaks of that side cut; the other side's breaks read as spaces;
    whitespace changed on its own is not marked.
    """
    other = "insert" if side == "old" else "delete"
    paragraphs: list[list[list[str]]] = [[]]
    for op, text in ops or []:
        if op == other:
            text = text.replace(PARAGRAPH_BREAK, " ")
            if not text.isspace():
                paragraphs[-1].append([op, text])
            continue
        for k, piece in enumerate(text.split(PARAGRAPH_BREAK)):
            if k:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(["equal" if piece.isspace() else op, piece])
    return [_trimmed(p) for p in paragraphs]


def _trimmed(ops: list[list[str]]) -> list[list[str]]:
    while ops and not ops[0][1].strip():
        ops = ops[1:]
    while ops and not ops[-1][1].strip():
        ops = ops[:-1]
    if ops:
        ops = [[ops[0][0], ops[0][1].lstrip()], *ops[1:]]
        ops = [*ops[:-1], [ops[-1][0], ops[-1][1].rstrip()]]
    return ops


def reflow_label(category: str, old_numbers: Sequence[int], new_numbers: Sequence[int], edited: bool) -> str:
    """``¶3 split into ¶3–4``, ``¶4–5 merged into ¶4``, ``¶2–3 reflowed`` (1-based numbers)."""
    olds, news = _span(old_numbers), _span(new_numbers)
    also = " and edited" if edited else ""
    if category == "reflow" and olds == news:
        return f"{olds} reflowed{also}"
    verb = {"split": "split into", "merge": "merged into"}.get(category, "reflowed into")
    return f"{olds} {verb} {news}{also}"


def _span(numbers: Sequence[int]) -> str:
    return f"¶{numbers[0]}" if len(numbers) == 1 else f"¶{numbers[0]}–{numbers[-1]}"


def change_label(change: Change) -> str:
    """A short label for one change: ``Headline``, ``¶4 edited``, ``¶9 added``, ``¶2 moved to ¶7``,
    ``¶3 split into ¶3–4``, ``¶4–5 merged into ¶4``."""
    if change.field != "body":
        return {"published": "Published date", "modified": "Updated date"}.get(
            change.field, _LABELS.get(change.field, change.field.capitalize())
        )
    if change.category == "move":
        edited = " and edited" if change.words else ""
        return f"¶{change.old_index + 1} moved to ¶{change.new_index + 1}{edited}"
    if change.category in REFLOWS:
        return reflow_label(
            change.category,
            [i + 1 for i in change.old_indexes or [change.old_index]],
            [j + 1 for j in change.new_indexes or [change.new_index]],
            edited=bool(change.words_added or change.words_removed),
        )
    if change.kind == "edit":
        return f"¶{change.new_index + 1} edited"
    if change.kind == "insert":
        return f"¶{change.new_index + 1} {'correction added' if change.category == 'correction' else 'added'}"
    return f"¶{change.old_index + 1} removed"


def changed_rows(rows: Sequence[Row]) -> list[Row]:
    """Only the rows that changed (where a moved paragraph left is implied by where it arrived)."""
    return [r for r in rows if r.changed and r.kind != "move_from"]


def row_label(row: Row) -> str:
    """The label of a changed row: its change's, or blank for the later rows of a reflow."""
    return "" if row.part else change_label(row.change) if row.change else ""


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
