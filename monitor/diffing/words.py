"""Text-level diffing for the diff engine: sentences within a paragraph, words within a sentence. Pure.

An edited paragraph is first split into sentences; sentences are aligned with
difflib, similar sentences are paired as rewrites, and only then are words
compared, inside each pair. Word marks therefore never match a stray "the" in a
different sentence, and a rewritten sentence reads as one rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from crawler.extraction.comparison import canonical_text, comparison_key

# Two paragraphs (or sentences) at least this similar, by words, are one unit, edited.
EDIT_SIMILARITY = 0.5
# Above this many candidate pairs in one replaced run, pair in order instead of searching.
_MAX_PAIRINGS = 4000

_TOKEN = re.compile(r"\s+|[^\s]+")
# End of a sentence: terminal punctuation, closing quotes or brackets, whitespace, then a
# capital, a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
     "jr", "sr", "no", "vs", "etc", "inc", "co", "corp", "ltd", "jan", "feb", "mar", "apr", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "rev",
     "hon", "ft", "mt"]
)  # fmt: skip


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, each keeping its trailing whitespace: ``"".join(result) == text``."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start()]
        last_word = head.rsplit(None, 1)[-1].lower() if head.strip() else ""
        # "Mr. Lavrov", "John F. Kennedy": a period after an abbreviation or an initial.
        if text[match.start()] == "." and (
            last_word.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word)
        ):
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text) or not pieces:
        pieces.append(text[start:])
    return pieces


def word_ops(before: str, after: str) -> list[list[str]]:
    """Word-level operations turning ``before`` into ``after``: ``[["equal"|"delete"|"insert", text], ...]``.

    Joining the ``equal`` and ``insert`` texts gives ``after`` exactly; joining
    ``equal`` and ``delete`` gives ``before`` up to typography (equal words are
    shown as they are now).
    """
    ops = _OpsBuilder()
    ops.words(before, after)
    return ops.ops


def sentence_ops(before: str, after: str) -> tuple[list[list[str]], list[dict]]:
    """Word operations of a paragraph edit aligned sentence by sentence, and the changed sentences.

    Returns ``(words, sentences)``: ``words`` as in :func:`word_ops`;
    ``sentences`` lists only the sentences that changed, each a dict with
    ``kind`` (``edit``, ``insert`` or ``delete``), ``before``/``after`` and the
    0-based sentence positions ``old_index``/``new_index``.
    """
    old, new = split_sentences(before), split_sentences(after)
    old_keys = [comparison_key(s) for s in old]
    new_keys = [comparison_key(s) for s in new]
    ops = _OpsBuilder()
    changed: list[dict] = []

    def deleted(i: int) -> None:
        ops.emit("delete", old[i])
        changed.append({"kind": "delete", "before": old[i].strip(), "old_index": i})

    def inserted(j: int) -> None:
        ops.emit("insert", new[j])
        changed.append({"kind": "insert", "after": new[j].strip(), "new_index": j})

    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                # The spacing after a sentence belongs to what follows it: a removed last
                # sentence takes the space before it along.
                text, old_space, new_space = new[j].rstrip(), _trailing_space(old[i]), _trailing_space(new[j])
                ops.emit("equal", text)
                if old_space == new_space:
                    ops.emit("equal", new_space)
                else:
                    ops.emit("delete", old_space)
                    ops.emit("insert", new_space)
            continue
        pairs = pair_similar(old_keys, range(i1, i2), new_keys, range(j1, j2)) if tag == "replace" else []
        i, j = i1, j1
        for pi, pj in [*pairs, (i2, j2)]:
            for k in range(i, pi):
                deleted(k)
            for k in range(j, pj):
                inserted(k)
            if pi < i2:
                ops.words(old[pi], new[pj])
                if old_keys[pi] != new_keys[pj]:
                    changed.append(
                        {"kind": "edit", "before": old[pi].strip(), "after": new[pj].strip(),
                         "old_index": pi, "new_index": pj}
                    )  # fmt: skip
            i, j = pi + 1, pj + 1
    return ops.ops, changed


def list_ops(before: Sequence[str], after: Sequence[str], separator: str = ", ") -> list[list[str]]:
    """Operations turning a list of names into another, each name whole: ``Isachenkov{+, Vasilyeva+}``.

    Same guarantees as :func:`word_ops` for ``separator.join(...)`` of each list.
    """
    matcher = SequenceMatcher(
        None, [canonical_text(n).casefold() for n in before], [canonical_text(n).casefold() for n in after],
        autojunk=False,
    )  # fmt: skip
    items: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            items.extend(("equal", name) for name in after[j1:j2])
        else:
            items.extend(("delete", name) for name in before[i1:i2])
            items.extend(("insert", name) for name in after[j1:j2])
    ops = _OpsBuilder()
    seen_old = seen_new = False
    for op, name in items:
        in_old, in_new = op != "insert", op != "delete"
        # The separator before a name exists on each side where a name came before it.
        need_old, need_new = in_old and seen_old, in_new and seen_new
        if need_old or need_new:
            ops.emit("equal" if need_old and need_new else "delete" if need_old else "insert", separator)
        ops.emit(op, name)
        seen_old, seen_new = seen_old or in_old, seen_new or in_new
    return ops.ops


def _token_key(token: str) -> str:
    # Spaces compare equal whatever their kind, but a paragraph break (a reflow's joined
    # text) is not a space: where one appeared or went away shows on both sides.
    return canonical_text(token) or ("\n\n" if "\n\n" in token else " ")


def _trailing_space(text: str) -> str:
    return text[len(text.rstrip()) :]


def count_words(ops: Sequence[Sequence[str]]) -> tuple[int, int]:
    """Words added and removed by a list of word operations."""
    added = sum(len(text.split()) for op, text in ops if op == "insert")
    removed = sum(len(text.split()) for op, text in ops if op == "delete")
    return added, removed


def similarity(a: str, b: str) -> float:
    """Share of words two texts have in common, in order (0 to 1); 0 below the edit threshold."""
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if matcher.real_quick_ratio() < EDIT_SIMILARITY or matcher.quick_ratio() < EDIT_SIMILARITY:
        return 0.0
    return matcher.ratio()


def pair_similar(
    old_keys: Sequence[str], old_range: range, new_keys: Sequence[str], new_range: range
) -> list[tuple[int, int]]:
    """Order-preserving pairing of old and new texts that maximizes total similarity."""
    olds, news = list(old_range), list(new_range)
    if len(olds) * len(news) > _MAX_PAIRINGS:
        return [(i, j) for i, j in zip(olds, news, strict=False) if similarity(old_keys[i], new_keys[j]) > 0]
    n, m = len(olds), len(news)
    sim = [[similarity(old_keys[i], new_keys[j]) for j in news] for i in olds]
    # best[a][b]: best total for olds[:a] against news[:b]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(1, n + 1):
        for b in range(1, m + 1):
            s = sim[a - 1][b - 1]
            pair = best[a - 1][b - 1] + s if s >= EDIT_SIMILARITY else -1.0
            best[a][b] = max(best[a - 1][b], best[a][b - 1], pair)
    pairs = []
    a, b = n, m
    while a > 0 and b > 0:
        s = sim[a - 1][b - 1]
        if s >= EDIT_SIMILARITY and best[a][b] == best[a - 1][b - 1] + s:
            pairs.append((olds[a - 1], news[b - 1]))
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs[::-1]


class _OpsBuilder:
    """Collects word operations, merging neighbours of the same kind."""

    def __init__(self) -> None:
        self.ops: list[list[str]] = []

    def emit(self, op: str, text: str) -> None:
        if not text:
            return
        if self.ops and self.ops[-1][0] == op:
            self.ops[-1][1] += text
        else:
            self.ops.append([op, text])

    def words(self, before: str, after: str) -> None:
        a, b = _TOKEN.findall(before), _TOKEN.findall(after)
        a_keys = [_token_key(t) for t in a]
        b_keys = [_token_key(t) for t in b]
        # [equal?, old text, new text] runs, as difflib aligned them.
        runs = [
            [tag == "equal", "".join(a[i1:i2]), "".join(b[j1:j2])]
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes()
        ]
        # A lone space between two changes joins them: "[-in detail-]{+at length+}" reads better
        # than "[-in-]{+at+} [-detail-]{+length+}".
        merged: list[list] = []
        k = 0
        while k < len(runs):
            run = runs[k]
            if (
                run[0]
                and run[2].isspace()
                and merged
                and not merged[-1][0]
                and k + 1 < len(runs)
                and not runs[k + 1][0]
            ):
                nxt = runs[k + 1]
                merged[-1][1] += run[1] + nxt[1]
                merged[-1][2] += run[2] + nxt[2]
                k += 2
                continue
            merged.append(list(run))
            k += 1
        for equal, old_text, new_text in merged:
            if equal:
                self.emit("equal", new_text)
                continue
            # Whitespace both sides end with stays outside the marks.
            tail = ""
            while old_text and new_text and old_text[-1].isspace() and old_text[-1] == new_text[-1]:
                tail = new_text[-1] + tail
                old_text, new_text = old_text[:-1], new_text[:-1]
            self.emit("delete", old_text)
            self.emit("insert", new_text)
            self.emit("equal", tail)
