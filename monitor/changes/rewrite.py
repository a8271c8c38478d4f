"""Rewrites: a new headline over a largely new body, the way breaking stories are redone.

A rewrite is a version like any other; its headline and body changes are kept
paragraph by paragraph (so ``diff`` and alerts show it in full) and carry the
category ``rewrite``, and its summary says so: ``rewritten: headline changed;
2 paragraphs edited; 9 paragraphs added``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.diffing.engine import ArticleDiff
from monitor.diffing.summary import summarize

# A body counts as largely new when at least this share of its words were added by the edit.
REWRITE_SHARE = 0.5
# Categories more specific than "rewrite": a paragraph moved, a correction appended.
_KEPT = ("move", "correction")


@dataclass
class Rewrite(ArticleDiff):
    """An :class:`ArticleDiff` that is a rewrite; its summary was taken before the categories changed."""

    rewrite_summary: str = ""

    @property
    def summary(self) -> str:
        return self.rewrite_summary


def as_rewrite(diff: ArticleDiff, new_body: Sequence[str]) -> ArticleDiff:
    """``diff`` as a :class:`Rewrite` when it changed the headline and most of the body's words, else itself."""
    if isinstance(diff, Rewrite) or not any(c.field == "headline" and c.kind == "edit" for c in diff.changes):
        return diff
    total = sum(len(p.split()) for p in new_body)
    added = sum(c.words_added for c in diff.changes if c.field == "body")
    if not total or added < total * REWRITE_SHARE:
        return diff
    summary = "rewritten: " + summarize(diff.changes)
    for change in diff.changes:
        if change.field in ("headline", "body") and change.category not in _KEPT:
            change.category = "rewrite"
    return Rewrite(diff.changes, rewrite_summary=summary)
