"""What robots.txt costs a repeated ``editwatch check`` of unchanged articles.

The demo news site runs in its own process with ``--articles`` stories over
``--sites`` sites. After one first check, ``editwatch check`` runs ``--rounds``
times in each of three ways, interleaved (rotated, so no way always follows another):

- ``fetched every run``: the ``robots_txt`` table emptied before each run, so every
  site's robots.txt is downloaded again, as every run did before it was kept;
- ``kept in the database``: robots.txt obeyed as read by an earlier run (the default);
- ``obey_robots_txt = false``: robots.txt not consulted at all, the floor.

Prints the median wall time of each; asserts nothing.

    python benchmarks/robots.py [--articles 2000] [--sites 500] [--rounds 6] [--port 18860]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import Site, editwatch


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--port", type=int, default=18860)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="editwatch-robots-"))
    db = work / "editwatch.db"
    no_robots = work / "no-robots"
    no_robots.mkdir()
    (no_robots / "editwatch.toml").write_text("[fetch]\nobey_robots_txt = false\n")
    site = Site(args.articles, args.sites, args.port)
    try:
        (work / "urls.txt").write_text("".join(s["url"] + "\n" for s in site.stories()))
        editwatch("import", "urls.txt", db=db, cwd=work)
        first = editwatch("check", db=db, cwd=work)
        print(f"first check: {first.wall:.2f} s ({args.articles} articles, {args.sites} sites)")

        def forget_robots() -> None:
            # Measurement set-up only: what a database without kept robots.txt looks like.
            with sqlite3.connect(db) as conn:
                conn.execute("DELETE FROM robots_txt")

        ways = {
            "fetched every run": (forget_robots, work),
            "kept in the database": (lambda: None, work),
            "obey_robots_txt = false": (lambda: None, no_robots),
        }
        names = list(ways)
        walls: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(args.rounds):
            for name in names[round_ % 3 :] + names[: round_ % 3]:
                prepare, cwd = ways[name]
                prepare()
                walls[name].append(editwatch("check", db=db, cwd=cwd).wall)
        print("repeated check of unchanged articles, median wall time:")
        for name, runs in walls.items():
            print(f"  {name:24} {statistics.median(runs):5.2f} s   ({' '.join(f'{w:.2f}' for w in runs)})")
    finally:
        site.stop()


if __name__ == "__main__":
    main()
