"""Diffs for people on a terminal: word-level marks in color, or ``[-…-]{+…+}`` when piped.

Two layouts: inline (one line per change, words marked in place) and side by
side (before and after in two columns).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor.diffing.engine import REFLOWS, ArticleDiff, Change
from monitor.diffing.view import body_rows, change_label, changed_rows, field_rows, paragraph_words, row_label

DELETE_STYLE = "red strike"
INSERT_STYLE = "green bold"


def marked_words(ops: Iterable[list[str]], color: bool, side: str | None = None) -> Text:
    """Render word operations; without color, deletions are ``[-x-]`` and insertions ``{+y+}``.

    ``side="old"`` keeps only deletions (the before column), ``"new"`` only insertions.
    """
    text = Text()
    for op, words in ops:
        if op == "equal":
            text.append(words)
        elif op == "delete" and side != "new":
            text.append(words if color else f"[-{words}-]", style=DELETE_STYLE if color else "")
        elif op == "insert" and side != "old":
            text.append(words if color else f"{{+{words}+}}", style=INSERT_STYLE if color else "")
    return text


def _whole(text: str, op: str, color: bool) -> Text:
    if color:
        return Text(text, style=INSERT_STYLE if op == "insert" else DELETE_STYLE)
    return Text(f"{{+{text}+}}" if op == "insert" else f"[-{text}-]")


def _line(label: str, body: Text | str, color: bool) -> Text:
    line = Text(f"{label}: ", style="bold" if color else "")
    line.append(body if isinstance(body, Text) else Text(body))
    return line


def change_lines(change: Change, color: bool) -> list[Text]:
    """One or more lines describing a single change."""
    label = change_label(change)
    if change.category in REFLOWS:
        # The new paragraphs, one a line, with the words that really changed marked.
        first, *rest = paragraph_words(change.words, "new") or [[]]
        return [_line(label, marked_words(first, color), color)] + [
            Text("    ").append(marked_words(words, color)) for words in rest
        ]
    if change.words:
        return [_line(label, marked_words(change.words, color), color)]
    if change.field != "body":
        before = ", ".join(change.before) if isinstance(change.before, list) else change.before
        after = ", ".join(change.after) if isinstance(change.after, list) else change.after
        return [_line(label, f"{before or '(none)'} → {after or '(none)'}", color)]
    if change.category == "move":
        return [_line(label, str(change.after), color)]
    if change.kind == "insert":
        return [_line(label, _whole(str(change.after), "insert", color), color)]
    return [_line(label, _whole(str(change.before), "delete", color), color)]


def _color(console: Console) -> bool:
    return console.is_terminal and not console.no_color


def print_diff(console: Console, changes: list[Change], header: str) -> None:
    """Print a whole diff under a header line, one change after another."""
    color = _color(console)
    console.print(Text(header, style="bold" if color else ""), soft_wrap=True)
    if not changes:
        console.print("no changes", soft_wrap=True)
        return
    for change in changes:
        for line in change_lines(change, color):
            console.print(line, soft_wrap=True)


def print_side_by_side(
    console: Console, diff: ArticleDiff, old_body: list[str], new_body: list[str], header: str
) -> None:
    """Print the changed fields and paragraphs as a two-column table: before | after."""
    color = _color(console)
    console.print(Text(header, style="bold" if color else ""), soft_wrap=True)
    if not diff:
        console.print("no changes", soft_wrap=True)
        return
    table = Table(show_lines=True, expand=True, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("before", ratio=1, overflow="fold")
    table.add_column("after", ratio=1, overflow="fold")
    for row in field_rows(diff):
        if row.change.words:
            left = marked_words(row.change.words, color, side="old")
            right = marked_words(row.change.words, color, side="new")
        else:
            left = _whole(row.before, "delete", color) if row.before else Text("")
            right = _whole(row.after, "insert", color) if row.after else Text("")
        table.add_row(row.label, left, right)
    for row in changed_rows(body_rows(old_body, new_body, diff)):
        change = row.change
        label = row_label(row)
        if row.kind == "reflow":
            left = marked_words(row.old_words or [], color, side="old")
            right = marked_words(row.new_words or [], color, side="new")
        elif change.words:
            left = marked_words(change.words, color, side="old")
            right = marked_words(change.words, color, side="new")
        elif row.kind == "insert":
            left, right = Text(""), _whole(row.after, "insert", color)
        elif row.kind == "delete":
            left, right = _whole(row.before, "delete", color), Text("")
        else:  # moved unchanged
            left, right = Text(row.before or ""), Text(row.after or "")
        table.add_row(label, left, right)
    console.print(table)
