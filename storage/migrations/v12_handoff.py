"""Schema version 12. The hand-off from the crawler to the monitor: checks the monitor has not yet made changes of."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v12_handoff(db: sqlite_utils.Database) -> None:
    """The hand-off from the crawler to the monitor: checks the monitor has not yet made changes of.

    ``checks.processed`` is 0 for a snapshot the crawler stored alone (``scrapy crawl``,
    a remote worker) and 1 once the monitor has drawn its changes, queued their alerts and
    scheduled the next check, in the same transaction. Checks stored before are processed.
    """
    db["checks"].add_column("processed", int, not_null_default=1)
    db.execute("CREATE INDEX checks_pending ON checks (id) WHERE processed = 0")
