"""Telling a page read in the wrong character set from an edited one.

A server that starts declaring the wrong charset (or none, or that re-encodes its
pages) makes the same article read differently: "café" becomes "cafй", "caf�" or
"cafÃ©". Decoding already prefers valid UTF-8 and repairs UTF-8 read as
windows-1252, but a label that still decodes (windows-1252 bytes called
windows-1251, Shift_JIS called EUC-JP) cannot be caught while decoding. It is
caught here, by comparison with the version before: if one wrong reading of the
earlier text's bytes turns every one of its texts into the new ones, the
difference is the charset's, not an editor's.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from crawler.extraction.comparison import HEADLINE_VARIANTS, canonical_text, without_volatile
from crawler.extraction.text import clean_text

# Encodings pages are written in and read as, most common first (Python's codec names).
# Windows-1252 stands in for ISO-8859-1 (browsers read one as the other).
_ENCODINGS = (
    "utf-8", "cp1252", "iso8859-15", "cp1250", "iso8859-2", "cp1251", "koi8-r", "iso8859-5",
    "cp1253", "iso8859-7", "cp1254", "cp1255", "cp1256", "cp1257", "mac-roman", "cp437", "cp850",
    "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
)  # fmt: skip
_NAMES = {"cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251",
          "cp1253": "windows-1253", "cp1254": "windows-1254", "cp1255": "windows-1255",
          "cp1256": "windows-1256", "cp1257": "windows-1257", "utf-8": "UTF-8", "shift_jis": "Shift_JIS",
          "euc_jp": "EUC-JP", "gb18030": "GB18030", "big5": "Big5", "euc_kr": "EUC-KR",
          "mac-roman": "Mac Roman", "koi8-r": "KOI8-R"}  # fmt: skip
# UTF-8 read as windows-1252: what servers that re-encode their pages do, whatever we read the
# page as. (Texts that reading repairs (text.repair_mojibake) come out unchanged.)
_REPAIRED = (("utf-8", "cp1252"), ("utf-8", "iso8859-15"))


@dataclass(frozen=True)
class Misreading:
    """Text written in one encoding and read as another."""

    written_in: str
    read_as: str

    def __str__(self) -> str:
        written, read = (_NAMES.get(name, name) for name in (self.written_in, self.read_as))
        return f"written in {written}, read as {read}"


def find_misreading(before: dict, after: dict, read_as: str | None = None) -> Misreading | None:
    """The charset misreading that turns the article ``before`` into ``after``, if one does.

    Both are article fields (``headline``, ``byline``, ``published``, ``modified``,
    ``body``); ``read_as`` is the codec the new page was decoded with. Only
    misreadings as that codec are considered, and UTF-8 read as windows-1252 (which
    servers do when they re-encode pages): one letter corrected into another
    (è into č) would otherwise pass for windows-1252 read as windows-1250. ``None``
    when the articles differ in anything a misreading cannot explain: other words,
    other paragraphs, other dates, or texts misread in different ways. Texts that
    did not change do not count against a misreading: JSON-LD escapes and HTML
    entities survive any charset.
    """
    if not _same_dates(before, after):
        return None
    changed = [
        (old, canonical_text(new))
        for old, new in _text_pairs(before, after)
        if canonical_text(old) != canonical_text(new)
    ]
    if not changed:
        return None
    read = _codec(read_as) if read_as else None
    candidates = (
        [(written, read) for written in _ENCODINGS]
        if read
        else [(written, other) for written in _ENCODINGS for other in _ENCODINGS]
    )
    for written, shown in [*_REPAIRED, *candidates]:
        if written != shown and all(_explains(written, shown, old, new) for old, new in changed):
            return Misreading(written, shown)
    return None


def _same_dates(before: dict, after: dict) -> bool:
    """Whether the articles give the same publication day, as the comparison form reads it.

    The modified date is not compared: pages bump it without an edit, and it is no text a
    charset could garble.
    """
    return (before.get("published") or "")[:10] == (after.get("published") or "")[:10]


def _text_pairs(before: dict, after: dict) -> Iterator[tuple[str, str]]:
    """The articles' texts side by side; nothing when their paragraphs do not pair up."""
    old_body, new_body = before.get("body") or [], after.get("body") or []
    if len(old_body) != len(new_body):
        return
    yield before.get("headline") or "", after.get("headline") or ""
    yield "; ".join(before.get("byline") or []), "; ".join(after.get("byline") or [])
    for name in HEADLINE_VARIANTS:  # those known on both sides (None: stored before they were read)
        if before.get(name) is not None and after.get(name) is not None:
            yield before[name], after[name]
    yield from zip(old_body, new_body, strict=True)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _explains(written: str, read: str, old: str, new: str) -> bool:
    """Whether ``new`` (canonical) is ``old`` written in ``written`` and read as ``read``."""
    try:
        data = old.encode(written)
    except UnicodeEncodeError:
        return False  # the old text cannot have been written in this encoding
    return canonical_text(clean_text(data.decode(read, errors="replace"))) == new


# What a lost character turns into: "?" from an encoder that could not write it, U+FFFD from
# a decoder that could not read it.
_LOSS_MARKS = frozenset("?\ufffd")


@dataclass(frozen=True)
class LostCharacters:
    """Characters of the earlier text that the new page no longer carries, and what stands for them."""

    lost: str  # the earlier characters, in order of appearance
    shown_as: str  # what the new page shows instead

    def __str__(self) -> str:
        lost = "".join(dict.fromkeys(self.lost))[:8]
        shown = "".join(dict.fromkeys(self.shown_as))[:8]
        return f"{len(self.lost)} characters lost ({lost} shown as {shown})"


def find_lost_characters(before: dict, after: dict) -> LostCharacters | None:
    """The characters garbled between ``before`` and ``after``, when that is *all* that differs.

    A server that writes its pages in a charset too small for them turns typographic quotes
    and accented letters into "?"; a decoder fed bytes of another charset turns them into
    U+FFFD; UTF-8 shown as windows-1252 turns "é" into "Ã©". Every difference must be one of
    these, at a character outside ASCII of the earlier text: a changed word, a "?" where a
    letter of ASCII stood, or another date is an edit.
    """
    if not _same_dates(before, after):
        return None
    # Relative times and counters change on their own ("Updated 3 minutes ago"): not compared.
    pairs = [
        (old, new)
        for old, new in ((without_volatile(a), without_volatile(b)) for a, b in _text_pairs(before, after))
        if old != new
    ]
    if not pairs:
        return None
    lost, shown = [], []
    for old, new in pairs:
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            was, now = old[i1:i2], new[j1:j2]
            if not was or was.isascii() or not _garbled(was, now):
                return None
            lost.append(was)
            shown.append(now)
    return LostCharacters("".join(lost), "".join(shown))


def _garbled(was: str, now: str) -> bool:
    """Whether ``now`` is what an encoding fault makes of the characters ``was``."""
    if now and set(now) <= _LOSS_MARKS and len(now) <= 4 * len(was):
        return all(not char.isascii() for char in was)
    return now == was.encode("utf-8").decode("cp1252", errors="replace")
