"""Query parameters read the viewer's way: one-line messages, the same as before the framework."""

from __future__ import annotations

from monitor.web.pages import BadRequest


def positive_number(name: str, value: str | None) -> int | None:
    """A positive whole number from the query, or None when absent."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise BadRequest(f"{name} must be a positive whole number")
    return int(value)
