"""Retention of the ``checks`` table: uneventful checks past an age folded into per-day counts.

Every fetch leaves a ``checks`` row (about 90 bytes); almost all of them say "unchanged".
:func:`fold_old_checks` deletes the ``unchanged`` and ``not_modified`` checks older than a
moment and adds them to ``check_rollups`` (watch, day, outcome: how many, how long they
took), so that the table grows with the articles followed, not with every fetch ever made.
Checks that carry meaning (a new version, an error, a removal, a rejected page) are kept, and
so is every watch's latest check. A pass reads the table once, in batches of one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Store

FOLDED_OUTCOMES = ("unchanged", "not_modified")


@dataclass
class FoldResult:
    """What one pass of the retention rule did."""

    folded: int = 0  # checks deleted and counted in check_rollups
    kept: int = 0  # old uneventful checks kept because each is its watch's latest
    resume_after: int | None = None  # the check ID to go on after (None: the pass is complete)


def fold_old_checks(
    store: Store, before: str, *, batch: int = 5000, after_id: int = 0, batches: int | None = None
) -> FoldResult:
    """Fold the uneventful checks made before ``before`` (a stored timestamp) into per-day counts.

    Each batch is one transaction: an interrupted pass leaves every check either kept or counted.
    With ``batches``, stops after that many and says where to go on (``resume_after``, then ``after_id``).
    """
    result = FoldResult()
    after = after_id
    done = 0
    while batches is None or done < batches:
        done += 1
        with store.transaction() as conn:
            # SQLite filters the table in id order itself: one pass over it, whatever order checks came in.
            rows = conn.execute(
                "SELECT id, watch_id, checked_at, outcome, duration_ms FROM checks WHERE id > ?"
                f" AND checked_at < ? AND outcome IN {FOLDED_OUTCOMES!r} AND processed = 1 ORDER BY id LIMIT ?",
                (after, before, batch),
            ).fetchall()
            if not rows:
                return result
            latest = {
                watch_id: conn.execute(
                    "SELECT max(id) FROM checks WHERE watch_id = ?", (watch_id,)
                ).fetchone()[0]
                for watch_id in {r["watch_id"] for r in rows}
            }
            fold = [r for r in rows if r["id"] != latest[r["watch_id"]]]
            counts: dict[tuple[int, str, str], list[int]] = {}
            for r in fold:
                total = counts.setdefault((r["watch_id"], r["checked_at"][:10], r["outcome"]), [0, 0])
                total[0] += 1
                total[1] += r["duration_ms"] or 0
            conn.executemany(
                "INSERT INTO check_rollups (watch_id, day, outcome, checks, duration_ms) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (watch_id, day, outcome) DO UPDATE SET checks = checks + excluded.checks,"
                " duration_ms = coalesce(duration_ms, 0) + excluded.duration_ms",
                [(w, day, outcome, n, ms) for (w, day, outcome), (n, ms) in counts.items()],
            )
            for start in range(0, len(fold), 500):
                ids = [r["id"] for r in fold[start : start + 500]]
                conn.execute(f"DELETE FROM checks WHERE id IN ({','.join('?' * len(ids))})", ids)
        result.folded += len(fold)
        result.kept += len(rows) - len(fold)
        after = rows[-1]["id"]
    result.resume_after = after
    return result


def rolled_up_checks(store: Store, watch_id: int) -> list[dict]:
    """A watch's folded checks: one row per day and outcome, oldest first."""
    rows = store.query(
        "SELECT day, outcome, checks, duration_ms FROM check_rollups WHERE watch_id = ? ORDER BY day, outcome",
        (watch_id,),
    )
    return [dict(r) for r in rows]
