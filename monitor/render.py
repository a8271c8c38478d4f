"""Diffs for people: word-level marks in color on a terminal, in ``[-…-]{+…+}`` form when piped."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from monitor.diff import Change

DELETE_STYLE = "red strike"
INSERT_STYLE = "green bold"


def marked_words(ops: Iterable[list[str]], color: bool) -> Text:
    """Render word operations; without color, deletions are ``[-x-]`` and insertions ``{+y+}``."""
    text = Text()
    for op, words in ops:
        if op == "equal":
            text.append(words)
        elif op == "delete":
            text.append(words if color else f"[-{words}-]", style=DELETE_STYLE if color else "")
        elif op == "insert":
            text.append(words if color else f"{{+{words}+}}", style=INSERT_STYLE if color else "")
    return text


def _line(label: str, body: Text | str, color: bool) -> Text:
    line = Text(f"{label}: ", style="bold" if color else "")
    line.append(body if isinstance(body, Text) else Text(body))
    return line


def change_lines(change: Change, color: bool) -> list[Text]:
    """One or more lines describing a single change."""
    if change.field != "body":
        name = change.field
        if change.words:
            return [_line(name, marked_words(change.words, color), color)]
        before = ", ".join(change.before) if isinstance(change.before, list) else change.before
        after = ", ".join(change.after) if isinstance(change.after, list) else change.after
        return [_line(name, f"{before or '(none)'} → {after or '(none)'}", color)]
    if change.category == "move":
        return [_line(f"¶{change.old_index + 1} moved to ¶{change.new_index + 1}", str(change.after), color)]
    if change.kind == "edit":
        return [_line(f"¶{change.new_index + 1} edited", marked_words(change.words or [], color), color)]
    if change.kind == "insert":
        what = "correction" if change.category == "correction" else "added"
        body = Text(str(change.after), style=INSERT_STYLE if color else "")
        if not color:
            body = Text(f"{{+{change.after}+}}")
        return [_line(f"¶{change.new_index + 1} {what}", body, color)]
    body = Text(str(change.before), style=DELETE_STYLE if color else "")
    if not color:
        body = Text(f"[-{change.before}-]")
    return [_line(f"¶{change.old_index + 1} removed", body, color)]


def print_diff(console: Console, changes: list[Change], header: str) -> None:
    """Print a whole diff under a header line."""
    color = console.is_terminal and not console.no_color
    console.print(Text(header, style="bold" if color else ""), soft_wrap=True)
    if not changes:
        console.print("no changes", soft_wrap=True)
        return
    for change in changes:
        for line in change_lines(change, color):
            console.print(line, soft_wrap=True)
