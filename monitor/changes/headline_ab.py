"""Headline A/B tests: a headline that keeps alternating among two or three variants.

Newsrooms test headlines by serving variants to different readers, so checks
see the headline flip back and forth. Each flip is a real new version, but
reporting each as an edit floods the reader. A headline that returns to a
variant seen a few versions ago, while at most :data:`MAX_VARIANTS` variants
are in play, is a flip-flop: reported once as an ``ab_test``, then recorded
quietly for as long as it keeps rotating among the same variants. The other headlines a
newsroom tests separately (the page's ``<h1>``, the search and social headlines, the
``<title>``) are judged the same way, each against its own history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crawler.extraction.comparison import comparison_key
from monitor.diffing.engine import FIELD_NAMES, HEADLINE_VARIANTS

MAX_VARIANTS = 3
# How many recent versions are looked at; a variant older than this is an ordinary revert.
WINDOW = 12


@dataclass(frozen=True)
class FlipFlop:
    """The new headline is one of a few variants the page alternates among."""

    variants: list[str]  # in the order they first appeared
    first: bool  # the first time this set of variants is seen alternating
    field: str = "headline"  # or one of the headline variants (social_headline, title...)

    @property
    def summary(self) -> str:
        quoted = " / ".join(f"“{v}”" for v in self.variants)
        lead = "headline A/B test"
        if self.field != "headline":
            lead += f" ({FIELD_NAMES.get(self.field, self.field)})"
        if not self.first:
            lead += ", variant shown again"
        return f"{lead}: {len(self.variants)} variants alternate: {quoted}"


def headline_flip(history: Sequence[str], new: str, window: int = WINDOW) -> FlipFlop | None:
    """Whether ``new`` (replacing ``history[-1]``) is a flip among a few headline variants.

    ``history`` holds the headlines of the latest versions, oldest first.
    """
    sequence = _runs([*history[-window:], new])
    if len(sequence) < 3:
        return None
    variants = _returns_to(sequence, len(sequence) - 1)
    if variants is None:
        return None
    # Already reported if an earlier flip in the window covered these variants.
    first = not any(
        (earlier := _returns_to(sequence, i)) is not None and set(variants) <= set(earlier)
        for i in range(2, len(sequence) - 1)
    )
    texts = {comparison_key(h): h for h in [*history[-window:], new]}
    return FlipFlop(variants=[texts[v] for v in variants], first=first)


def headline_flips(
    changed: Sequence[str], new: Mapping[str, str | None], history: Mapping[str, Sequence[str]]
) -> dict[str, FlipFlop] | None:
    """The flip of each changed headline field, when every one of them flips among a few variants.

    ``changed`` names the changed fields (``modified`` is ignored: pages bump it with any
    variant they serve); ``new`` holds the new values; ``history`` each field's values in
    the latest versions, oldest first. ``None`` when any other field changed, or when a
    changed headline is an ordinary edit.
    """
    flips: dict[str, FlipFlop] = {}
    for name in changed:
        if name == "modified":
            continue
        if name != "headline" and name not in HEADLINE_VARIANTS:
            return None
        flip = headline_flip(history.get(name, ()), new.get(name) or "")
        if flip is None:
            return None
        flips[name] = FlipFlop(flip.variants, flip.first, name)
    return flips or None


def _runs(headlines: Sequence[str]) -> list[str]:
    """Comparison keys with repeats collapsed: versions that kept the headline count once."""
    keys: list[str] = []
    for headline in headlines:
        key = comparison_key(headline or "")
        if not keys or keys[-1] != key:
            keys.append(key)
    return keys


def _returns_to(sequence: list[str], i: int) -> list[str] | None:
    """The variants in play if ``sequence[i]`` returns to an earlier headline, else ``None``."""
    current = sequence[i]
    earlier = [j for j in range(i - 1) if sequence[j] == current]
    if not earlier:
        return None
    variants = list(dict.fromkeys(sequence[earlier[-1] : i + 1]))
    return variants if len(variants) <= MAX_VARIANTS else None
