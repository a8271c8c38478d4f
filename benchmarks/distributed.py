"""The crawl on workers through Redis: checks per second with 1, 2 and 4 workers, and what each part costs.

Starts the demo news site (``--articles`` stories over ``--sites`` loopback sites, in its
own process), a ``redis-server`` on a free loopback port, and for each configuration a
fresh database watching every story every second (so that work is always due):

- ``daemon``: the single-process daemon (``editwatch run``), the reference;
- ``N workers``: the coordinator (``editwatch run --redis URL``) and N ``editwatch worker``
  processes on this machine.

Each configuration first checks every article once (first versions, regions learnt), then
is measured for ``--seconds``: checks recorded per second, the coordinator's CPU per
recorded check (from ``/proc``: the single writer is what bounds the cluster), the
workers' CPU per check (all of theirs over all the checks: which worker made which check
is not recorded), and the cluster ceiling (the checks a second one coordinator core
absorbs). For the daemon, its CPU per check is in the coordinator's column: a worker's
comparable figure, but for the recording, which the coordinator does for it. Each line
also gives the CPU used, in cores: by this benchmark's processes (the site, Redis, the
coordinator or daemon, the workers), by the whole machine (anyone's work), and the cores
there are; a machine busy on all its cores cannot show more workers doing more checks.
Then the comparisons in words: a worker against the daemon, 2 workers against 1.
Redis memory per queued check is measured apart: the coordinator's real tasks
and an unchanged check's real result, pushed by the thousand (``INFO memory`` before and after).

Prints figures; asserts nothing.

    python benchmarks/distributed.py [--articles 2000] [--sites 200] [--seconds 30] [--workers 1,2,4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis

from benchmarks.support import (
    CLOCK_TICKS,
    PYTHON,
    Site,
    editwatch,
    editwatch_env,
    load_average,
    proc_cpu_seconds,
)  # fmt: skip
from tests.web_archive import free_port

CONFIG = """\
[fetch]
delay_seconds = 0
per_domain = 2
retries = 0
timeout_seconds = 10

[daemon]
poll_seconds = 0.2
report_every = "off"

[cluster]
lease_seconds = 60
prefetch = 128
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to measure, comma-separated")
    parser.add_argument("--no-daemon", action="store_true", help="skip the single-process reference")
    parser.add_argument("--port", type=int, default=18850)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="editwatch-distributed-"))
    print(f"load average before: {load_average()}; {os.cpu_count()} cores", flush=True)
    site = Site(args.articles, args.sites, args.port)
    server = _redis(work)
    url = f"redis://127.0.0.1:{server.port}/0"
    try:
        urls = [s["url"] for s in site.stories()]
        (work / "urls.txt").write_text("\n".join(urls) + "\n")
        print(
            f"{len(urls)} articles on {args.sites} sites, each due every second; {args.seconds:g} s measured"
        )
        print(
            f"{'setup':<10} {'checks/s':>9} {'coord ms/check':>15} {'workers ms/check':>17} "
            f"{'ceiling checks/s':>17}   CPU used (cores): ours / machine busy / there"
        )
        done: dict[str, dict[str, float]] = {}
        if not args.no_daemon:
            done["daemon"] = _measure(work / "daemon", urls, None, 0, args.seconds, site, server)
        for count in (int(n) for n in args.workers.split(",")):
            server.client.flushall()
            done[str(count)] = _measure(
                work / f"workers-{count}", urls, url, count, args.seconds, site, server
            )
        _compare(done)
        _redis_memory(work / f"workers-{count}", server.client)
    finally:
        site.stop()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {load_average()}")


class _Redis:
    def __init__(self, work: Path):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def _redis(work: Path) -> _Redis:
    return _Redis(work)


def _measure(
    cwd: Path,
    urls: list[str],
    redis_url: str | None,
    workers: int,
    seconds: float,
    site: Site,
    server: _Redis,
) -> dict[str, float]:
    cwd.mkdir()
    db = cwd / "editwatch.db"
    (cwd / "editwatch.toml").write_text(CONFIG)
    env = {**editwatch_env(db), "EDITWATCH_CONFIG": str(cwd / "editwatch.toml")}
    editwatch("import", str(cwd.parent / "urls.txt"), "--every", "1s", db=db, cwd=cwd)
    procs = [
        subprocess.Popen([PYTHON, "-m", "monitor", "worker", "--redis", redis_url], cwd=cwd, env=env,
                         stdout=subprocess.DEVNULL, stderr=(cwd / f"worker-{n}.log").open("w"))
        for n in range(workers)
    ]  # fmt: skip
    run = [PYTHON, "-m", "monitor", "run", *(["--redis", redis_url] if redis_url else [])]
    coordinator = subprocess.Popen(
        run, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=(cwd / "daemon.log").open("w")
    )
    # Everything this setup runs on the machine's cores: the CPU they used, against what there was.
    pids = [coordinator.pid, *(p.pid for p in procs), server.proc.pid, site.proc.pid]
    try:
        # Warm up: every article checked once (first versions, regions learnt), then measure.
        deadline = time.monotonic() + 600
        while _count(db, "SELECT count(DISTINCT watch_id) FROM versions") < len(urls):
            if time.monotonic() > deadline or coordinator.poll() is not None:
                raise RuntimeError(f"warm-up did not finish: see {cwd}")
            time.sleep(1)
        time.sleep(3)
        checks0 = _count(db, "SELECT count(*) FROM checks")
        cpu0, busy0 = [proc_cpu_seconds(pid) for pid in pids], _machine_busy()
        wall0 = time.monotonic()
        time.sleep(seconds)
        checks1 = _count(db, "SELECT count(*) FROM checks")
        cpu1, busy1 = [proc_cpu_seconds(pid) for pid in pids], _machine_busy()
        wall = time.monotonic() - wall0
    finally:
        for proc in (*procs, coordinator):
            proc.send_signal(signal.SIGTERM)
        for proc in (*procs, coordinator):
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    done = checks1 - checks0
    used = [b - a for a, b in zip(cpu0, cpu1, strict=True)]
    coordinator_ms = used[0] / done * 1000 if done else float("nan")
    # The workers together over the checks: how the checks fell to each worker is not recorded.
    workers_ms = sum(used[1 : 1 + workers]) / done * 1000 if done and workers else float("nan")
    ceiling = 1000 / coordinator_ms if done and coordinator_ms else float("nan")
    ours, busy = sum(used) / wall, (busy1 - busy0) / wall
    label = f"{workers} workers" if redis_url else "daemon"
    workers_text = f"{workers_ms:.2f}" if workers else "-"
    print(
        f"{label:<10} {done / wall:>9.0f} {coordinator_ms:>15.2f} {workers_text:>17} {ceiling:>17.0f}"
        f"   {ours:.2f} / {busy:.2f} / {os.cpu_count()} (load {load_average()})",
        flush=True,
    )
    return {
        "rate": done / wall,
        "coordinator_ms": coordinator_ms,
        "workers_ms": workers_ms,
        "ours": ours,
        "busy": busy,
    }


def _compare(done: dict[str, dict[str, float]]) -> None:
    """The issue's comparisons in words: a worker against the daemon, two workers against one."""
    daemon, one, two = done.get("daemon"), done.get("1"), done.get("2")
    if daemon and one:
        ratio = one["workers_ms"] / daemon["coordinator_ms"]
        print(
            f"a worker's CPU per check is {ratio:.0%} of the daemon's ({one['workers_ms']:.2f} against "
            f"{daemon['coordinator_ms']:.2f} ms; the daemon's includes recording, which the coordinator does "
            f"for the worker at {one['coordinator_ms']:.2f} ms)"
        )
    if one and two:
        print(
            f"2 workers did {two['rate'] / one['rate']:.2f}x the checks/s of 1; with 2 workers the machine's "
            f"{os.cpu_count()} cores were {two['busy'] / (os.cpu_count() or 1):.0%} busy, "
            f"{two['ours']:.2f} cores of it this benchmark's processes (site, Redis, coordinator, workers)"
        )


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores, anyone's work), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def _redis_memory(cwd: Path, client: redis.Redis) -> None:
    """Bytes of Redis memory per queued task and per waiting result, from real encodings."""
    from crawler.cluster.protocol import CheckTask, encode_result
    from crawler.items import PageFetch
    from storage import Store

    with Store(cwd / "editwatch.db") as store:
        watches = store.watches.all()[:1000]
        regions = {w.id: store.regions.for_check(w.id) for w in watches}
    tasks = [
        CheckTask(
            watch_id=w.id, url=w.url, token="0123456789abcdef", etag=w.etag, last_modified=w.last_modified,
            region=regions[w.id] and {"recipe": regions[w.id].recipe, "fingerprint": regions[w.id].fingerprint,
                                      "content_hash": regions[w.id].content_hash, "learned_at": regions[w.id].learned_at},
            rules_key="abcdef12",
        ).encode()
        for w in watches
    ]  # fmt: skip
    results = [
        encode_result(
            PageFetch(w.id, w.url, "2026-12-02T03:00:00.000000+00:00", w.url, 200, 12, "text/html; charset=utf-8",
                      same_region_as="0" * 64),
            "0123456789abcdef", "host-1234-abcdef",
        )
        for w in watches
    ]  # fmt: skip
    client.flushall()
    for name, values in (("task", tasks), ("result", results)):
        before = client.info("memory")["used_memory"]
        rounds = max(1, 100_000 // len(values))
        for _ in range(rounds):
            client.rpush(f"bench:{name}", *values)
        after = client.info("memory")["used_memory"]
        print(f"Redis memory per queued {name}: {(after - before) / (rounds * len(values)):.0f} bytes "
              f"(encoded {sum(map(len, values)) / len(values):.0f} bytes)")  # fmt: skip
        client.delete(f"bench:{name}")


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


if __name__ == "__main__":
    main()
