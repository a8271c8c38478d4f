"""Scoring the revision benchmark: what was served, what editwatch stored, how well its diffs agree.

Pure functions, no I/O, so that ``tests/test_revisions_benchmark.py`` can check
them on known inputs.

**Recall** is versions stored / distinct versions served. A check serves a
distinct version when the article a reader sees (headline, byline, body
paragraphs, as served) differs from the one served at the check before; the
first check serves the first version. Paragraph breaks count: a paragraph split
in two is a new version even when no word changed.

**False versions** are versions stored at checks that served no distinct
version: the same article again with fresh chrome, or the same article as
Latin-1 bytes under a UTF-8 header (and again correctly once the site is fixed).

**Word agreement** compares each stored diff that ends at a true version with
the edits really made. Both sides are multisets of ``(field, sign, word)`` over the
headline, byline and body (dates are not scored):

- the *true* changes are known from the edits that made the revisions since the
  diff's older version was stored: a reworded passage removes the words of the old
  wording and adds those of the new (words both wordings share, in any order, are
  not changes); an added paragraph adds all its words; a rewrite removes every
  paragraph not kept word for word and adds every new one; a new headline or byline
  changes the words it does not share with the old one; moving a paragraph,
  splitting or merging paragraphs and moving a sentence change no word. Edits
  spanning one diff (a version was missed) are added up, a word one edit adds and
  a later one removes cancelling out;
- the *reported* changes are, for every change of ``diff --format json`` to the
  headline, byline or body, the words of its ``insert`` operations (``+``) and its
  ``delete`` operations (``-``), or all the words of a paragraph or name inserted or
  deleted whole. A word one change shows removed and added again stayed; across
  changes nothing cancels: a paragraph shown deleted in one place and added in
  another (a split, a merge, a move shown as churn) reports all its words twice.

The agreement of one diff is the F1 (Dice) score of the two multisets,
``2 |R ∩ T| / (|R| + |T|)``, and 1.0 when both are empty; the figure is its mean.
Words are whitespace-separated tokens after typographic normalization (curly
quotes, no-break spaces, soft hyphens); tokens without a letter or digit are ignored.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SCORED_FIELDS = ("headline", "byline", "body")
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2009": " ",
     "\u00ad": None, "\u200b": None, "\u2060": None, "\ufeff": None}
)  # fmt: skip
_WORDLIKE = re.compile(r"\w")

Word = tuple[str, str, str]  # (field, "+" or "-", word)


def words(text: str) -> list[str]:
    """The words of a text, typography normalized; tokens without a letter or digit dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return [token for token in text.split() if _WORDLIKE.search(token)]


def field_words(article: Mapping, name: str) -> list[str]:
    """The words of one field of an article given as a mapping (``byline`` and ``body`` are lists)."""
    value = article.get(name)
    if not value:
        return []
    if isinstance(value, str):
        return words(value)
    return [w for part in value for w in words(part)]


def word_changes(name: str, before: Sequence[str], after: Sequence[str]) -> Counter[Word]:
    """Words of ``after`` that ``before`` has fewer of (``+``), and the reverse (``-``), in field ``name``."""
    old, new = Counter(before), Counter(after)
    changes: Counter[Word] = Counter()
    changes.update({(name, "+", w): n for w, n in (new - old).items()})
    changes.update({(name, "-", w): n for w, n in (old - new).items()})
    return changes


def net(changes: Counter[Word]) -> Counter[Word]:
    """A word both added and removed in the same field is neither (it stayed, or moved)."""
    return combine([], changes)


def combine(edits: Sequence[Counter[Word]], extra: Counter[Word] | None = None) -> Counter[Word]:
    """The changes of several edits in a row: a word one edit adds and another removes cancels out.

    A word one edit both removes and adds (a rewrite replacing every paragraph)
    stays changed; ``extra`` is netted whole.
    """
    total: Counter[Word] = Counter()
    kept: Counter[tuple[str, str]] = Counter()  # (field, word) -> changes within one edit that stay
    for changes in edits:
        total.update(changes)
        for (name, sign, word), n in changes.items():
            if sign == "+":
                kept[(name, word)] += min(n, changes[(name, "-", word)])
    if extra:
        total.update(extra)
    out: Counter[Word] = Counter()
    for name, word in {(f, w) for f, _, w in total}:
        plus, minus = total[(name, "+", word)], total[(name, "-", word)]
        cancel = max(0, min(plus, minus) - kept[(name, word)])
        if plus - cancel:
            out[(name, "+", word)] = plus - cancel
        if minus - cancel:
            out[(name, "-", word)] = minus - cancel
    return out


def reported_changes(diff: Mapping) -> Counter[Word]:
    """The words a ``diff --format json`` document reports added (``+``) and removed (``-``).

    Netted within each change (a word a paragraph edit shows removed and added
    again stayed), never across changes: a paragraph shown deleted here and
    added there reports its words twice.
    """
    changes: Counter[Word] = Counter()
    for change in diff.get("changes") or []:
        name = change.get("field")
        if name not in SCORED_FIELDS:
            continue
        before = field_words({name: change.get("before")}, name)
        after = field_words({name: change.get("after")}, name)
        ops = change.get("words")
        if ops:
            removed = [w for op, text in ops if op == "delete" for w in words(text)]
            added = [w for op, text in ops if op == "insert" for w in words(text)]
            changes.update(word_changes(name, removed, added))
        elif change.get("kind") == "insert":
            changes.update(word_changes(name, [], after))
        elif change.get("kind") == "delete":
            changes.update(word_changes(name, before, []))
        else:  # an edit without word operations: what differs between before and after
            changes.update(word_changes(name, before, after))
    return changes


def agreement(reported: Counter[Word], truth: Counter[Word]) -> float:
    """F1 of two multisets of changed words: ``2 |R ∩ T| / (|R| + |T|)``; 1.0 when both are empty."""
    total = sum(reported.values()) + sum(truth.values())
    if total == 0:
        return 1.0
    return 2 * sum((reported & truth).values()) / total


@dataclass
class CheckScore:
    """One check of one story: what it served, what editwatch did with it."""

    story: str
    step: int
    kind: str
    distinct: bool  # served a version that differs from the one served at the check before
    stored: int | None  # the version number editwatch stored at this check, if any
    agreement: float | None = None  # of the diff that ends at this check's version
    outcome: str = ""  # editwatch's one-line report of the check
    reported: Counter[Word] = field(default_factory=Counter)
    truth: Counter[Word] = field(default_factory=Counter)


def score_story(
    story: str,
    served: Sequence[tuple[str, Mapping, Counter[Word]]],
    stored: Sequence[int | None],
    diffs: Mapping[int, Mapping],
    outcomes: Sequence[str] = (),
) -> list[CheckScore]:
    """Score one story's checks.

    ``served`` holds ``(kind, article, changes)`` per check: the edit, the article
    (a mapping with headline, byline and body) and the words the edit changed;
    ``stored`` the version number stored at each check (``None``: none); ``diffs``
    the ``diff --format json`` document of each stored version from the one before.
    A diff spanning several edits (a version was missed) is compared with their
    changes added up and netted.
    """
    scores: list[CheckScore] = []
    previous: Mapping | None = None
    since_stored: list[Counter[Word]] = []  # the edits since the last stored version
    stored_before = False
    for step, (kind, article, changes) in enumerate(served):
        distinct = previous is None or _reader_view(article) != _reader_view(previous)
        since_stored.append(changes)
        number = stored[step] if step < len(stored) else None
        score = CheckScore(story, step, kind, distinct, number, outcome=_at(outcomes, step))
        if number is not None and distinct and stored_before and number in diffs:
            score.truth = combine(since_stored)
            score.reported = reported_changes(diffs[number])
            score.agreement = agreement(score.reported, score.truth)
        if number is not None:
            stored_before, since_stored = True, []
        previous = article
        scores.append(score)
    return scores


@dataclass
class Tally:
    """Recall, false versions and agreement over a group of checks."""

    checks: int = 0
    served: int = 0  # distinct versions served
    stored: int = 0  # of those, stored
    false: int = 0  # versions stored at checks that served no distinct version
    agreements: list[float] = field(default_factory=list)

    def add(self, score: CheckScore) -> None:
        self.checks += 1
        self.served += score.distinct
        self.stored += score.distinct and score.stored is not None
        self.false += not score.distinct and score.stored is not None
        if score.agreement is not None:
            self.agreements.append(score.agreement)

    @property
    def recall(self) -> float | None:
        return self.stored / self.served if self.served else None

    @property
    def mean_agreement(self) -> float | None:
        return statistics.fmean(self.agreements) if self.agreements else None

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        return {
            "checks": self.checks,
            "versions_served": self.served,
            "versions_stored": self.stored,
            "recall": self.recall,
            "false_versions": self.false,
            "diffs_scored": len(self.agreements),
            "word_agreement": self.mean_agreement,
        }


def tally(scores: Sequence[CheckScore]) -> tuple[Tally, dict[str, Tally]]:
    """The overall tally and one per edit kind (in order of first appearance)."""
    overall, by_kind = Tally(), {}
    for score in scores:
        overall.add(score)
        by_kind.setdefault(score.kind, Tally()).add(score)
    return overall, by_kind


def _reader_view(article: Mapping) -> tuple:
    """What a reader sees, typography aside: equal views are the same version."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).split())

    return (
        norm(article.get("headline") or ""),
        tuple(norm(n) for n in article.get("byline") or ()),
        tuple(norm(p) for p in article.get("body") or ()),
    )


def _at(values: Sequence[str], index: int) -> str:
    return values[index] if index < len(values) else ""
