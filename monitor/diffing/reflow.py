"""Reflow: the same words divided into paragraphs differently (split, merged, a sentence moved on). Pure.

Newsrooms re-paragraph: one paragraph becomes two, two become one, a sentence
moves to the start of the next paragraph. Paired paragraph by paragraph, such a
change reads as words deleted in one place and added in another. Here the words
of a run of changed paragraphs are aligned as one text; consecutive old and new
paragraphs that share their words form a group, and a group that reads as one
text divided differently is a reflow. Only groups every paragraph of which
mostly belongs to the shared text count, so a rewritten paragraph next to a
split still reads as an edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from crawler.extraction.vocabulary.scripts import UNSPACED_TOKEN
from monitor.diffing.words import count_words, sentence_ops

# Paragraphs of a reflow are joined with this in a change's before/after text and words.
PARAGRAPH_BREAK = "\n\n"
# Categories of a change that re-divides consecutive paragraphs.
REFLOWS = ("split", "merge", "reflow")
# The old and the new text of a group, each joined, must share at least this share of their words.
REFLOW_SIMILARITY = 0.8
# Each paragraph of a group must have at least this share of its words in the shared text.
REFLOW_COVERAGE = 0.5
# Only runs of this many words in common tie two paragraphs (a shared "of the" does not).
MIN_RUN_WORDS = 3
# A group must explain more words than pairing its paragraphs one to one: it pays this per extra paragraph.
_GROUP_PENALTY = 0.25
# Most paragraphs on the other side of a split or a merge; most on each side of a reflow.
_MAX_SPLIT = 6
_MAX_REFLOW = 3
# Larger runs of changed paragraphs (a rewrite) are not searched for reflows.
_MAX_CELLS = 20000
_MAX_WORDS = 6000


_INTO = {2: "in two", 3: "in three", 4: "in four"}


def category(old_indexes: Sequence[int], new_indexes: Sequence[int]) -> str:
    """``split`` (one paragraph into several), ``merge`` (several into one) or ``reflow`` (both)."""
    if len(old_indexes) == 1:
        return "split"
    return "merge" if len(new_indexes) == 1 else "reflow"


def find_reflows(
    old: Sequence[str],
    old_keys: Sequence[str],
    olds: Sequence[int],
    new: Sequence[str],
    new_keys: Sequence[str],
    news: Sequence[int],
) -> list[tuple[list[int], list[int]]]:
    """Groups of consecutive old and new paragraphs (indexes into the bodies) that are one text reflowed.

    ``old``/``new`` are the bodies, ``old_keys``/``new_keys`` their comparison
    forms; ``olds`` and ``news`` are a run of changed paragraphs, in order, as
    the paragraph alignment left them. The groups returned are in order, each
    with at least two paragraphs on one side.
    """
    return [
        (a, b)
        for a, b in _groups(old_keys, olds, new_keys, news)
        # In the joined text every line break must be a paragraph break, or the paragraphs
        # could not be told apart again.
        if not any("\n" in old[i] for i in a) and not any("\n" in new[j] for j in b)
    ]


def runs_between(
    groups: Sequence[tuple[list[int], list[int]]], olds: range, news: range
) -> list[tuple[range, range]]:
    """The runs of old and new paragraphs before, between and after ``groups`` (all in order)."""
    i1, j1 = olds.start, news.start
    runs = []
    for a, b in groups:
        runs.append((range(i1, a[0]), range(j1, b[0])))
        i1, j1 = a[-1] + 1, b[-1] + 1
    runs.append((range(i1, olds.stop), range(j1, news.stop)))
    return runs


def reflow_fields(old: Sequence[str], olds: list[int], new: Sequence[str], news: list[int]) -> dict:
    """The fields of the change that turns paragraphs ``olds`` of ``old`` into ``news`` of ``new``."""
    before = PARAGRAPH_BREAK.join(old[i] for i in olds)
    after = PARAGRAPH_BREAK.join(new[j] for j in news)
    words, sentences = sentence_ops(before, after)
    added, removed = count_words(words)
    return {
        "category": category(olds, news), "before": before, "after": after,
        "old_index": olds[0], "new_index": news[0], "old_indexes": list(olds), "new_indexes": list(news),
        "words": words, "sentences": sentences, "words_added": added, "words_removed": removed,
    }  # fmt: skip


def reflow_summary(changes: Sequence) -> list[str]:
    """Phrases for a summary line: ``paragraph 3 split in two``, ``paragraphs 4-5 merged``."""
    if len(changes) > 3:
        counts = {name: sum(c.category == name for c in changes) for name in ("split", "merge", "reflow")}
        plural = {name: "" if count == 1 else "s" for name, count in counts.items()}
        many = {
            "split": f"{counts['split']} paragraph{plural['split']} split",
            "merge": f"{counts['merge']} run{plural['merge']} of paragraphs merged",
            "reflow": f"text moved across {counts['reflow']} paragraph break{plural['reflow']}",
        }
        return [many[name] for name, count in counts.items() if count]
    phrases = []
    for change in changes:
        olds = [i + 1 for i in change.old_indexes or [change.old_index]]
        news = change.new_indexes or [change.new_index]
        span = f"{olds[0]} and {olds[1]}" if len(olds) == 2 else f"{olds[0]}-{olds[-1]}"
        if change.category == "split":
            phrase = f"paragraph {olds[0]} split {_INTO.get(len(news), f'into {len(news)}')}"
        elif change.category == "merge":
            phrase = f"paragraphs {olds[0]}-{olds[-1]} merged"
        else:
            phrase = f"text moved between paragraphs {span}"
        if change.words_added or change.words_removed:
            phrase += ", words edited" if change.category == "reflow" else " and edited"
        phrases.append(phrase)
    return phrases


def reflow_parts(change: Mapping) -> tuple[list[int], list[str], list[int], list[str]]:
    """The old paragraphs (indexes, texts) and new ones a reflow change stands for; ValueError if they do not fit."""
    olds, news = change.get("old_indexes"), change.get("new_indexes")
    befores = str(change.get("before")).split(PARAGRAPH_BREAK)
    afters = str(change.get("after")).split(PARAGRAPH_BREAK)
    if (
        not isinstance(olds, list)
        or not isinstance(news, list)
        or not all(isinstance(k, int) for k in [*olds, *news])
        or not (len(olds) == len(befores) >= 1 and len(news) == len(afters) >= 1)
    ):
        raise ValueError(f"a {change.get('category')} whose paragraphs do not fit its text")
    return olds, befores, news, afters


def _groups(
    old_keys: Sequence[str], olds: Sequence[int], new_keys: Sequence[str], news: Sequence[int]
) -> list[tuple[list[int], list[int]]]:
    olds, news = list(olds), list(news)
    if not olds or not news or (len(olds) == 1 and len(news) == 1) or len(olds) * len(news) > _MAX_CELLS:
        return []
    old_words = [_tokens(old_keys[i]) for i in olds]
    new_words = [_tokens(new_keys[j]) for j in news]
    if sum(map(len, old_words)) > _MAX_WORDS or sum(map(len, new_words)) > _MAX_WORDS:
        return []
    if not _tied_across(old_words, new_words):
        return []  # most runs: a rewrite, or edits that keep every paragraph's words to itself
    shared = _SharedWords(old_words, new_words)
    return [(olds[a1:a2], news[b1:b2]) for a1, a2, b1, b2 in shared.best_groups()]


class _SharedWords:
    """Words each old paragraph of a run shares with each new one, aligned over the run as one text."""

    def __init__(self, old_words: list[list[str]], new_words: list[list[str]]) -> None:
        self.old_lengths = [len(w) for w in old_words]
        self.new_lengths = [len(w) for w in new_words]
        n, m = len(old_words), len(new_words)
        old_flat, old_owner = _flatten(old_words)
        new_flat, new_owner = _flatten(new_words)
        weights = [[0] * m for _ in range(n)]
        for a, b, size in SequenceMatcher(None, old_flat, new_flat, autojunk=False).get_matching_blocks():
            if size >= MIN_RUN_WORDS:  # a stray "of the" in common ties nothing together
                for k in range(size):
                    weights[old_owner[a + k]][new_owner[b + k]] += 1
        self.weights = weights
        # total[a][b]: words shared by the first a old and the first b new paragraphs
        self.total = [[0] * (m + 1) for _ in range(n + 1)]
        for a in range(n):
            for b in range(m):
                self.total[a + 1][b + 1] = (
                    weights[a][b] + self.total[a][b + 1] + self.total[a + 1][b] - self.total[a][b]
                )

    def shared(self, a1: int, a2: int, b1: int, b2: int) -> int:
        t = self.total
        return t[a2][b2] - t[a1][b2] - t[a2][b1] + t[a1][b1]

    def reads_as_reflow(self, a1: int, a2: int, b1: int, b2: int) -> bool:
        """Every paragraph of the group mostly shared with the other side, and the two texts alike."""
        if any(self.shared(a, a + 1, b1, b2) < REFLOW_COVERAGE * self.old_lengths[a] for a in range(a1, a2)):
            return False
        if any(self.shared(a1, a2, b, b + 1) < REFLOW_COVERAGE * self.new_lengths[b] for b in range(b1, b2)):
            return False
        if not all(self.old_lengths[a1:a2]) or not all(self.new_lengths[b1:b2]):
            return False
        words = sum(self.old_lengths[a1:a2]) + sum(self.new_lengths[b1:b2])
        return 2 * self.shared(a1, a2, b1, b2) >= REFLOW_SIMILARITY * words

    def best_groups(self) -> list[tuple[int, int, int, int]]:
        """The reflow groups ``(a1, a2, b1, b2)`` of an order-keeping alignment sharing the most words.

        Units are one old and one new paragraph, or a group that reads as a
        reflow; a group pays a word per extra paragraph, so that it wins only
        where it explains words a one-to-one pairing cannot.
        """
        n, m = len(self.old_lengths), len(self.new_lengths)
        shapes = [(1, q) for q in range(2, _MAX_SPLIT + 1)] + [(p, 1) for p in range(2, _MAX_SPLIT + 1)]
        shapes += [(p, q) for p in range(2, _MAX_REFLOW + 1) for q in range(2, _MAX_REFLOW + 1)]
        best = [[0.0] * (m + 1) for _ in range(n + 1)]
        step = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
        for a in range(n + 1):
            for b in range(m + 1):
                if not a and not b:
                    continue
                score, move = -1.0, (0, 0)
                if a and best[a - 1][b] > score:
                    score, move = best[a - 1][b], (1, 0)
                if b and best[a][b - 1] > score:
                    score, move = best[a][b - 1], (0, 1)
                if a and b and best[a - 1][b - 1] + self.weights[a - 1][b - 1] > score:
                    score, move = best[a - 1][b - 1] + self.weights[a - 1][b - 1], (1, 1)
                # The last paragraphs of a group share words with each other (the alignment keeps
                # order), so where they do not, no group ends here.
                for p, q in shapes if a and b and self.weights[a - 1][b - 1] else ():
                    if p > a or q > b or not self.weights[a - p][b - q]:
                        continue
                    total = (
                        best[a - p][b - q] + self.shared(a - p, a, b - q, b) - _GROUP_PENALTY * (p + q - 2)
                    )
                    if total > score and self.reads_as_reflow(a - p, a, b - q, b):
                        score, move = total, (p, q)
                best[a][b], step[a][b] = score, move
        groups = []
        a, b = n, m
        while a or b:
            p, q = step[a][b]
            if p + q > 2:
                groups.append((a - p, a, b - q, b))
            a, b = a - p, b - q
        return groups[::-1]


def _tokens(key: str) -> list[str]:
    """Words of a comparison key; in scripts written without spaces (Chinese, Japanese), characters."""
    return UNSPACED_TOKEN.findall(key.casefold())


def _tied_across(old_words: list[list[str]], new_words: list[list[str]]) -> bool:
    """Whether words may have crossed a paragraph break (cheap, by runs of words looked up).

    True when some paragraph shares runs with two or more paragraphs on the other
    side, or when a run spans a break on one side and not on the other.
    """
    if any(len(words) < MIN_RUN_WORDS for words in [*old_words, *new_words]):
        return True  # a short paragraph has no run of its own to look up
    old_flat, old_owner = _flatten(old_words)
    new_flat, new_owner = _flatten(new_words)
    width = MIN_RUN_WORDS - 1
    runs: dict[tuple[str, ...], tuple[set[int], set[bool]]] = {}
    for k in range(len(old_flat) - width):
        owners, spans = runs.setdefault(tuple(old_flat[k : k + MIN_RUN_WORDS]), (set(), set()))
        owners.add(old_owner[k])
        spans.add(old_owner[k] != old_owner[k + width])
    touched: dict[int, set[int]] = {}
    for k in range(len(new_flat) - width):
        found = runs.get(tuple(new_flat[k : k + MIN_RUN_WORDS]))
        if found is None:
            continue
        owners, spans = found
        if (new_owner[k] != new_owner[k + width]) not in spans:
            return True
        touched.setdefault(new_owner[k], set()).update(owners)
    crossed: dict[int, set[int]] = {}
    for b, olds in touched.items():
        for a in olds:
            crossed.setdefault(a, set()).add(b)
    return any(len(olds) > 1 for olds in touched.values()) or any(len(news) > 1 for news in crossed.values())


def _flatten(paragraphs: list[list[str]]) -> tuple[list[str], list[int]]:
    words: list[str] = []
    owner: list[int] = []
    for position, split in enumerate(paragraphs):
        words.extend(split)
        owner.extend([position] * len(split))
    return words, owner
