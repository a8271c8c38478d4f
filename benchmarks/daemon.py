"""The daemon under load: many articles on a local news site, edited throughout, for minutes.

Serves ``--articles`` generated stories on 127.0.0.1 (chrome that changes on
every request), watches them all with ``--every``, runs the real daemon
(``editwatch run``) in a subprocess and edits random stories while it runs.
At the end it stops the daemon with SIGTERM and reports:

- how long each edit took to be stored (the issue's bar: within the interval plus 10 s),
- whether any page was ever fetched twice at once, and whether any story that was
  never edited got a second version (chrome-only changes),
- the daemon's resident memory over time and its growth after warm-up,
- how long the graceful stop took, its exit status, and the database's integrity.

Prints figures; asserts nothing.

    python benchmarks/daemon.py [--articles 1000] [--every 30] [--minutes 10] [--etags]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.daemon.reporting import resident_memory_bytes  # noqa: E402
from monitor.demo.site import NewsSite  # noqa: E402
from storage import Store, clock  # noqa: E402

EDIT_KINDS = ("edit_paragraph", "insert_paragraph", "headline", "correction", "delete_paragraph")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--every", type=int, default=30, help="check interval, seconds")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--edits-per-minute", type=int, default=60)
    parser.add_argument("--warmup", type=float, default=2, help="minutes before memory growth is measured")
    parser.add_argument("--etags", action="store_true", help="the site sends ETags (checks become 304s)")
    parser.add_argument("--verbose", action="store_true", help="run the daemon with -v (every check logged)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="editwatch-bench-"))
    db = work / "editwatch.db"
    (work / "editwatch.toml").write_text(
        "[fetch]\ndelay_seconds = 0\nper_domain = 16\nconcurrency = 32\ntimeout_seconds = 10\n"
        '[daemon]\npoll_seconds = 1\nreport_every = "1m"\n'
    )
    env = {**os.environ, "EDITWATCH_DB": str(db), "EDITWATCH_CONFIG": str(work / "editwatch.toml")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

    site = NewsSite.generated(args.articles, seed=1, etags=args.etags)
    site.start()
    urls = work / "urls.txt"
    urls.write_text("\n".join(site.url(f"story-{n}") for n in range(1, args.articles + 1)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "monitor", "import", str(urls), "--every", f"{args.every}s"],
        env=env,
        check=True,
        capture_output=True,
    )
    slug_of = {n: f"story-{n}" for n in range(1, args.articles + 1)}

    print(
        f"{args.articles} articles every {args.every} s for {args.minutes:g} min on {site.base_url}",
        flush=True,
    )
    log = open(work / "daemon.log", "w")  # noqa: SIM115 - closed below
    started = time.time()
    daemon = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run", *(["-v"] if args.verbose else [])],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    memory: list[tuple[float, int]] = []
    edits: list[tuple[float, int, str]] = []  # (time, watch id, kind)
    stop = threading.Event()

    def sample_memory() -> None:
        while not stop.wait(5):
            rss = resident_memory_bytes(daemon.pid)
            if rss:
                memory.append((time.time() - started, rss))

    def newsroom() -> None:
        rng = random.Random(3)
        last_edit: dict[int, float] = {}
        pause = 60 / max(1, args.edits_per_minute)
        stop.wait(20)  # let the first versions be stored
        while not stop.wait(pause):
            # Stop editing one interval (plus slack) before the end so every edit can be seen.
            if time.time() > started + args.minutes * 60 - args.every - 15:
                continue
            n = rng.randrange(1, args.articles + 1)
            if time.time() - last_edit.get(n, 0) < args.every + 15:
                continue  # one edit per check interval and story, so each edit is its own version
            kind = rng.choice(EDIT_KINDS)
            site.edit(slug_of[n], kind)
            last_edit[n] = time.time()
            edits.append((last_edit[n], n, kind))

    threads = [
        threading.Thread(target=sample_memory, daemon=True),
        threading.Thread(target=newsroom, daemon=True),
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.minutes * 60)
    stop.set()
    signalled = time.time()
    daemon.send_signal(signal.SIGTERM)
    status = daemon.wait(120)
    stopped_in = time.time() - signalled
    log.close()
    site.stop()

    (work / "edits.json").write_text(json.dumps(edits))
    report(args, db, site, edits, memory, status, stopped_in, work)


def report(args, db, site, edits, memory, status, stopped_in, work) -> None:
    with Store(db) as store:
        integrity = store.integrity_check()
        # When each version was stored: its check's start plus the check's duration.
        versions: dict[int, list[float]] = {}
        rows = store.query(
            "SELECT v.watch_id, c.checked_at, c.duration_ms FROM versions v"
            " JOIN checks c ON c.version_id = v.id ORDER BY v.watch_id, v.number"
        )
        for watch_id, checked_at, duration_ms in rows:
            stored_at = clock.from_text(checked_at).timestamp() + (duration_ms or 0) / 1000
            versions.setdefault(watch_id, []).append(stored_at)
        checks = store.query("SELECT COUNT(*), SUM(outcome = 'error') FROM checks")[0]
        outcomes = dict(store.query("SELECT outcome, COUNT(*) FROM checks GROUP BY outcome"))
    # An edit is stored by the first version of its story stored after it and before the
    # story's next edit; an edit that changed nothing the extractor keeps has no version.
    latencies, unseen = [], Counter()
    next_edit: dict[tuple[float, int], float] = {}
    by_story: dict[int, list[float]] = {}
    for at, n, _ in sorted(edits):
        by_story.setdefault(n, []).append(at)
    for n, times in by_story.items():
        for at, following in zip(times, [*times[1:], float("inf")], strict=True):
            next_edit[(at, n)] = following
    before_first = 0
    for at, n, kind in edits:
        if not versions.get(n) or at < versions[n][0]:
            before_first += 1  # made before the story's first check: part of version 1
            continue
        stored = [t for t in versions.get(n, [])[1:] if at <= t < next_edit[(at, n)]]
        if stored:
            latencies.append(min(stored) - at)
        else:
            unseen[kind] += 1
    edited = {n for _, n, _ in edits}
    chrome_only = sum(
        1 for n in range(1, args.articles + 1) if n not in edited and len(versions.get(n, [])) > 1
    )
    never = sum(1 for n in range(1, args.articles + 1) if not versions.get(n))
    article_paths = [p for p in site.peak if p.startswith("/story-")]
    twice = sum(1 for p in article_paths if site.peak[p] > 1)

    duration = args.minutes * 60
    print(f"checks: {checks[0]} ({checks[0] / duration:.1f}/s), outcomes {json.dumps(outcomes)}")
    print(f"articles never stored: {never}")
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        print(
            f"edits: {len(edits)} made ({before_first} before the story's first check), "
            f"{len(latencies)} stored as a version, "
            f"{sum(unseen.values())} left no trace in the extracted article ({dict(unseen)}); "
            f"delay edit -> stored: median {statistics.median(latencies):.1f} s, p95 {q[94]:.1f} s, "
            f"max {max(latencies):.1f} s (bar: {args.every + 10} s)"
        )
    print(f"pages fetched twice at once: {twice} of {len(article_paths)}")
    print(f"never-edited stories with a second version (chrome-only changes): {chrome_only}")
    if memory:
        warm = [rss for t, rss in memory if t >= args.warmup * 60]
        base = warm[0] if warm else memory[0][1]
        final = memory[-1][1]
        print(
            f"daemon RSS: start {memory[0][1] / 2**20:.0f} MB, after warm-up {base / 2**20:.0f} MB, "
            f"max {max(r for _, r in memory) / 2**20:.0f} MB, end {final / 2**20:.0f} MB; "
            f"growth after warm-up {100 * (final - base) / base:+.1f}%"
        )
        minute_marks = [f"{t / 60:.0f}m {rss / 2**20:.0f}" for t, rss in memory[:: max(1, len(memory) // 12)]]
        print("RSS over time (MB): " + ", ".join(minute_marks))
    print(f"SIGTERM: exit status {status} after {stopped_in:.1f} s; integrity_check: {integrity}")
    print(f"work directory (database, daemon.log): {work}")


if __name__ == "__main__":
    main()
