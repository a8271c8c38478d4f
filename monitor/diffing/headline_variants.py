"""The headlines a newsroom edits besides the one editwatch chooses: their names, and their echoes.

A page has up to four more headlines than its chosen ``headline``: the main visible
``<h1>`` (``page_headline``), JSON-LD ``headline`` (``search_headline``), ``og:title``
or ``twitter:title`` (``social_headline``) and ``<title>`` (``title``). Each is a field
of the diff of its own; one that only repeats the headline's edit is folded into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extraction.comparison import HEADLINE_VARIANTS, canonical_text

if TYPE_CHECKING:
    from monitor.diffing.engine import Change

__all__ = ["FIELD_NAMES", "HEADLINE_VARIANTS", "without_echoes"]

# How summaries, alerts and `show` name the headline variants.
FIELD_NAMES = {
    "page_headline": "headline on the page",
    "search_headline": "search headline",
    "social_headline": "social headline",
    "title": "page title",
}


def without_echoes(changes: list[Change], shown_unchanged: bool = False) -> list[Change]:
    """The changes, less variants that only repeat the headline's edit: one edit is reported once.

    A variant echoes the headline when it changed the same way (same before and after),
    or when the headline's edit is all that changed in it (``"Old | Site"`` → ``"New | Site"``).
    With ``shown_unchanged`` (the page's ``<h1>`` is there and did not change), the edit was made
    to a headline readers of the page do not see: the chosen headline was read from that variant
    (``og:title`` on a page without JSON-LD), so the edit is reported as the variant's, with the
    headline's new text carried along.
    """
    headline = next((c for c in changes if c.field == "headline"), None)
    if headline is None:
        return changes
    old, new = (canonical_text(str(v or "")).casefold() for v in (headline.before, headline.after))

    def echoes(change: Change) -> bool:
        before, after = (canonical_text(str(v or "")).casefold() for v in (change.before, change.after))
        if (before, after) == (old, new):
            return True
        at = before.find(old) if old and new else -1
        return at >= 0 and before[:at] + new + before[at + len(old) :] == after

    echoed = [c for c in changes if c.field in HEADLINE_VARIANTS and echoes(c)]
    if echoed and shown_unchanged:
        lead = echoed[0]
        lead.also_in = {"headline": headline.after, **{c.field: c.after for c in echoed[1:]}}
        return [c for c in changes if c is not headline and c not in echoed[1:]]
    if echoed:
        # Kept with the headline's change, so that the diff still rebuilds the new version.
        headline.also_in = {c.field: c.after for c in echoed}
    return [c for c in changes if c not in echoed]
