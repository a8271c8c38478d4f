"""Timestamps as stored: ISO 8601 in UTC, fixed width, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """Render a moment the way every table stores it (``2026-03-18T09:30:00.000000+00:00``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def now_text() -> str:
    """The current time in the stored form."""
    return to_text(utcnow())


def from_text(text: str | None) -> datetime | None:
    """Parse a stored (or any ISO 8601) timestamp; naive values are taken as UTC."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def later(seconds: float, start: datetime | None = None) -> str:
    """The stored form of ``start`` (default: now) plus ``seconds``."""
    return to_text((start or utcnow()) + timedelta(seconds=seconds))
