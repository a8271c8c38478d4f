"""The kill -9 loop: the daemon killed while it stores versions and delivers alerts, restarted each time.

    python benchmarks/crashes.py --kills 20 --stories 8

Runs ``tests/crash_loop.py``: a news site on 127.0.0.1 whose stories are rewritten one
edit at a time, the real daemon (``editwatch run``) with a webhook alert rule pointing at a
receiver on 127.0.0.1, and ``kill -9`` every few seconds (half at a random moment, half the
instant an alert reaches the receiver). Prints what was stored and delivered against what
should have been, and exits 1 if any guarantee was broken.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import Workspace
from tests.crash_loop import CrashLoop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--stories", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)  # for the CLI and the daemon

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        workspace = Workspace(path=path, db=path / "editwatch.db", config=path / "editwatch.toml")
        f = CrashLoop(workspace, stories=args.stories, kills=args.kills, seed=args.seed).run()

    ok_integrity = sum(1 for result in f.integrity if result == "ok")
    rows = [
        ("kill -9", f"{f.kills} ({f.kills - f.kills_mid_delivery} at random moments, "
                    f"{f.kills_mid_delivery} while an alert was being answered)"),
        ("PRAGMA integrity_check", f"ok {ok_integrity} of {len(f.integrity)} (after every kill and at the end)"),
        ("edits made on the site", str(f.edits)),
        ("versions stored / expected", f"{f.versions} / {f.expected_versions}"),
        ("stories whose versions differ from their edits", str(f.headline_mismatches)),
        ("versions repeating the one before", str(f.repeated_versions)),
        ("alerts queued / expected", f"{f.alerts} / {f.edits}"),
        ("alerts not delivered at the end", str(f.undelivered)),
        ("alerts whose key never reached the receiver", str(f.lost)),
        ("webhook requests / distinct Idempotency-Keys", f"{f.requests} / {f.distinct_keys}"),
        ("keys received more than once", f"{f.repeated_keys}, {f.extra_arrivals} repeats in all (allowed: one per kill)"),
        ("sends after the delivery was recorded", str(f.resent_after_recorded)),
        ("daemon start-up, median (max)",
         f"{statistics.median(f.restart_seconds):.2f} s ({max(f.restart_seconds):.2f} s)"),
        ("whole run", f"{f.seconds:.0f} s"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    broken = (
        ok_integrity != len(f.integrity)
        or f.versions != f.expected_versions
        or f.headline_mismatches
        or f.repeated_versions
        or f.alerts != f.edits
        or f.undelivered
        or f.lost
        or f.resent_after_recorded
        or f.extra_arrivals > f.kills
    )
    print("\nguarantees " + ("BROKEN" if broken else "held"))
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
