"""editwatch with 100,000 watches in one database: choosing due work, reading history, the daemon's memory.

Builds a database through the storage calls the daemon uses: ``--watches``
watches (their URLs point at ``--stories`` stories of the demo site, many copies
each, so that the daemon has real pages to fetch), every one with a first
version and a check, and ``--deep`` of them with ``--versions`` versions each.
Then it measures:

- choosing due work: ``lease_due`` (what the daemon runs every poll) with nothing
  due and with every watch due, and the ``status`` counts;
- ``history`` and ``diff`` of a watch with many versions: in-process (the
  functions behind the commands) and as commands (``python -m monitor ...``, wall
  time, start-up included);
- the daemon (``editwatch run``) on this database for ``--daemon-seconds``: its
  peak resident memory (the catch-up of 100,000 overdue watches at start included).

Prints figures; asserts nothing.

    python benchmarks/scale.py [--watches 100000] [--daemon-seconds 60]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import Site, editwatch, load_average, proc_rss_mb, start_daemon
from monitor.changes.timeline import diff_versions, timeline
from monitor.demo.stories import generated_story, new_sentence
from storage import CheckResult, NewChange, NewVersion, Store, clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=2000, help="distinct stories on the demo site")
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--deep", type=int, default=100, help="watches with many versions")
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--daemon-seconds", type=float, default=60, help="0 skips the daemon")
    parser.add_argument("--port", type=int, default=18840)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="editwatch-scale-"))
    db = work / "editwatch.db"
    print(f"load average before: {load_average()}", flush=True)
    site = Site(args.stories, args.sites, args.port)
    try:
        urls = [s["url"] for s in site.stories()]
        started = time.perf_counter()
        deep_id = _build(db, urls, args)
        size = sum(p.stat().st_size for p in work.glob("editwatch.db*")) / 1e6
        print(f"built {args.watches:,} watches in {time.perf_counter() - started:.0f} s ({size:,.0f} MB)")
        _due_work(db, args.watches)
        _history(db, work, deep_id)
        if args.daemon_seconds > 0:
            _daemon(db, work, args.daemon_seconds)
    finally:
        site.stop()
        print(f"load average after: {load_average()}")
        shutil.rmtree(work, ignore_errors=True)


def _build(db: Path, urls: list[str], args) -> int:
    """Watches, first versions and checks in batches of one transaction each; returns a deep watch's ID."""
    stories = [generated_story(n + 1, "station") for n in range(50)]
    with Store(db) as store:
        for start in range(0, args.watches, 1000):
            with store.transaction():
                for n in range(start, min(start + 1000, args.watches)):
                    url = urls[n % len(urls)] + (f"?copy={n // len(urls)}" if n >= len(urls) else "")
                    watch, _ = store.watches.add(url)
                    story = stories[n % len(stories)]
                    versions = args.versions if n < args.deep else 1
                    body = list(story.paragraphs[:4])
                    for number in range(versions):
                        if number:
                            body = [*body[:-1], new_sentence(n * 100 + number)]
                        change = None
                        if number:
                            change = NewChange(
                                event="edit",
                                summary="paragraph 4 edited",
                                from_version=number,
                                fields=["body"],
                            )
                        store.checks.record(
                            CheckResult(
                                watch.id,
                                clock.now_text(),
                                "new_version",
                                new_version=NewVersion(
                                    fetched_at=clock.now_text(),
                                    url=url,
                                    content_hash=f"{n}-{number}",
                                    headline=f"{story.headline} {number}",
                                    byline=list(story.byline),
                                    published=story.published,
                                    modified=None,
                                    body=body,
                                    extractor="page",
                                ),
                                changes=[change] if change else [],
                            )
                        )
    return 1


def _timed(call, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times)


def _due_work(db: Path, watches: int) -> None:
    with Store(db) as store:
        with store.transaction() as conn:
            conn.execute("UPDATE watches SET next_check_at = ?, lease_until = NULL", (clock.later(3600),))
        nothing = _timed(lambda: store.watches.lease_due(limit=512, lease_seconds=100))

        with store.transaction() as conn:
            conn.execute("UPDATE watches SET next_check_at = ?", (clock.later(-60),))
        costs = {}
        for size in (1, 64, 256, 512):
            runs = []
            for _ in range(20):
                started = time.perf_counter()
                leased = store.watches.lease_due(limit=size, lease_seconds=100)
                runs.append((time.perf_counter() - started) * 1e3)
                store.watches.release_all_leases()
            assert len(leased) == size
            costs[size] = statistics.median(runs)
        status = _timed(lambda: (store.watches.count_by_state(), store.watches.count_due()))
    print(f"\n== choosing due work ({watches:,} watches) ==")
    print(f"lease_due(512), nothing due: {nothing:.2f} ms")
    for size, cost in costs.items():
        print(f"lease_due({size}), all due: {cost:.2f} ms (choose and claim in one statement)")
    print(f"status counts (by state, due now): {status:.1f} ms")


def _history(db: Path, work: Path, watch_id: int) -> None:
    with Store(db) as store:
        watch = store.watches.get(watch_id)
        versions = store.versions.all(watch_id)
        in_history = _timed(lambda: timeline(store, watch))
        in_diff = _timed(
            lambda: diff_versions(
                store.versions.get(watch_id, 1), store.versions.get(watch_id, len(versions))
            )
        )
    cli = {}
    for command in (
        ("history", str(watch_id)),
        ("diff", str(watch_id)),
        ("diff", str(watch_id), "--from", "1"),
    ):
        editwatch(*command, db=db, cwd=work)  # warm-up: writes the bytecode cache, fills the page cache
        runs = [editwatch(*command, db=db, cwd=work) for _ in range(5)]
        wall = statistics.median(r.wall for r in runs) * 1e3
        cli[" ".join(command)] = (wall, statistics.median(r.cpu for r in runs) * 1e3)
    print(f"\n== reading history (a watch with {len(versions)} versions) ==")
    print(
        f"timeline (behind `history`): {in_history:.2f} ms; diff_versions 1 -> {len(versions)}: {in_diff:.2f} ms"
    )
    for command, (wall, cpu) in cli.items():
        print(
            f"`editwatch {command}`: {wall:.0f} ms wall, {cpu:.0f} ms CPU (process start-up and imports included)"
        )


def _daemon(db: Path, work: Path, seconds: float) -> None:
    with Store(db) as store, store.transaction() as conn:
        conn.execute("UPDATE watches SET next_check_at = ?, lease_until = NULL", (clock.later(-60),))
    proc = start_daemon(db, work)
    samples = []
    started = time.time()
    try:
        while time.time() - started < seconds and proc.poll() is None:
            samples.append(proc_rss_mb(proc.pid))
            time.sleep(1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(120)
    with Store(db) as store:
        checks = store.query(
            "SELECT COUNT(*) FROM checks WHERE checked_at > ?", (clock.later(-seconds - 5),)
        )[0][0]
    peak = max(peak for _, peak in samples) if samples else 0
    print(f"\n== the daemon on every watch, all overdue, for {seconds:.0f} s ==")
    print(f"resident memory: peak {peak:.0f} MB, last {samples[-1][0] if samples else 0:.0f} MB")
    print(f"checks made: {checks:,} ({checks / seconds:.0f}/s); exit status {proc.returncode}")
    log = (work / "daemon.log").read_text().splitlines()
    for line in log[:3]:
        print(f"  log: {line[:160]}")


if __name__ == "__main__":
    _ = subprocess
    main()
