"""What ``[retention] unchanged_days`` saves: a database of checks on the default schedule, folded.

Builds ``--watches`` watches published evenly over the last ``--span-days`` days, each
checked on the default age-based schedule (every 5 minutes for 3 hours, every 15 minutes
to a day, hourly to a week, every 6 hours to a month, daily to 90 days: about 420 checks
in an article's life), every check unchanged but the first (a version). Then folds the
checks older than ``--days`` days and prints the rows and bytes (after VACUUM) before
and after, and the time the pass took.

    python benchmarks/retention.py [--watches 500] [--days 30]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage import CheckResult, NewVersion, Store, clock
from storage.retention import fold_old_checks

STEPS = [
    (3 * 60, 5),
    (24 * 60, 15),
    (7 * 1440, 60),
    (30 * 1440, 360),
    (90 * 1440, 1440),
]  # (age up to, every) min


def _offsets() -> list[int]:
    """Minutes after publication of every check on the default schedule."""
    offsets, age = [], 0
    for until, every in STEPS:
        while age < until:
            offsets.append(age)
            age += every
    return offsets


def _size(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM")
    return db.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=500)
    parser.add_argument("--span-days", type=int, default=120)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="editwatch-retention-")) / "editwatch.db"
    now = clock.utcnow()
    offsets = _offsets()
    with Store(db) as store:
        for n in range(args.watches):
            published = now - timedelta(days=args.span_days * n / args.watches)
            watch, _ = store.watches.add(f"https://news{n % 50}.example/story-{n}")
            with store.transaction():
                for index, minutes in enumerate(offsets):
                    at = published + timedelta(minutes=minutes)
                    if at > now:
                        break
                    result = CheckResult(watch.id, clock.to_text(at), "unchanged", 200, 35)
                    if index == 0:
                        result.outcome = "new_version"
                        result.new_version = NewVersion(
                            fetched_at=result.checked_at, url=watch.url, content_hash=f"h{n}", headline="A story",
                            byline=[], published=None, modified=None, body=["One paragraph."], extractor="page",
                        )  # fmt: skip
                    store.checks.record(result)
        rows = store.query("SELECT count(*) AS n FROM checks")[0]["n"]
    before = _size(db)
    with Store(db) as store:
        started = time.perf_counter()
        result = fold_old_checks(store, clock.to_text(now - timedelta(days=args.days)))
        took = time.perf_counter() - started
        left = store.query("SELECT count(*) AS n FROM checks")[0]["n"]
        rollups = store.query("SELECT count(*) AS n FROM check_rollups")[0]["n"]
    after = _size(db)
    print(
        f"{args.watches} watches published over {args.span_days} days, {rows} checks ({len(offsets)} per article life)"
    )
    print(f"before: {before / 1e6:.1f} MB; folding checks older than {args.days} days took {took:.1f} s")
    print(
        f"after: {after / 1e6:.1f} MB, {left} checks and {rollups} daily counts ({result.folded} checks folded)"
    )
    print(
        f"saved: {(before - after) / 1e6:.1f} MB, {(before - after) / max(result.folded, 1):.0f} bytes per folded check"
    )


if __name__ == "__main__":
    main()
