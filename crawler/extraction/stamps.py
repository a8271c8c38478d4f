"""Stamps inside the article container: datelines, "Updated …" lines, reading times.

"Published: November 30, 2026 at 12:33 p.m. Updated 1 minute ago", "Stand: 17.06.2025
18:24 Uhr" or "5 min read" say when the story was published or updated, or how long it
is; they are not the story. A stamp is a short line made of nothing but stamp words,
dates, times and the byline's names: "On 12.03.2024 the court ruled against him." has
words of its own and stays in the body. The dates a stamp gives go to the date fields;
relative times and reading times are volatile and go nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extraction.dates import parse_date
from crawler.extraction.vocabulary.times import (
    CLOCK,
    MODIFIED_WORDS,
    MONTH_NAMES,
    PUBLISHED_WORDS,
    READING_WORDS,
    RELATIVE_TIME,
    TIME_WORDS,
    WEEKDAY_NAMES,
)

_MAX_CHARS = 160
_STARTS = re.compile(
    rf"\b(?:(?P<modified>{'|'.join(MODIFIED_WORDS)})|(?P<published>{'|'.join(PUBLISHED_WORDS)}))\b",
    re.IGNORECASE,
)
_READING = re.compile(rf"\b(?:min(?:ute)?s?\.?\s+(?:read|reading)|{READING_WORDS})\b", re.IGNORECASE)
# Everything else a stamp may say: connectives, zones, "a.m.", reading times, months, weekdays and
# the words of relative times.
_STAMP_WORDS = (
    frozenset(
        """
    on at am um uhr le à el a las alle il kl om den the of by von par por di av af door and und et y e og
    och en de der des du dem das die del la at ab seit since
    a p m h pm ap ct et pt mt utc gmt cet cest mez mesz bst edt est cdt cst pdt pst ist jst aest
    read reading time lesezeit lesedauer temps lecture tiempo lectura tempo lettura
    st nd rd th 年 月 日 时 時 分 년 월 일 시 분
    """.split()  # noqa: SIM905 (a word list is easier to read and extend as text)
    )
    | MONTH_NAMES
    | WEEKDAY_NAMES
    | TIME_WORDS
)
_TOKENS = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_CLOCK = re.compile(CLOCK)
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class Stamp:
    """What a stamp line says: its published and modified dates, if it gives them."""

    text: str
    published: str | None = None
    modified: str | None = None
    kind: str = "dateline"  # dateline | reading time | relative time

    def describe(self) -> str:
        """The stamp's fate, in words, for ``--explain``."""
        parts = [f"{name} {value}" for name, value in (("published", self.published),
                                                       ("modified", self.modified)) if value]  # fmt: skip
        if parts:
            return "dateline → " + ", ".join(parts)
        return f"{self.kind}: volatile"


def _names_a_day(text: str) -> bool:
    """Whether text names a day: three numbers (12.03.2024), or two and a month (March 3, 2024)."""
    numbers = len(_NUMBERS.findall(text))
    if numbers >= 3 or "年" in text:
        return True
    return numbers >= 2 and any(token.casefold() in MONTH_NAMES for token in _TOKENS.findall(text))


def read_stamp(text: str, names: list[str] | tuple[str, ...] = ()) -> Stamp | None:
    """The stamp ``text`` is, or None when it says anything besides when and how long (a sentence)."""
    if len(text) > _MAX_CHARS or not (_DIGIT.search(text) or RELATIVE_TIME.search(text)):
        return None
    rest = text
    for name in names:
        rest = rest.replace(name, " ")
    leftover = [
        token
        for token in _TOKENS.findall(_STARTS.sub(" ", rest))
        if not token.isdigit() and token.casefold() not in _STAMP_WORDS
    ]
    if leftover:
        return None  # a word of its own: a sentence that mentions a date
    if _READING.search(text):
        return Stamp(text, kind="reading time")
    dates = {"published": None, "modified": None}
    starts = list(_STARTS.finditer(text))
    pieces = [("published", text[: starts[0].start()] if starts else text)]
    for number, start in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        pieces.append(("modified" if start.group("modified") else "published", text[start.end() : end]))
    for field, piece in pieces:
        if not _names_a_day(piece) or RELATIVE_TIME.search(piece):
            continue
        value = parse_date(piece.strip(" :,|·-–—"))
        if value and dates[field] is None:
            dates[field] = value
    if dates["published"] or dates["modified"]:
        return Stamp(text, dates["published"], dates["modified"])
    if RELATIVE_TIME.search(text):
        return Stamp(text, kind="relative time")
    if _CLOCK.search(text):
        return Stamp(text, kind="time of day")
    return None
