"""``editwatch search``: which articles ever contained a phrase, and when it came and went.

Storage finds candidate versions with FTS5; here each candidate is checked for
the phrase inside one field (a paragraph, the headline, a byline name), so a
phrase that merely spans two paragraphs does not count, and the versions that
contain it are turned into a timeline: the versions that added it and those
that removed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from storage import Store, Version

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Words as FTS5's unicode61 tokenizer sees them: case and accents folded, punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(folded)


def contains_phrase(text: str, phrase_words: Sequence[str]) -> bool:
    """Whether ``text`` holds ``phrase_words`` one after another."""
    if not phrase_words:
        return False
    tokens = words(text)
    n = len(phrase_words)
    return any(tokens[k : k + n] == list(phrase_words) for k in range(len(tokens) - n + 1))


def fields_containing(version: Version, phrase_words: Sequence[str]) -> list[str]:
    """The fields of a version (``headline``, ``byline``, ``body``) in which the phrase appears."""
    found = []
    if contains_phrase(version.headline or "", phrase_words):
        found.append("headline")
    if any(contains_phrase(name, phrase_words) for name in version.byline):
        found.append("byline")
    if any(contains_phrase(p, phrase_words) for p in version.body):
        found.append("body")
    return found


def first_passage(version: Version, phrase_words: Sequence[str]) -> str | None:
    """The first paragraph (or the headline) of a version that contains the phrase."""
    for text in [version.headline or "", *version.byline, *version.body]:
        if contains_phrase(text, phrase_words):
            return text
    return None


def presence_timeline(all_numbers: Iterable[int], containing: Iterable[int]) -> tuple[list[int], list[int]]:
    """Versions where a phrase appeared (``added_in``) and where it disappeared (``removed_in``).

    A phrase present in version 1 counts as added in version 1.
    """
    present = set(containing)
    added, removed = [], []
    before = False
    for number in sorted(all_numbers):
        now = number in present
        if now and not before:
            added.append(number)
        elif before and not now:
            removed.append(number)
        before = now
    return added, removed


@dataclass
class PhraseHistory:
    """One article's history with a phrase (the JSON ``search`` prints, one per article)."""

    url: str
    watch_id: int
    added_in: list[int]
    removed_in: list[int]
    versions: list[int]
    headline: str | None = None
    label: str | None = None
    present_now: bool = False
    latest_version: int = 0
    fields: list[str] = field(default_factory=list)
    passage: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return asdict(self)


def search_phrase(store: Store, phrase: str) -> list[PhraseHistory]:
    """Every article that ever contained ``phrase``, with the versions that added and removed it."""
    phrase_words = words(phrase)
    by_watch: dict[int, list[Version]] = {}
    for version in store.search.versions_matching(phrase):
        by_watch.setdefault(version.watch_id, []).append(version)
    results = []
    for watch_id, candidates in by_watch.items():
        matching = [(v, fields_containing(v, phrase_words)) for v in candidates]
        matching = [(v, f) for v, f in matching if f]
        if not matching:
            continue
        watch = store.watches.get(watch_id)
        numbers = [row["number"] for row in store.versions.headlines(watch_id)]
        containing = [v.number for v, _ in matching]
        added, removed = presence_timeline(numbers, containing)
        last, _ = matching[-1]
        found_in = sorted(
            {name for _, names in matching for name in names}, key=("headline", "byline", "body").index
        )
        results.append(
            PhraseHistory(
                url=watch.url,
                watch_id=watch_id,
                added_in=added,
                removed_in=removed,
                versions=containing,
                headline=last.headline,
                label=watch.label,
                present_now=containing[-1] == numbers[-1],
                latest_version=numbers[-1],
                fields=found_in,
                passage=first_passage(last, phrase_words),
            )
        )
    return results
