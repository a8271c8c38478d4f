"""editwatch beside urlwatch on one loopback workload: checks per second, CPU, memory, database growth.

The demo news site runs in its own process with ``--articles`` stories spread over
``--sites`` news sites (one loopback address and one template each: a watch list
spans many newsrooms, and editwatch is polite per site, as a daemon on the real web
must be). Then, in one run, on one machine:

1. ``editwatch import`` + ``editwatch check`` (zero configuration) and urlwatch
   (its best CSS filter per template, then ``html2text``) each check every story:
   first fetch, then unchanged, then after every story was edited once;
2. the median CPU per check is measured in-process too (``check_watches``, the code
   behind ``editwatch check``: process CPU time between consecutive recorded checks);
3. the daemon (``editwatch run``) checks every story every ``--every`` seconds for
   ``--daemon-seconds`` while stories are edited; it reports checks per second, CPU
   per check (from ``/proc``), resident memory and edit-to-version latency.

``--sites 1 --lift-politeness`` is the other kind of site: one loopback host serving
every page (50–56 KB, chrome that changes on every request), with editwatch's per-site
politeness lifted (an ``editwatch.toml`` with ``[fetch] delay_seconds = 0`` and
``per_domain = 16``) as urlwatch has none: what a check costs when no pause between
requests hides it.

Prints figures and the ratios editwatch/urlwatch; asserts nothing.

    python benchmarks/checks.py [--articles 2000] [--sites 500] [--lift-politeness]
        [--daemon-seconds 90] [--no-urlwatch]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import (
    PYTHON,
    ROOT,
    Run,
    Site,
    db_bytes,
    editwatch,
    editwatch_env,
    load_average,
    proc_cpu_seconds,
    proc_rss_mb,
    run_measured,
    start_daemon,
    urlwatch,
    urlwatch_jobs,
    urlwatch_python,
)

LIFTED_POLITENESS = "[fetch]\ndelay_seconds = 0\nper_domain = 16\n"
EDIT_KINDS = ("edit_paragraph", "insert_paragraph", "headline", "correction", "delete_paragraph", "byline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=500, help="news sites the articles are spread over")
    parser.add_argument("--port", type=int, default=18780)
    parser.add_argument("--daemon-seconds", type=float, default=90, help="0 skips the daemon")
    parser.add_argument("--every", type=float, default=10, help="the daemon's check interval, seconds")
    parser.add_argument("--no-urlwatch", action="store_true")
    parser.add_argument(
        "--lift-politeness",
        action="store_true",
        help="no pause between editwatch's requests to a site, 16 at a time (urlwatch has no such limit)",
    )
    parser.add_argument("--probe", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(Path(args.probe[0]), Path(args.probe[1]))
        return

    work = Path(tempfile.mkdtemp(prefix="editwatch-perf-"))
    print(f"load average before: {load_average()} (2 cores; other work skews the figures)")
    site = Site(args.articles, args.sites, args.port)
    try:
        stories = site.stories()
        ew = work / "editwatch"
        uw = work / "urlwatch"
        ew.mkdir()
        uw.mkdir()
        db = ew / "editwatch.db"
        if args.lift_politeness:
            (ew / "editwatch.toml").write_text(LIFTED_POLITENESS)
        (ew / "urls.txt").write_text("".join(s["url"] + "\n" for s in stories))
        editwatch("import", "urls.txt", db=db, cwd=ew)
        python = None if args.no_urlwatch else urlwatch_python()
        if python:
            (uw / "urls.yaml").write_text(urlwatch_jobs(stories))

        rows: list[tuple[str, Run, Run | None, int, int | None]] = []
        for phase in ("first fetch", "unchanged", "edited"):
            if phase == "edited":
                for number, story in enumerate(stories):
                    site.edit(story["slug"], EDIT_KINDS[number % len(EDIT_KINDS)])
            before = db_bytes(db)
            site_before = site.stats()
            ours = editwatch("check", db=db, cwd=ew)
            grown = db_bytes(db) - before
            site_after = site.stats()
            theirs = urlwatch(uw, python) if python else None
            rows.append((phase, ours, theirs, grown, None))
            if phase == "unchanged":
                served = site_after["requests"] - site_before["requests"]
                site_cpu = (site_after["cpu_seconds"] - site_before["cpu_seconds"]) / max(served, 1)
            _report_phase(phase, ours, theirs, grown, len(stories))

        print(
            f"\nnews site: {site_cpu * 1e3:.2f} ms CPU per request served"
            f" ({1 / site_cpu:,.0f} requests/s per core; the site is not the bottleneck)"
        )
        medians = _probe_medians(db, ew, site, stories)
        outcomes = _outcomes(db)
        print(f"check outcomes stored: {outcomes}")
        if python:
            _urlwatch_noise(theirs_unchanged=rows[1][2])
        if args.daemon_seconds > 0:
            _daemon(db, ew, site, stories, args.every, args.daemon_seconds)
        print(f"\nload average after: {load_average()}")
        _summary(rows, medians, len(stories))
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)


def _report_phase(phase: str, ours: Run, theirs: Run | None, grown: int, n: int) -> None:
    print(f"\n== {phase}: {n} articles ==")
    print(f"{'':22}{'editwatch':>14}{'urlwatch':>14}{'ratio':>8}")
    rate_ours = n / ours.wall
    line = f"{'checks per second':22}{rate_ours:14.1f}"
    if theirs:
        rate_theirs = n / theirs.wall
        line += f"{rate_theirs:14.1f}{rate_ours / rate_theirs:8.2f}"
    print(line)
    line = f"{'CPU ms per check':22}{ours.cpu / n * 1e3:14.2f}"
    if theirs:
        line += f"{theirs.cpu / n * 1e3:14.2f}{(ours.cpu / n) / (theirs.cpu / n):8.2f}"
    print(line)
    line = f"{'peak memory MB':22}{ours.max_rss_mb:14.0f}"
    if theirs:
        line += f"{theirs.max_rss_mb:14.0f}"
    print(line)
    print(f"{'database bytes/check':22}{grown / n:14.0f}")
    if ours.returncode:
        print(f"editwatch exited {ours.returncode}: {ours.stderr[-500:]}")
    if theirs and theirs.returncode:
        print(f"urlwatch exited {theirs.returncode}: {theirs.stderr[-500:]}")


def _outcomes(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT outcome, COUNT(*) FROM checks GROUP BY outcome").fetchall())


def _urlwatch_noise(theirs_unchanged: Run | None) -> None:
    if theirs_unchanged is None:
        return
    changed = theirs_unchanged.stdout.count("CHANGED: ")
    print(f"urlwatch reported {changed // 2} of the unchanged articles as changed (chrome its filter let in)")


def _probe_medians(db: Path, cwd: Path, site: Site, stories: list[dict]) -> dict[str, float]:
    """Median CPU per unchanged and per changed check, measured inside the checking process."""
    medians = {}
    for phase in ("unchanged", "changed"):
        if phase == "changed":
            for number, story in enumerate(stories):
                site.edit(story["slug"], EDIT_KINDS[(number + 1) % len(EDIT_KINDS)])
        out = cwd / f"probe-{phase}.json"
        run = run_measured(
            [PYTHON, str(Path(__file__).resolve()), "--probe", str(db), str(out)],
            cwd=cwd,
            env=editwatch_env(db),
        )
        if run.returncode:
            print(f"probe failed: {run.stderr[-800:]}")
            continue
        costs = json.loads(out.read_text())
        medians[phase] = statistics.median(costs["all"])
        print(
            f"in-process CPU per {phase} check: median {medians[phase]:.2f} ms,"
            f" mean {statistics.fmean(costs['all']):.2f} ms, p90 {_percentile(costs['all'], 0.9):.2f} ms"
            f" (pipelines: median {statistics.median(costs['pipelines']):.2f} ms; crawler's share"
            f" {costs['network']:.2f} ms; {costs['outcomes']})"
        )
    return medians


def probe(db: Path, out: Path) -> None:
    """Check every watch with ``check_watches`` (what ``editwatch check`` runs), measuring CPU per check.

    Each check's own CPU is the thread CPU time its item spends in the item pipelines
    (extraction or the region fingerprint, diff, store); the crawler's networking CPU
    (Scrapy, Twisted, the HTTP parser) cannot be told apart per check, so every check
    gets an equal share of it: the process CPU between the first and the last check,
    less all pipeline time, divided by the number of checks.
    """
    import time as clock
    from collections import Counter, defaultdict

    from scrapy.utils.misc import load_object

    from crawler.config import load_config
    from monitor.daemon.crawl import PIPELINES, check_watches
    from storage import Store

    with Store(db) as store:
        ids = [w.id for w in store.watches.all()]
    own: defaultdict[int, float] = defaultdict(float)  # id(item) -> pipeline CPU seconds
    for path in (path for path, order in PIPELINES.items() if order is not None):
        cls = load_object(path)
        original = cls.process_item

        def timed(self, item, *rest, _original=original):
            started = clock.thread_time()
            try:
                return _original(self, item, *rest)
            finally:
                own[id(item)] += clock.thread_time() - started

        cls.process_item = timed
    done_at: list[float] = []
    per_check: list[float] = []
    outcomes: Counter[str] = Counter()

    def done(item) -> None:
        done_at.append(clock.process_time())
        per_check.append(own.pop(id(item), 0.0))
        outcomes[item.outcome] += 1

    check_watches(str(db), load_config(), ids, done, workers=1)  # editwatch.toml, if any, as `check` reads it
    # Skip the first tenth: start-up (imports, robots.txt, connections) is not a check's cost.
    skip = len(done_at) // 10
    span = done_at[-1] - done_at[skip]
    pipelines = per_check[skip + 1 :]
    network = max(0.0, span - sum(pipelines)) / max(len(pipelines), 1)
    costs = [(p + network) * 1e3 for p in pipelines]
    out.write_text(
        json.dumps(
            {
                "all": costs,
                "pipelines": [p * 1e3 for p in pipelines],
                "network": network * 1e3,
                "outcomes": dict(outcomes),
            }
        )
    )


def _daemon(db: Path, cwd: Path, site: Site, stories: list[dict], every: float, seconds: float) -> None:
    """``editwatch run`` over every story every ``every`` seconds, while stories are edited."""
    from storage import Store

    with Store(db) as store:
        for watch in store.watches.all():
            store.watches.add(watch.url, interval_seconds=int(every))
        with store.transaction() as conn:
            conn.execute("UPDATE watches SET next_check_at = ?", (_stored_now(),))
    checks_before = _count(db, "checks")
    proc = start_daemon(db, cwd)
    rng = random.Random(7)
    samples: list[tuple[float, float, int, float]] = []  # (time, cpu seconds, checks, rss MB)
    pending: dict[int, tuple[float, int]] = {}  # watch ID -> (when its story was edited, its last version)
    latencies: list[float] = []
    by_url = _watch_ids(db)
    started = time.time()
    next_edit = started + 5
    try:
        while time.time() - started < seconds:
            now = time.time()
            samples.append((now, proc_cpu_seconds(proc.pid), _count(db, "checks"), proc_rss_mb(proc.pid)[0]))
            if now >= next_edit and now - started < seconds - 2 * every:
                story = rng.choice(stories)
                watch_id = by_url[story["url"]]
                if watch_id not in pending:
                    last = _last_version(db, watch_id)
                    site.edit(story["slug"], rng.choice(EDIT_KINDS))
                    pending[watch_id] = (time.time(), last)
                next_edit = now + 0.5
            for watch_id, (edited_at, last) in list(pending.items()):
                if _last_version(db, watch_id) > last:
                    latencies.append(time.time() - edited_at)
                    del pending[watch_id]
            time.sleep(0.2)
        peak = proc_rss_mb(proc.pid)[1]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    checks = _count(db, "checks") - checks_before
    warm = [s for s in samples if s[0] - started >= 10]  # after start-up and the first burst
    per_second = []
    for (_, c0, n0, _), (_, c1, n1, _) in itertools.pairwise(warm):
        if n1 > n0:
            per_second.append((c1 - c0) / (n1 - n0) * 1e3)
    span = warm[-1][0] - warm[0][0] if len(warm) > 1 else 1
    rate = (warm[-1][2] - warm[0][2]) / span if len(warm) > 1 else 0
    print(f"\n== daemon: {len(stories)} articles, each every {every:.0f} s, {seconds:.0f} s ==")
    print(
        f"checks: {checks} ({rate:.1f}/s after warm-up; the schedule asks for {len(stories) / every:.1f}/s)"
    )
    if per_second:
        print(
            f"CPU per check: median {statistics.median(per_second):.2f} ms"
            f" (over {len(per_second)} samples of 0.2 s, /proc)"
        )
    print(f"resident memory: peak {peak:.0f} MB, last {samples[-1][3]:.0f} MB")
    if latencies:
        print(
            f"edit-to-version latency: median {statistics.median(latencies):.1f} s,"
            f" p95 {_percentile(latencies, 0.95):.1f} s, max {max(latencies):.1f} s"
            f" ({len(latencies)} edits; {len(pending)} not yet seen; the interval is {every:.0f} s)"
        )
    print(f"daemon exit status {proc.returncode}")


def _summary(rows, medians: dict[str, float], n: int) -> None:
    unchanged, edited = rows[1], rows[2]
    figures = []
    if unchanged[2] is not None:
        ratio = (n / unchanged[1].wall) / (n / unchanged[2].wall)
        figures.append(
            ("checks/s over unchanged articles, editwatch/urlwatch", f"{ratio:.2f}", ratio >= 3, ">= 3")
        )
    if "unchanged" in medians:
        value = medians["unchanged"]
        figures.append(("median CPU per unchanged check", f"{value:.2f} ms", value <= 1.5, "<= 1.5 ms"))
    if "changed" in medians:
        value = medians["changed"]
        figures.append(("median CPU per changed check", f"{value:.2f} ms", value <= 10, "<= 10 ms"))
    value = unchanged[3] / n
    figures.append(
        ("database growth per unchanged check", f"{value:.0f} bytes", value <= 200, "<= 200 bytes")
    )
    value = edited[3] / n / 1024
    figures.append(("database growth per new version", f"{value:.1f} KB", value <= 12, "<= 12 KB"))
    print("\n== summary ==")
    for name, shown, met, target in figures:
        print(f"{name:55} {shown:>12}   target {target:12} {'met' if met else 'NOT MET'}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _watch_ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT url, id FROM watches").fetchall())


def _last_version(db: Path, watch_id: int) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT COALESCE(MAX(id), 0) FROM versions WHERE watch_id = ?", (watch_id,)
        ).fetchone()
    return row[0]


def _stored_now() -> str:
    from storage import clock

    return clock.now_text()


if __name__ == "__main__":
    _ = ROOT
    main()
