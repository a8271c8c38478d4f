"""Schema version 14. Per-day counts of the uneventful checks a retention rule folded away."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v14_check_rollups(db: sqlite_utils.Database) -> None:
    """Per-day counts of the uneventful checks a retention rule folded away (``[retention]``).

    An ``unchanged`` or ``not_modified`` check older than the configured age is deleted
    from ``checks`` and counted here instead: one row per watch, day and outcome, with the
    number of checks and their total fetch time. The latest check of a watch is never folded.
    """
    db["check_rollups"].create(
        {"watch_id": int, "day": str, "outcome": str, "checks": int, "duration_ms": int},
        pk=("watch_id", "day", "outcome"),
        not_null={"watch_id", "day", "outcome", "checks"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
