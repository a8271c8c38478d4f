"""Recording many unchanged checks in one SQLite transaction: what keeps the single writer cheap.

A worker settles an unchanged page itself (its article region matched): the result
carries no page, so of the coordinator's pipelines only ``RecordCheckPipeline`` writes
for it, through its own connection. Such results are recorded together, each in a
savepoint of one transaction on that connection, so that a commit (the fsync of the WAL,
the lock taken and given back) is paid once per batch rather than once per check. A
result that fails is rolled back to its savepoint alone; the others commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from scrapy.exceptions import DropItem

from crawler.items import PageFetch
from storage import Store
from storage.errors import StorageError

# How many results one transaction records at most.
RECORD_BATCH = 200


def settled(item: PageFetch) -> bool:
    """Whether a worker settled this page (its region matched): only the check itself is left to write."""
    return item.same_region_as is not None and item.article is None and not item.error and item.html is None


@dataclass
class BatchOutcome:
    """What became of a batch once its transaction ended."""

    recorded: list[tuple[PageFetch, str]] = field(default_factory=list)  # (the item as recorded, its token)
    failed: list[tuple[PageFetch, str]] = field(default_factory=list)  # each with why
    duplicates: int = 0


def record_batch(
    store: Store,
    results: Iterable[tuple[PageFetch, str]],
    recorders: list,
    is_duplicate: Callable[[PageFetch, str], bool],
) -> BatchOutcome:
    """Run settled results through ``recorders`` in one transaction on ``store``; report after it commits.

    ``is_duplicate(item, token)`` says whether a result was recorded by an earlier transaction;
    a result seen twice in the same batch (same watch, same fetch time) is recognised here.
    If the transaction cannot commit, nothing of the batch is recorded and every result is
    reported failed.
    """
    outcome = BatchOutcome()
    seen: set[tuple[int, str]] = set()
    pending = list(results)
    try:
        with store.transaction() as conn:
            for item, token in pending:
                key = (item.watch_id, item.fetched_at)
                if key in seen or is_duplicate(item, token):
                    outcome.duplicates += 1
                    continue
                seen.add(key)
                why = _record_one(conn, item, recorders)
                if why is None:
                    outcome.recorded.append((item, token))
                else:
                    outcome.failed.append((item, why))
    except StorageError as exc:
        return BatchOutcome(failed=[(item, str(exc)) for item, _ in pending])
    return outcome


def _record_one(conn: sqlite3.Connection, item: PageFetch, recorders: list) -> str | None:
    """Record one result inside a savepoint; on failure undo it alone and say why."""
    conn.execute("SAVEPOINT result")
    try:
        for recorder in recorders:
            item = recorder.process_item(item)
        # Inside an outer transaction a write error reaches the pipeline as a StorageError it
        # turns into an "error" outcome; a settled page has no other way to end in error.
        failed = item.outcome == "error"
        why = (item.message or "error") if failed else None
    except DropItem:
        why = None
        failed = False
    except Exception as exc:  # one bad result must not stop the others
        failed = True
        why = f"{type(exc).__name__}: {exc}"
    if not failed:
        conn.execute("RELEASE result")
        return None
    if not conn.in_transaction:  # SQLite rolled the whole transaction back (a full disk, an I/O error)
        raise StorageError(f"the batch's transaction was rolled back: {why}")
    conn.execute("ROLLBACK TO result")
    conn.execute("RELEASE result")
    return why
