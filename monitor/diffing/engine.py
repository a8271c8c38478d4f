"""The diff engine: two articles in, classified changes out. Pure: no I/O, no clock.

Metadata fields (headline, byline, dates) are compared with deepdiff on their
canonical forms. The body is aligned paragraph by paragraph with difflib's
``SequenceMatcher``; inside a replaced run, old and new paragraphs are paired by
similarity so that an inserted paragraph next to an edited one reads as one
insert plus one edit, not as a cascade of shifted edits. Paragraphs that changed
place (identical, or lightly edited on the way) are reported as moves. Inside an
edited paragraph, sentences are aligned first and words marked within sentences
(:mod:`monitor.diffing.words`). Consecutive paragraphs that are the same text divided
differently (split, merged, a sentence moved to the next paragraph) are one
reflow change, marked word by word over the joined text (:mod:`monitor.diffing.reflow`).
Its inverse, old article plus changes gives the new one, is :mod:`monitor.diffing.apply`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from difflib import SequenceMatcher

from crawler.extraction.comparison import HEADLINE_VARIANTS, canonical_text, comparison_key, variant_key
from monitor.diffing import reflow
from monitor.diffing.headline_variants import FIELD_NAMES, without_echoes
from monitor.diffing.reflow import PARAGRAPH_BREAK, REFLOWS
from monitor.diffing.summary import summarize
from monitor.diffing.words import (
    EDIT_SIMILARITY,
    count_words,
    list_ops,
    pair_similar,
    sentence_ops,
    similarity,
    word_ops,
)

__all__ = [
    "CATEGORIES",
    "EDIT_SIMILARITY",
    "FIELD_NAMES",
    "HEADLINE_VARIANTS",
    "METADATA_FIELDS",
    "PARAGRAPH_BREAK",
    "REFLOWS",
    "ArticleDiff",
    "Change",
    "DiffDoesNotApply",
    "diff_articles",
    "diff_paragraphs",
    "word_ops",
]

# The headline variants (the page's <h1>, JSON-LD, og:title/twitter:title, <title>) are fields of
# their own, category "headline"; None is "unknown" (stored before they were read): not compared.
METADATA_FIELDS = ("headline", *HEADLINE_VARIANTS, "byline", "published", "modified")
CATEGORIES = (
    "rewrite", "headline", "byline", "dates", "edit", "addition", "deletion", "move", "split", "merge", "reflow",
    "correction",
)  # fmt: skip
# A deleted and an inserted paragraph this similar are one paragraph that moved and was edited.
MOVE_SIMILARITY = 0.75
# Above this many deleted x inserted candidates, only identical paragraphs count as moves.
_MAX_MOVE_CANDIDATES = 2500

_CORRECTION = re.compile(
    r"^\s*(?:\W{0,3})\s*(?:correction|clarification|editor'?s note|update|updated|"
    r"this (?:article|story) (?:has been|was) (?:updated|corrected|amended))\b",
    re.IGNORECASE,
)


@dataclass
class Change:
    """One change to one field.

    ``kind`` is ``edit``, ``insert`` or ``delete`` (a move is an ``edit``);
    ``category`` says what an editor did (one of :data:`CATEGORIES`:
    ``addition``, ``deletion``, ``edit``, ``move``, ``headline``, ``byline``,
    ``correction``, ``dates``, ``split``, ``merge``, ``reflow``; the headline
    variants' category is ``headline``). For the body,
    ``old_index`` and ``new_index`` are 0-based paragraph positions; ``words``
    holds the word-level operations of an edit as ``[op, text]`` pairs (aligned
    sentence by sentence), and ``sentences`` the sentences that changed. A
    reflow (``split``, ``merge``, ``reflow``) spans consecutive paragraphs:
    ``old_indexes`` and ``new_indexes`` list them (``old_index``/``new_index``
    are the first), ``before``/``after`` are their texts joined with
    :data:`PARAGRAPH_BREAK`, and ``words`` marks what changed in the joined text.
    """

    field: str
    kind: str
    category: str
    before: object = None
    after: object = None
    old_index: int | None = None
    new_index: int | None = None
    words: list[list[str]] | None = None
    sentences: list[dict] | None = None
    # For a headline change: the headline variants that changed with it the same way, and their
    # new text (``{"title": "New | Site"}``); they are not reported as changes of their own.
    also_in: dict[str, str | None] | None = None
    words_added: int = 0
    words_removed: int = 0
    old_indexes: list[int] | None = None
    new_indexes: list[int] | None = None

    def to_dict(self) -> dict:
        """A JSON-ready dict, omitting empty optional parts."""
        data = asdict(self)
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Mapping) -> Change:
        """The change a :meth:`to_dict` dict (as stored or printed as JSON) describes."""
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise DiffDoesNotApply(f"not a change: {exc}") from None


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
    """Compare two articles given as mappings with headline, byline, published, modified, body.

    The headline variants (:data:`HEADLINE_VARIANTS`) are compared when both sides know
    them (not ``None``); a variant that changed exactly as ``headline`` did is left out.
    """
    changes = _metadata_changes(old, new)
    changes.extend(diff_paragraphs(old.get("body") or [], new.get("body") or [], key))
    return ArticleDiff(changes)


def _metadata_changes(old: Mapping, new: Mapping) -> list[Change]:
    def canonical(record: Mapping) -> dict:
        return {
            "headline": comparison_key(record.get("headline") or ""),
            # Unknown on either side: not compared (an upgrade must not read as an edit).
            **{name: variant_key(record.get(name)) if known(name) else "" for name in HEADLINE_VARIANTS},
            "byline": sorted(canonical_text(n).casefold() for n in record.get("byline") or []),
            "published": record.get("published") or "",
            "modified": record.get("modified") or "",
        }

    def known(name: str) -> bool:
        return old.get(name) is not None and new.get(name) is not None

    before, after = canonical(old), canonical(new)
    # Most edits leave the metadata alone: no need to ask DeepDiff (a millisecond) what differs.
    if before == after:
        affected = set()
    else:
        from deepdiff import DeepDiff  # a tenth of a second to import: not for `history` or `show`

        affected = DeepDiff(before, after, ignore_order=True).affected_root_keys
    changes = []
    for name in METADATA_FIELDS:
        if name not in affected:
            continue
        before, after = old.get(name), new.get(name)
        if name in HEADLINE_VARIANTS:
            before, after = before or None, after or None  # "" is "the page had none"
        kind = "insert" if not before else "delete" if not after else "edit"
        category = "dates" if name in ("published", "modified") else name
        if name in HEADLINE_VARIANTS:
            category = "headline"
        change = Change(field=name, kind=kind, category=category, before=before, after=after)
        if category == "headline" and before and after:
            change.words = word_ops(before, after)
            change.words_added, change.words_removed = count_words(change.words)
        elif name == "byline":
            change.words_added, change.words_removed = _name_words(before or [], after or [])
            if before and after:
                change.words = list_ops(before, after)
        changes.append(change)
    # The headline readers see (the page's <h1>) did not change: a headline edit was made elsewhere.
    shown_unchanged = (
        bool(old.get("page_headline") and new.get("page_headline")) and "page_headline" not in affected
    )
    return without_echoes(changes, shown_unchanged)


def _name_words(before: Sequence[str], after: Sequence[str]) -> tuple[int, int]:
    """Words of the names a byline gained and lost."""
    old = {canonical_text(n).casefold() for n in before}
    new = {canonical_text(n).casefold() for n in after}
    added = sum(len(n.split()) for n in new - old)
    removed = sum(len(n.split()) for n in old - new)
    return added, removed


def diff_paragraphs(
    old: Sequence[str], new: Sequence[str], key: Callable[[str], str] = comparison_key
) -> list[Change]:
    """Paragraph-level changes of a body; edits carry their sentence and word operations."""
    old_keys = [key(p) for p in old]
    new_keys = [key(p) for p in new]
    deleted, inserted, edited, reflows = _align(old, old_keys, new, new_keys)
    moved = _pair_moves(old_keys, deleted, new_keys, inserted)
    moved_old = {i for i, _ in moved}
    moved_new = {j for _, j in moved}
    deleted = [i for i in deleted if i not in moved_old]
    inserted = [j for j in inserted if j not in moved_new]

    changes = [Change(field="body", kind="edit", **reflow.reflow_fields(old, a, new, b)) for a, b in reflows]
    for i, j in edited:
        if old_keys[i] == new_keys[j]:
            continue  # differs only in form (quotes, spaces): not an edit
        changes.append(_paragraph_edit("edit", old, i, new, j))
    for i, j in moved:
        if old_keys[i] == new_keys[j]:
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
        else:
            changes.append(_paragraph_edit("move", old, i, new, j))
    changes += _additions(new, inserted) + _deletions(old, deleted)
    changes.sort(key=_body_order)
    return changes


def _align(
    old: Sequence[str], old_keys: list[str], new: Sequence[str], new_keys: list[str]
) -> tuple[list[int], list[int], list[tuple[int, int]], list[tuple[list[int], list[int]]]]:
    """Old and new paragraphs aligned: deleted, inserted, edited pairs and reflowed groups."""
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    deleted: list[int] = []
    inserted: list[int] = []
    edited: list[tuple[int, int]] = []
    reflows: list[tuple[list[int], list[int]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            deleted.extend(range(i1, i2))
        elif tag == "insert":
            inserted.extend(range(j1, j2))
        elif tag == "replace":
            groups = reflow.find_reflows(old, old_keys, range(i1, i2), new, new_keys, range(j1, j2))
            reflows.extend(groups)
            # Between reflows, paragraphs pair one to one as before.
            for olds, news in reflow.runs_between(groups, range(i1, i2), range(j1, j2)):
                pairs = pair_similar(old_keys, olds, new_keys, news)
                edited.extend(pairs)
                paired_old = {i for i, _ in pairs}
                paired_new = {j for _, j in pairs}
                deleted.extend(i for i in olds if i not in paired_old)
                inserted.extend(j for j in news if j not in paired_new)
    return deleted, inserted, edited, reflows


def _additions(new: Sequence[str], inserted: list[int]) -> list[Change]:
    """Inserted paragraphs: additions, or a correction appended at the top or the end."""
    changes = []
    for j in inserted:
        text = new[j]
        at_edge = all(k in inserted for k in range(j, len(new))) or all(k in inserted for k in range(j + 1))
        category = "correction" if at_edge and _CORRECTION.match(text) else "addition"
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
    return changes


def _deletions(old: Sequence[str], deleted: list[int]) -> list[Change]:
    """Deleted paragraphs."""
    changes = []
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
    return changes


def _paragraph_edit(category: str, old: Sequence[str], i: int, new: Sequence[str], j: int) -> Change:
    words, sentences = sentence_ops(old[i], new[j])
    added, removed = count_words(words)
    return Change(
        field="body", kind="edit", category=category, before=old[i], after=new[j],
        old_index=i, new_index=j, words=words, sentences=sentences,
        words_added=added, words_removed=removed,
    )  # fmt: skip


def _pair_moves(
    old_keys: Sequence[str], deleted: list[int], new_keys: Sequence[str], inserted: list[int]
) -> list[tuple[int, int]]:
    """Deleted and inserted paragraphs that are one paragraph in a new place.

    Identical text pairs first; then, most similar first, text that moved and
    was lightly edited on the way.
    """
    moves: list[tuple[int, int]] = []
    free_new = list(inserted)
    for i in deleted:
        for j in free_new:
            if old_keys[i] == new_keys[j]:
                moves.append((i, j))
                free_new.remove(j)
                break
    free_old = [i for i in deleted if i not in {a for a, _ in moves}]
    if free_old and free_new and len(free_old) * len(free_new) <= _MAX_MOVE_CANDIDATES:
        scored = sorted(
            ((similarity(old_keys[i], new_keys[j]), i, j) for i in free_old for j in free_new),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        used_old: set[int] = set()
        used_new: set[int] = set()
        for score, i, j in scored:
            if score < MOVE_SIMILARITY:
                break
            if i not in used_old and j not in used_new:
                moves.append((i, j))
                used_old.add(i)
                used_new.add(j)
    return moves


def _body_order(change: Change) -> tuple[int, int]:
    position = change.new_index if change.new_index is not None else change.old_index
    return (position or 0, 0 if change.kind == "delete" else 1)


class DiffDoesNotApply(ValueError):
    """A list of changes that does not fit the article it is applied to."""
