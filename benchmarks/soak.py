"""The daemon at full speed for a long time: is its memory flat, does its pace hold?

Serves ``--articles`` stories over ``--sites`` news sites (``python -m
monitor.demo.serve`` in its own process), watches them all (first checked once by
``editwatch check``, as an established watch list is) every ``--every``
seconds (more than the daemon can do: it runs flat out), edits a story every
``--edit-every`` seconds, and runs the real daemon (``editwatch run``, no
configuration file) for ``--duration`` seconds. Every ``--sample`` seconds it
records the daemon's resident memory, CPU time, checks and versions stored and
the database's size, then stops the daemon with SIGTERM.

Memory is flat when the largest resident size after warm-up (``--warmup``)
exceeds the size at the end of warm-up by less than 10%. Prints figures;
asserts nothing.

    python benchmarks/soak.py [--duration 3600] [--articles 2000] [--sites 500] [--samples soak.csv]
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import (
    Site,
    editwatch,
    load_average,
    proc_cpu_seconds,
    proc_rss_mb,
    start_daemon,
)

EDIT_KINDS = ("edit_paragraph", "insert_paragraph", "headline", "correction", "delete_paragraph", "byline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3600, help="seconds the daemon runs")
    parser.add_argument(
        "--warmup", type=float, help="seconds before memory must stay flat (default: a tenth)"
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--every", type=int, default=5, help="check interval of every watch, seconds")
    parser.add_argument("--edit-every", type=float, default=1.0, help="seconds between two edits")
    parser.add_argument("--sample", type=float, default=10, help="seconds between two samples")
    parser.add_argument("--port", type=int, default=18820)
    parser.add_argument("--samples", type=Path, help="also write every sample to this CSV file")
    args = parser.parse_args()
    warmup = args.warmup if args.warmup is not None else args.duration / 10

    work = Path(tempfile.mkdtemp(prefix="editwatch-soak-"))
    db = work / "editwatch.db"
    print(f"load average before: {load_average()}", flush=True)
    site = Site(args.articles, args.sites, args.port)
    proc = None
    try:
        stories = site.stories()
        (work / "urls.txt").write_text("".join(s["url"] + "\n" for s in stories))
        editwatch("import", "urls.txt", "--every", f"{args.every}s", db=db, cwd=work)
        # An established watch list: every article has its first version before the daemon starts.
        editwatch("check", db=db, cwd=work)
        proc = start_daemon(db, work)
        samples = _run(proc, site, stories, db, args, warmup)
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(120)
        site.stop()
    print(f"daemon exit status {proc.returncode if proc else None}; load average after: {load_average()}")
    if args.samples:
        with args.samples.open("w") as out:
            out.write("seconds,rss_mb,cpu_seconds,checks,versions,db_mb\n")
            for sample in samples:
                out.write(",".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in sample) + "\n")
    _report(samples, warmup, args)
    shutil.rmtree(work, ignore_errors=True)


def _run(proc, site: Site, stories: list[dict], db: Path, args, warmup: float) -> list[tuple]:
    rng = random.Random(11)
    samples: list[tuple] = []
    started = time.time()
    next_sample = started
    next_edit = started + 5
    last_print = started
    while time.time() - started < args.duration:
        now = time.time()
        if proc.poll() is not None:
            print(f"the daemon exited early ({proc.returncode})")
            break
        if now >= next_edit:
            site.edit(rng.choice(stories)["slug"], rng.choice(EDIT_KINDS))
            next_edit += args.edit_every
        if now >= next_sample:
            checks, versions = _counts(db)
            rss, _ = proc_rss_mb(proc.pid)
            size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
            samples.append((now - started, rss, proc_cpu_seconds(proc.pid), checks, versions, size))
            next_sample += args.sample
            if now - last_print >= 300 or len(samples) == 1:
                last_print = now
                print(
                    f"{(now - started) / 60:5.1f} min: {rss:6.1f} MB resident, {checks:,} checks,"
                    f" {versions:,} versions, database {size:,.0f} MB",
                    flush=True,
                )
        time.sleep(min(0.05, max(0.0, min(next_edit, next_sample) - time.time())))
    return samples


def _counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        checks = conn.execute("SELECT MAX(id) FROM checks").fetchone()[0] or 0
        versions = conn.execute("SELECT MAX(id) FROM versions").fetchone()[0] or 0
    return checks, versions


def _report(samples: list[tuple], warmup: float, args) -> None:
    if len(samples) < 3:
        print("too few samples")
        return
    warm = [s for s in samples if s[0] >= warmup]
    base = warm[0]
    last = samples[-1]
    peak_after = max(s[1] for s in warm)
    growth = (peak_after - base[1]) / base[1] * 100
    span = last[0] - base[0]
    rate = (last[3] - base[3]) / span if span else 0
    cpu = (last[2] - base[2]) / max(last[3] - base[3], 1) * 1e3
    print(f"\n== soak: {args.articles} articles on {args.sites} sites, {last[0] / 60:.0f} min ==")
    print(
        f"resident memory: {base[1]:.1f} MB after {warmup / 60:.0f} min warm-up, peak after it {peak_after:.1f} MB,"
    )
    print(
        f"  last {last[1]:.1f} MB: growth after warm-up {growth:+.1f}% ({'flat' if growth < 10 else 'GROWING'})"
    )
    print(f"checks after warm-up: {rate:.1f}/s, {cpu:.2f} ms CPU per check (/proc)")
    print(f"stored: {last[3]:,} checks, {last[4]:,} versions; database {last[5]:,.0f} MB")
    step = max(1, len(samples) // 12)
    print("minute  resident MB  checks/s")
    for earlier, later in zip(samples[::step], samples[step::step], strict=False):
        pace = (later[3] - earlier[3]) / (later[0] - earlier[0])
        print(f"{later[0] / 60:6.1f}  {later[1]:11.1f}  {pace:8.1f}")


if __name__ == "__main__":
    main()
