"""CLI commands in a loop beside a daemon writing at full speed: does "database is locked" ever show?

    python benchmarks/contention.py --seconds 60 --stories 150 --clients 3

Runs ``tests/contention.py``: the real daemon checks every story of a local site every
second while an editor thread edits them; ``clients`` loops run history, diff, show, add,
list, status, export, search and remove as separate processes. Prints the runs and mean
duration of each command, the daemon's write rate meanwhile, and every failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import Workspace
from tests.contention import run_contention


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--clients", type=int, default=3)
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)  # for the subprocesses

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        workspace = Workspace(path=path, db=path / "editwatch.db", config=path / "editwatch.toml")
        f = run_contention(workspace, seconds=args.seconds, stories=args.stories, clients=args.clients)

    print(f"{f.elapsed:.0f} s, {args.clients} client loops beside the daemon")
    print(f"daemon meanwhile: {f.checks} checks ({f.checks / f.elapsed:.1f}/s), {f.versions} versions, "
          f"{f.edits} edits made on the site; exit status {f.daemon_exit}")  # fmt: skip
    for command, runs in sorted(f.runs.items()):
        print(f"  {command:8} {runs:4} runs, {f.seconds[command] / runs:.2f} s each")
    print(
        f"{sum(f.runs.values())} commands, {len(f.failures)} failed, {f.locked} mentioned a locked or busy database"
    )
    for failure in f.failures:
        print(f"  FAILED {failure}")
    sys.exit(1 if f.failures or f.locked else 0)


if __name__ == "__main__":
    main()
