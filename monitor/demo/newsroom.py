"""How the demo site's newsroom words its edits: the text a real desk would write.

A story may carry a script of its own (:class:`NewsroomScript`: the seed story has one),
used in order; after it, and for filler stories, the edits are written from patterns that
stay readable and always change the text they edit (``n`` counts the site's edits), so that a
test or benchmark that edits a story a thousand times gets a new version every time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.demo.stories import Story


# The kinds of edit the demo site makes (see NewsSite.edit).
EDIT_KINDS = (
    "edit_paragraph",
    "insert_paragraph",
    "delete_paragraph",
    "move_paragraph",
    "headline",
    "byline",
    "correction",
    "contributor",
    "social_headline",
)
# The one field of the stored article each kind of edit changes (besides the modified date).
EDIT_FIELDS = {
    "edit_paragraph": "body",
    "insert_paragraph": "body",
    "delete_paragraph": "body",
    "move_paragraph": "body",
    "headline": "headline",
    "byline": "byline",
    "correction": "body",
    "contributor": "body",
    "social_headline": "social_headline",
}


@dataclass(frozen=True)
class NewsroomScript:
    """A story's own edits, each used once, in order."""

    developments: list[str] = field(default_factory=list)  # headlines rewritten for news
    reporting: list[str] = field(default_factory=list)  # paragraphs of added reporting
    corrections: list[str] = field(default_factory=list)  # appended corrections


# Softer words editors reach for when a statement is toned down (one word each, so the
# diff shows exactly what was softened).
SOFTER = {
    "wants": "hopes",
    "will": "may",
    "must": "should",
    "urged": "encouraged",
    "demanded": "asked",
    "refused": "declined",
    "condemned": "criticized",
    "rejected": "questioned",
    "warned": "cautioned",
    "vowed": "pledged",
}
_ATTRIBUTIONS = [", officials said.", ", a diplomat said.", ", according to two people briefed on the talks.",
                 ", a spokesperson said.", ", according to a statement."]  # fmt: skip
_SOURCES = ["A government spokesperson", "A senior official", "A diplomat briefed on the talks",
            "A spokesperson for the ministry", "An aide to the delegation"]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _next(story: Story, kind: str) -> str | None:
    """The story's next scripted text of ``kind``, if its script has one left."""
    script = getattr(story, "script", None)
    lines = getattr(script, kind, None) or []
    used = story.extra.setdefault("newsroom_used", {})
    index = used.get(kind, 0)
    if index >= len(lines):
        return None
    used[kind] = index + 1
    return lines[index]


def softened(paragraph: str, n: int) -> str:
    """``paragraph`` with a statement toned down: its first strong word made softer. Once none
    is left, the claim is attributed to a source (or to another one than before)."""
    words = paragraph.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(".,;:!?\"'“”")
        if bare in SOFTER:
            words[i] = word.replace(bare, SOFTER[bare], 1)
            return " ".join(words)
    current = next((a for a in _ATTRIBUTIONS if paragraph.endswith(a)), None)
    base = paragraph[: -len(current)] if current else paragraph.rstrip().removesuffix(".")
    choice = _ATTRIBUTIONS[n % len(_ATTRIBUTIONS)]
    if choice == current:
        choice = _ATTRIBUTIONS[(n + 1) % len(_ATTRIBUTIONS)]
    return base + choice


def reporting(story: Story, n: int) -> str:
    """A paragraph of added reporting."""
    scripted = _next(story, "reporting")
    if scripted:
        return scripted
    source = _SOURCES[n % len(_SOURCES)]
    return (
        f"{source} said on {_DAYS[n % 7]} that {n + 1} further meetings were planned before the "
        "next round, and that no date had been set for the last of them."
    )


def development(story: Story, n: int) -> str:
    """The headline rewritten for a new development."""
    original = story.extra.setdefault("original_headline", story.headline)
    scripted = _next(story, "developments")
    if scripted:
        return scripted
    return f"{original} as officials meet for a {_ordinal(n + 1)} day"


def correction(story: Story, n: int) -> str:
    """A correction appended to the story."""
    scripted = _next(story, "corrections")
    if scripted:
        return scripted
    return (
        "Correction: An earlier version of this story misstated the number of delegations at "
        f"the talks. There were {n + 3}, not {n + 2}."
    )


_WRITERS = ["Jim Heintz", "Kathy Gannon", "Matthew Lee", "Edith Lederer", "Rahim Faiez", "Daria Litvinova"]
_CITIES = ["Moscow", "Islamabad", "Washington", "New York", "Kabul", "Ankara"]
_SOCIAL = ["What to know: {}", "{}, explained", "Live updates: {}", "Analysis: {}", "Why it matters: {}"]


def contributor(n: int) -> str:
    """The line a desk appends when another reporter helped with the story."""
    return (
        f"Associated Press writer {_WRITERS[n % len(_WRITERS)]} in {_CITIES[(n // 2) % len(_CITIES)]} "
        "contributed to this report."
    )


def social(story: Story, n: int) -> str:
    """Another headline for sharing only (``og:title``), as desks A/B test them: never the current one."""
    base = story.extra.setdefault("original_headline", story.headline)
    current = story.extra.get("social_headline")
    for step in range(len(_SOCIAL)):
        choice = _SOCIAL[(n + step) % len(_SOCIAL)].format(base)
        if choice != current:
            return choice
    return f"{base} ({n})"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# Reporters who join a byline when a story is updated.
_CO_AUTHORS = ["Nataliya Vasilyeva", "Daria Litvinova", "Kathy Gannon", "Matthew Lee", "Rahim Faiez",
               "Aamer Madhani", "Jim Heintz", "Edith Lederer"]  # fmt: skip


def co_author(byline: list[str], n: int) -> str:
    """A reporter who joins the byline of an updated story (the ``n``th update)."""
    free = [name for name in _CO_AUTHORS if name not in byline]
    return free[0] if free else f"{_CO_AUTHORS[n % len(_CO_AUTHORS)]} Jr."
