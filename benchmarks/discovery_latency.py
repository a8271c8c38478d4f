"""From publication to first stored version: how fast the daemon discovers new stories.

Run from the repository root::

    python -m benchmarks.discovery_latency --stories 30 --every 2 --interval 10

A local news site publishes a story every ``--every`` seconds to its RSS feed,
Atom feed, news sitemap and section page (every third story also under a short
URL, every feed link with tracking parameters); the real daemon (``editwatch
run``, in a subprocess, on a fresh database) polls those sources every
``--interval`` seconds. For each story it prints nothing; at the end the delays
from publication to the watch (discovery) and to its first version, and how many
stories ended as exactly one watch.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from monitor.demo.site import NewsSite
from storage import Store, clock

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """\
[fetch]
delay_seconds = 0
per_domain = 8
retries = 0
timeout_seconds = 5

[daemon]
poll_seconds = 0.5
report_every = "off"
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between two stories")
    parser.add_argument("--interval", default="10s", help="poll interval of every source")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="editwatch-bench-"))
    (workdir / "editwatch.toml").write_text(CONFIG)
    env = dict(
        os.environ,
        EDITWATCH_DB=str(workdir / "editwatch.db"),
        EDITWATCH_CONFIG=str(workdir / "editwatch.toml"),
        PYTHONPATH=str(ROOT),
    )

    def editwatch(*cli: str) -> None:
        subprocess.run([sys.executable, "-m", "monitor", *cli], env=env, check=True, capture_output=True)

    with NewsSite(seed=1) as site:
        for path in ("feed.xml", "atom.xml", "sitemap.xml", "news"):
            editwatch("sources", "add", f"{site.base_url}/{path}", "--every", args.interval)
        log = open(workdir / "daemon.log", "w")  # noqa: SIM115 - closed below
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        time.sleep(3)
        published: dict[str, datetime] = {}
        for n in range(1, args.stories + 1):
            extra = {}
            if n % 3 == 0:
                extra = {"aliases": (f"/news/{90000 + n}",), "listed_url": {"section": f"/news/{90000 + n}"}}
            story = site.publish(n, **extra)
            published[site.url(story.slug)] = clock.utcnow()
            time.sleep(args.every)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with Store(env["EDITWATCH_DB"]) as store:
                done = {r["url"] for r in store.watches.summaries() if r["versions"]}
            if set(published) <= done:
                break
            time.sleep(0.5)
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(60)
        log.close()

    with Store(env["EDITWATCH_DB"]) as store:
        watches = {w.url: w for w in store.watches.all()}
        discovered, stored = [], []
        for url, when in published.items():
            watch = watches.get(url)
            if watch is None:
                continue
            discovered.append((clock.from_text(watch.added_at) - when).total_seconds())
            first = store.versions.get(watch.id, 1) if store.versions.count(watch.id) else None
            if first is not None:
                stored.append((clock.from_text(first.fetched_at) - when).total_seconds())
        extra_watches = len(watches) - len(published) - 1  # the seed story on the section page

    def line(name: str, values: list[float]) -> str:
        if not values:
            return f"{name}: none"
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        return (
            f"{name}: median {statistics.median(values):.1f} s, 95th percentile {p95:.1f} s, "
            f"max {values[-1]:.1f} s"
        )

    print(
        f"{len(published)} stories published every {args.every:g} s; 4 sources polled every {args.interval}"
    )
    print(line("publication -> watch", discovered))
    print(line("publication -> first version", stored))
    print(
        f"stories watched: {len(discovered)}/{len(published)}, with a first version: {len(stored)}, "
        f"duplicate watches: {extra_watches}"
    )


if __name__ == "__main__":
    main()
