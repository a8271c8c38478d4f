"""Applying a diff: an old article plus its changes gives the new one. The diff engine's inverse. Pure."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

from crawler.extraction.comparison import HEADLINE_VARIANTS, comparison_key
from monitor.diffing import reflow
from monitor.diffing.engine import METADATA_FIELDS, REFLOWS, Change, DiffDoesNotApply


def apply_diff(old: Mapping, changes: Iterable[Change | Mapping]) -> dict:
    """The article that ``changes`` (as :func:`diff_articles` made them, or their dicts) turn ``old`` into.

    ``apply_diff(a, diff_articles(a, b).changes)`` equals ``b`` in every field
    the diff compares (the diff ignores typography, whitespace and volatile
    counters, so unchanged text keeps its old form). Raises
    :class:`DiffDoesNotApply` when the changes do not fit ``old``.
    """
    new = {name: copy.deepcopy(old.get(name)) for name in (*METADATA_FIELDS, "body")}
    body_changes: list[Change] = []
    for item in changes:
        change = item if isinstance(item, Change) else Change.from_dict(item)
        if change.field in METADATA_FIELDS:
            new[change.field] = copy.deepcopy(change.after)
            new.update(change.also_in or {})
            for name in HEADLINE_VARIANTS:  # a variant the page no longer has is "", not unknown
                if name in (change.field, *(change.also_in or {})) and new[name] is None:
                    new[name] = ""
        elif change.field == "body":
            body_changes.append(change)
        else:
            raise DiffDoesNotApply(f"unknown field {change.field!r}")
    new["body"] = _apply_body(list(old.get("body") or []), body_changes)
    return new


def _apply_body(old: list[str], changes: list[Change]) -> list[str]:
    consumed: set[int] = set()
    placed: dict[int, str] = {}

    def take(index: int | None, before: object) -> None:
        if index is None or not 0 <= index < len(old) or index in consumed:
            raise DiffDoesNotApply(f"no paragraph {index} to change in a body of {len(old)}")
        if before is not None and comparison_key(old[index]) != comparison_key(str(before)):
            raise DiffDoesNotApply(f"paragraph {index + 1} does not read as the change expects")
        consumed.add(index)

    def place(index: int | None, text: object) -> None:
        if index is None or index < 0 or index in placed or not isinstance(text, str):
            raise DiffDoesNotApply(f"cannot place paragraph at {index}")
        placed[index] = text

    for change in changes:
        if change.category in REFLOWS:
            try:
                olds, befores, news, afters = reflow.reflow_parts(change.to_dict())
            except ValueError as exc:
                raise DiffDoesNotApply(str(exc)) from None
            for index, text in zip(olds, befores, strict=True):
                take(index, text)
            for index, text in zip(news, afters, strict=True):
                place(index, text)
        elif change.kind == "delete":
            take(change.old_index, change.before)
        elif change.kind == "insert":
            place(change.new_index, change.after)
        elif change.kind == "edit":
            take(change.old_index, change.before)
            place(change.new_index, change.after)
        else:
            raise DiffDoesNotApply(f"unknown change kind {change.kind!r}")
    length = len(old) - len(consumed) + len(placed)
    if placed and max(placed) >= length:
        raise DiffDoesNotApply(f"paragraph {max(placed) + 1} is past the end of the new body")
    unchanged = iter(text for index, text in enumerate(old) if index not in consumed)
    # Unchanged paragraphs keep their order, so they fill the free places in turn.
    return [placed[j] if j in placed else next(unchanged) for j in range(length)]
