"""Dates as ISO 8601, whatever form the page gives them in.

``parse_date`` turns ``"2023-04-28T19:20:36+0200"``, ``"Fri Apr 28 19:20:36 CEST 2023"``,
``"28.04.2023, 19:20 Uhr"``, ``"April 28, 2023"`` or a Unix timestamp into
``"2023-04-28T19:20:36+02:00"`` (time and offset kept when the page gives them, a
bare ``"2023-04-28"`` when it gives only the day). Fast paths first; ``dateutil``
for the rest.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?(?![\d])"
)
_DOTTED = re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:\D{0,6}?(\d{1,2})[:.h](\d{2})(?![\d]))?")
_SLASHED_YMD = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:\D{0,6}?(\d{1,2}):(\d{2}))?")
_CJK = re.compile(
    r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?(?:\D{0,8}?(\d{1,2})[:時시]\s*(\d{2}))?"
)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_HAS_DIGIT = re.compile(r"\d")

# Zone abbreviations pages use; dateutil knows only UTC/GMT by itself.
_ZONES = {
    name: offset * 3600
    for name, offset in {
        "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "IST": 5.5, "CET": 1, "CEST": 2,
        "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
        "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9,
        "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12,
        "NZDT": 13, "SAST": 2, "WAT": 1, "CAT": 2, "EAT": 3, "BRT": -3, "ART": -3,
    }.items()
}  # fmt: skip
# Plausible publication years: anything else is a parse accident (a phone number, an ID).
_MIN_YEAR, _MAX_YEAR = 1990, datetime.now(UTC).year + 1


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(year, month, day, hour=None, minute=None, second=None, tz=None) -> str | None:
    try:
        year, month, day = int(year), int(month), int(day)
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            return None
        if hour is None:
            return date(year, month, day).isoformat()
        moment = datetime(year, month, day, int(hour), int(minute or 0), int(second or 0), tzinfo=tz)
    except (TypeError, ValueError):
        return None
    return moment.isoformat()


def format_datetime(moment: datetime) -> str:
    """ISO 8601 with seconds, and the offset when known."""
    return moment.replace(microsecond=0).isoformat()


def parse_date(text: object) -> str | None:
    """The date (and time, and offset, when given) in ``text`` as ISO 8601, or None."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(int(text))
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > 200 or not _HAS_DIGIT.search(text):
        return None
    if _EPOCH.match(text):
        seconds = int(text[:10])
        moment = datetime.fromtimestamp(seconds, tz=UTC)
        return format_datetime(moment) if _MIN_YEAR <= moment.year <= _MAX_YEAR else None
    match = _ISO.search(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        return _build(year, month, day, hour, minute, second, _offset(zone))
    for pattern in (_DOTTED, _CJK):
        match = pattern.search(text)
        if match:
            if pattern is _DOTTED:
                day, month, year, hour, minute = match.groups()
            else:
                year, month, day, hour, minute = match.groups()
                if hour is not None and int(hour) < 12 and ("오후" in text or "午後" in text):
                    hour = int(hour) + 12
            return _build(year, month, day, hour, minute)
    match = _SLASHED_YMD.search(text)
    if match:
        year, month, day, hour, minute = match.groups()
        return _build(year, month, day, hour, minute)
    return _parse_words(text)


def _parse_words(text: str) -> str | None:
    """Month names and the like ("Fri Apr 28 19:20:36 CEST 2023", "April 28, 2023 5:40 PM")."""
    try:
        moment = dateutil_parser.parse(text, fuzzy=True, tzinfos=_ZONES, default=_NO_DAY)
    except (ValueError, OverflowError, TypeError):
        return None
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:  # year 1 (the default) means no year was given
        return None
    has_time = moment.hour or moment.minute or moment.second or re.search(r"\d:\d\d", text)
    if not has_time:
        return moment.date().isoformat()
    return format_datetime(moment)


# dateutil fills missing parts from this default; a year of 1 means "no year given".
_NO_DAY = datetime(1, 1, 1)
