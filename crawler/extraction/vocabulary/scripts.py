"""East Asian scripts, which the rules for Latin text do not fit.

Chinese and Japanese are written without spaces between words (each character counts
as one word, and a diff compares them character by character); Korean Hangul uses
spaces, but like them has no capital letters, and all three say in fewer characters
what Latin text says in more.
"""

from __future__ import annotations

import re

# CJK radicals, punctuation, kana, Han ideographs, compatibility ideographs, full-width forms.
_UNSPACED = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# Hangul jamo and syllables.
_HANGUL = "\u1100-\u11ff\uac00-\ud7af"

EAST_ASIAN = re.compile(f"[{_UNSPACED}{_HANGUL}]")
# A token for word-level comparison: one character of an unspaced script, or a run of anything else.
UNSPACED_TOKEN = re.compile(f"[{_UNSPACED}]|[^\\s{_UNSPACED}]+")


def has_east_asian(text: str) -> bool:
    """Whether ``text`` holds any Chinese, Japanese or Korean character (such names have no capitals)."""
    return EAST_ASIAN.search(text) is not None


def is_mostly_east_asian(text: str) -> bool:
    """Whether more than a third of the first 200 characters are Chinese, Japanese or Korean."""
    head = text[:200]
    return len(EAST_ASIAN.findall(head)) > len(head) / 3


def count_words(text: str) -> int:
    """Words in a text, counting each Chinese, Japanese or Korean character as one."""
    wide = len(EAST_ASIAN.findall(text))
    if not wide:
        return len(text.split())
    return len(EAST_ASIAN.sub(" ", text).split()) + wide
