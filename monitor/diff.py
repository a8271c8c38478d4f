"""The diff engine: two articles in, classified changes out. Pure: no I/O, no clock.

Metadata fields (headline, byline, dates) are compared with deepdiff on their
canonical forms. The body is aligned paragraph by paragraph with difflib's
``SequenceMatcher``; inside a replaced run, old and new paragraphs are paired by
similarity so that an inserted paragraph next to an edited one reads as one
insert plus one edit, not as a cascade of shifted edits. Identical paragraphs
that changed place are reported as moves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from deepdiff import DeepDiff

from crawler.extraction.canonical import canonical_text, comparison_key

METADATA_FIELDS = ("headline", "byline", "published", "modified")
# Two paragraphs at least this similar (word-level ratio) are one paragraph, edited.
EDIT_SIMILARITY = 0.5
# Above this many candidate pairs in one replaced run, pair in order instead of searching.
_MAX_PAIRINGS = 4000

_CORRECTION = re.compile(
    r"^\s*(?:\W{0,3})\s*(?:correction|clarification|editor'?s note|update|updated|"
    r"this (?:article|story) (?:has been|was) (?:updated|corrected|amended))\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Change:
    """One change to one field.

    ``kind`` is ``edit``, ``insert`` or ``delete``; ``category`` says what an
    editor did (``addition``, ``deletion``, ``edit``, ``move``, ``headline``,
    ``byline``, ``correction``, ``dates``). For the body, ``old_index`` and
    ``new_index`` are 0-based paragraph positions, and ``words`` holds the
    word-level operations of an edit as ``[op, text]`` pairs.
    """

    field: str
    kind: str
    category: str
    before: object = None
    after: object = None
    old_index: int | None = None
    new_index: int | None = None
    words: list[list[str]] | None = None
    words_added: int = 0
    words_removed: int = 0

    def to_dict(self) -> dict:
        """A JSON-ready dict, omitting empty optional parts."""
        data = asdict(self)
        return {k: v for k, v in data.items() if v is not None}


@dataclass
class ArticleDiff:
    """All changes between two versions of an article."""

    changes: list[Change] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        """Names of the changed fields, in article order."""
        seen: list[str] = []
        for change in self.changes:
            if change.field not in seen:
                seen.append(change.field)
        return seen

    @property
    def words_added(self) -> int:
        return sum(c.words_added for c in self.changes)

    @property
    def words_removed(self) -> int:
        return sum(c.words_removed for c in self.changes)

    @property
    def summary(self) -> str:
        """One line a person understands: ``headline changed; paragraph 4 edited; 1 paragraph added``."""
        return summarize(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)


def diff_articles(old: Mapping, new: Mapping, key: Callable[[str], str] = comparison_key) -> ArticleDiff:
    """Compare two articles given as mappings with headline, byline, published, modified, body."""
    changes = _metadata_changes(old, new)
    changes.extend(diff_paragraphs(old.get("body") or [], new.get("body") or [], key))
    return ArticleDiff(changes)


def _metadata_changes(old: Mapping, new: Mapping) -> list[Change]:
    def canonical(record: Mapping) -> dict:
        return {
            "headline": comparison_key(record.get("headline") or ""),
            "byline": sorted(canonical_text(n).casefold() for n in record.get("byline") or []),
            "published": record.get("published") or "",
            "modified": record.get("modified") or "",
        }

    affected = DeepDiff(canonical(old), canonical(new), ignore_order=True).affected_root_keys
    changes = []
    for name in METADATA_FIELDS:
        if name not in affected:
            continue
        before, after = old.get(name), new.get(name)
        kind = "insert" if not before else "delete" if not after else "edit"
        category = "dates" if name in ("published", "modified") else name
        change = Change(field=name, kind=kind, category=category, before=before, after=after)
        if name == "headline" and before and after:
            change.words = word_ops(before, after)
            _count_words(change)
        changes.append(change)
    return changes


def diff_paragraphs(
    old: Sequence[str], new: Sequence[str], key: Callable[[str], str] = comparison_key
) -> list[Change]:
    """Paragraph-level changes of a body, each edit carrying its word-level operations."""
    old_keys = [key(p) for p in old]
    new_keys = [key(p) for p in new]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    deleted: list[int] = []
    inserted: list[int] = []
    edited: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            deleted.extend(range(i1, i2))
        elif tag == "insert":
            inserted.extend(range(j1, j2))
        elif tag == "replace":
            pairs = _pair_similar(old_keys, range(i1, i2), new_keys, range(j1, j2))
            edited.extend(pairs)
            paired_old = {i for i, _ in pairs}
            paired_new = {j for _, j in pairs}
            deleted.extend(i for i in range(i1, i2) if i not in paired_old)
            inserted.extend(j for j in range(j1, j2) if j not in paired_new)

    changes: list[Change] = []
    # Identical text that left one place and arrived at another is a move.
    moved: list[tuple[int, int]] = []
    for i in list(deleted):
        for j in inserted:
            if old_keys[i] == new_keys[j]:
                moved.append((i, j))
                deleted.remove(i)
                inserted.remove(j)
                break

    for i, j in edited:
        if old_keys[i] == new_keys[j]:
            continue  # differs only in form (quotes, spaces): not an edit
        change = Change(
            field="body",
            kind="edit",
            category="edit",
            before=old[i],
            after=new[j],
            old_index=i,
            new_index=j,
            words=word_ops(old[i], new[j]),
        )
        _count_words(change)
        changes.append(change)
    for i, j in moved:
        changes.append(
            Change(
                field="body",
                kind="edit",
                category="move",
                before=old[i],
                after=new[j],
                old_index=i,
                new_index=j,
            )
        )
    for j in inserted:
        text = new[j]
        trailing = all(k in inserted for k in range(j, len(new)))
        category = "correction" if trailing and _CORRECTION.match(text) else "addition"
        changes.append(
            Change(
                field="body",
                kind="insert",
                category=category,
                after=text,
                new_index=j,
                words_added=len(text.split()),
            )
        )
    for i in deleted:
        text = old[i]
        changes.append(
            Change(
                field="body",
                kind="delete",
                category="deletion",
                before=text,
                old_index=i,
                words_removed=len(text.split()),
            )
        )
    changes.sort(key=_body_order)
    return changes


def _body_order(change: Change) -> tuple[int, int]:
    position = change.new_index if change.new_index is not None else change.old_index
    return (position or 0, 0 if change.kind == "delete" else 1)


def _similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if matcher.real_quick_ratio() < EDIT_SIMILARITY or matcher.quick_ratio() < EDIT_SIMILARITY:
        return 0.0
    return matcher.ratio()


def _pair_similar(
    old_keys: Sequence[str], old_range: range, new_keys: Sequence[str], new_range: range
) -> list[tuple[int, int]]:
    """Order-preserving pairing of old and new paragraphs that maximizes total similarity."""
    olds, news = list(old_range), list(new_range)
    if len(olds) * len(news) > _MAX_PAIRINGS:
        return [(i, j) for i, j in zip(olds, news, strict=False) if _similarity(old_keys[i], new_keys[j]) > 0]
    n, m = len(olds), len(news)
    sim = [[_similarity(old_keys[i], new_keys[j]) for j in news] for i in olds]
    # best[a][b]: best total for olds[:a] against news[:b]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(1, n + 1):
        for b in range(1, m + 1):
            pair = best[a - 1][b - 1] + sim[a - 1][b - 1] if sim[a - 1][b - 1] >= EDIT_SIMILARITY else -1.0
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


def word_ops(before: str, after: str) -> list[list[str]]:
    """Word-level operations turning ``before`` into ``after``: ``[["equal"|"delete"|"insert", text], ...]``."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    a_keys = [canonical_text(t) or " " for t in a]
    b_keys = [canonical_text(t) or " " for t in b]
    ops: list[list[str]] = []

    def emit(op: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1][1] += text
        else:
            ops.append([op, text])

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            emit("equal", "".join(b[j1:j2]))
        else:
            emit("delete", "".join(a[i1:i2]))
            emit("insert", "".join(b[j1:j2]))
    return ops


def _count_words(change: Change) -> None:
    for op, text in change.words or []:
        if op == "insert":
            change.words_added += len(text.split())
        elif op == "delete":
            change.words_removed += len(text.split())


def _numbers(indexes: list[int]) -> str:
    numbers = [str(i + 1) for i in sorted(indexes)]
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    return "paragraphs " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def summarize(changes: Sequence[Change]) -> str:
    """A one-line account of a list of changes."""
    parts: list[str] = []
    by_category: dict[str, list[Change]] = {}
    for change in changes:
        by_category.setdefault(change.category, []).append(change)
    for name in ("headline", "byline"):
        for change in by_category.get(name, []):
            verb = {"insert": "added", "delete": "removed"}.get(change.kind, "changed")
            parts.append(f"{name} {verb}")
    for change in by_category.get("dates", []):
        if change.field == "published":
            parts.append("published date changed")
    edits = [c.new_index for c in by_category.get("edit", []) if c.field == "body"]
    if edits:
        parts.append(f"{_numbers(edits)} edited" if len(edits) <= 3 else f"{len(edits)} paragraphs edited")
    if by_category.get("addition"):
        parts.append(f"{_count(len(by_category['addition']), 'paragraph')} added")
    if by_category.get("deletion"):
        parts.append(f"{_count(len(by_category['deletion']), 'paragraph')} removed")
    if by_category.get("move"):
        parts.append(f"{_count(len(by_category['move']), 'paragraph')} moved")
    if by_category.get("correction"):
        parts.append("correction appended")
    if not parts and any(c.field == "modified" for c in changes):
        parts.append("updated date changed")
    return "; ".join(parts) if parts else "no changes"
