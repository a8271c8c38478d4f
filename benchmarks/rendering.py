"""What a rendered check costs: CPU (editwatch and every browser process) and memory, beside a static check.

Loopback sites (one per browser page, 127.0.0.1, 127.0.0.2, …: a site renders one page at a
time) serve ``--articles`` application shells, each filling in its article from
a JSON endpoint with a script (the kind of page only a browser can read), and the same
articles as ordinary HTML (what the browser ends up showing). ``editwatch check`` (the real
CLI, in a subprocess) checks them with a rule ``render = "browser"`` for the shells, then
without for the HTML pages, each once to store the first versions and then measured:

- CPU per check is the marginal cost: (CPU of re-checking all articles - CPU of re-checking
  one) / (articles - 1). CPU is the rusage of every process the CLI started: ``wait4``'s of the CLI
  (itself and what it reaped: Playwright's driver, Chromium's browser process), and that of the
  orphans this benchmark reaps as their subreaper: Chromium's renderer outlives the zygote that
  started it, and was reaped by init, its CPU counted nowhere;
- memory is sampled every 50 ms while the browser runs: the resident memory of the browser's
  processes summed (RSS counts shared pages once per process, so PSS is given too), at the
  peak of PSS, with PSS by kind of process; and the CLI's own peak. The browser's processes are
  the CLI's descendants that are Chromium's (found through a tag in the CLI's environment), so
  no other Chromium on the machine is counted and none of ours is missed;
- the CPU of each kind of process (the browser's, Playwright's driver, editwatch's) and of each
  kind of thread of Chromium's browser process and renderer, from ``/proc``, per check
  (the same marginal cost), shows where the CPU goes.

    python benchmarks/rendering.py [--articles 40] [--pages 4] [--rendered-only]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import CLOCK_TICKS, PYTHON, ROOT, Run, editwatch_env, load_average, run_measured
from tests.story_site import paragraphs

SHELL = (
    "<!doctype html><html><head><title>Mountain Herald</title>"
    '<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js" defer></script></head>'
    '<body><nav><a href="/">Home</a> <a href="/region/">Region</a></nav><div id="root">Loading…</div>'
    '<img src="/img/photo.jpg" alt=""></body></html>'
)
APP_JS = """
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const id = location.pathname.split('/').pop();
fetch('/api/' + id + '.json').then((r) => r.json()).then((s) => {
  document.getElementById('root').innerHTML = render(s);
});
function render(s) {
  return '<article><h1>' + esc(s.headline) + '</h1><p class="byline">By ' + esc(s.author) + '</p>' +
    '<time datetime="' + s.published + '">' + s.published.slice(0, 10) + '</time>' +
    s.body.map((p) => '<p>' + esc(p) + '</p>').join('') + '</article>' +
    '<aside class="most-read"><h2>Most read</h2><ul>' +
    s.mostRead.map((m) => '<li><a href="/news/x">' + esc(m) + '</a></li>').join('') + '</ul></aside>';
}
"""


def story(n: int) -> dict:
    return {
        "headline": f"Landslide cuts the mountain railway, report {n}",
        "author": "Jane Doe",
        "published": "2026-11-30T08:00:00Z",
        "body": paragraphs(8, seed=n),
        "mostRead": [f"Most read story {n + k}" for k in range(3)],
    }


def static_page(n: int) -> str:
    """The same article as HTML: what the browser shows once the script ran."""
    s = story(n)
    paras = "".join(f"<p>{p}</p>" for p in s["body"])
    items = "".join(f'<li><a href="/news/x">{m}</a></li>' for m in s["mostRead"])
    return (
        '<!doctype html><html><head><title>Mountain Herald</title><link rel="stylesheet" href="/static/site.css">'
        '</head><body><nav><a href="/">Home</a> <a href="/region/">Region</a></nav><div id="root">'
        f'<article><h1>{s["headline"]}</h1><p class="byline">By {s["author"]}</p>'
        f'<time datetime="{s["published"]}">2026-11-30</time>{paras}</article>'
        f'<aside class="most-read"><h2>Most read</h2><ul>{items}</ul></aside></div>'
        '<img src="/img/photo.jpg" alt=""></body></html>'
    )


def serve(host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A loopback site, in this process (its CPU is not the measured CLI's)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name for the GET handler
            parts = self.path.strip("/").split("/")
            kind, body = "text/html; charset=utf-8", None
            if parts[0] == "shell":
                body = SHELL
            elif parts[0] == "page":
                body = static_page(int(parts[1]))
            elif self.path == "/static/app.js":
                kind, body = "text/javascript", APP_JS
            elif parts[0] == "api":
                kind, body = "application/json", json.dumps(story(int(parts[1].split(".")[0])))
            data = (body or "not found").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def process_kind(cmdline: bytes) -> str:
    """What a Chromium process is, from its ``--type`` (and utility sub-type): "browser" when none."""
    args = cmdline.replace(b"\0", b" ").split()
    kind = next((a[7:].decode() for a in args if a.startswith(b"--type=")), "browser")
    sub = next((a[19:].decode() for a in args if a.startswith(b"--utility-sub-type=")), "")
    return f"{kind} {sub.split('.')[0]}" if sub else kind


# Set in the measured CLI's environment, which Playwright's driver and the browser inherit: the
# browser's processes are told from other Chromiums that Playwright launched on the same machine
# (other people's tests). Chromium's child processes overwrite their environment with their
# title, so they are found as descendants of a tagged process.
TAG = "EDITWATCH_BENCHMARK_RUN"


def tagged_browser_processes(tag: str) -> tuple[list[tuple[int, str]], int]:
    """(pid, kind) of the Playwright-launched Chromium processes started under ``TAG=tag``, and how
    many other such processes run (they share Chromium's pages with ours, so our PSS is understated)."""
    browser, _, others = tagged_processes(tag)
    return browser, others


def tagged_processes(tag: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]], int]:
    """The browser's processes as :func:`tagged_browser_processes` gives them; the other processes
    under ``TAG=tag`` ("editwatch", Playwright's "driver"); other Chromium processes."""
    parents: dict[int, int] = {}
    cmdlines: dict[int, bytes] = {}
    tagged: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdlines[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
            if f"{TAG}={tag}".encode() in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                tagged.add(pid)
        except (OSError, ValueError, IndexError):
            continue
    found = []
    helpers = []
    others = 0
    for pid, cmdline in cmdlines.items():
        if b"playwright_chromiumdev_profile" not in cmdline:
            if pid in tagged:
                helpers.append((pid, "driver" if b"node" in cmdline.split(b"\0")[0] else "editwatch"))
            continue
        ancestor, seen = pid, 0
        while ancestor not in tagged and ancestor in parents and seen < 64:
            ancestor, seen = parents[ancestor], seen + 1
        if ancestor in tagged:
            found.append((pid, process_kind(cmdline)))
        else:
            others += 1
    return found, helpers, others


def browser_memory_mb(tag: str) -> tuple[float, float, int, dict[str, float], int]:
    """(RSS summed, PSS summed, process count, PSS by kind of process, other Chromium processes)
    of the tagged browser's processes."""
    rss = pss = 0.0
    count = 0
    kinds: dict[str, float] = {}
    ours, others = tagged_browser_processes(tag)
    for pid, kind in ours:
        try:
            own_rss = own_pss = 0.0
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    own_rss = int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    own_pss = int(line.split()[1]) / 1024
        except OSError:
            continue
        rss += own_rss
        pss += own_pss
        kinds[kind] = kinds.get(kind, 0.0) + own_pss
        count += 1
    return rss, pss, count, kinds, others


def cpu_seconds(pid: int) -> float | None:
    """A live process's CPU so far (user + system), from ``/proc/PID/stat``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def thread_cpu_seconds(pid: int) -> dict[int, tuple[str, float]]:
    """Each thread of a live process: tid -> (its name without a trailing number, CPU so far)."""
    threads = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return threads
    for tid in tids:
        try:
            stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")].rstrip("0123456789/ ")
        fields = stat.rsplit(")", 1)[1].split()
        threads[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return threads


class MemorySampler:
    """The largest browser memory seen while it runs, sampled every 50 ms in a thread, and the CPU
    each kind of process (the browser's, Playwright's driver, editwatch) and each kind of thread of
    the browser's used (the last reading of each: a share of the total, which ``wait4`` gives
    exactly)."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.peak: tuple[float, float, int, dict[str, float], int] = (0.0, 0.0, 0, {}, 0)
        self.others = 0  # the most processes of other Chromiums seen at once
        self._cpu: dict[int, tuple[str, float]] = {}  # pid -> (kind, CPU seconds last read)
        self._threads: dict[int, tuple[str, float]] = {}  # tid -> ("kind: thread", CPU seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def cpu_by_kind(self) -> dict[str, float]:
        kinds: dict[str, float] = {}
        for kind, cpu in self._cpu.values():
            kinds[kind] = kinds.get(kind, 0.0) + cpu
        return kinds

    def cpu_by_thread(self) -> dict[str, float]:
        threads: dict[str, float] = {}
        for name, cpu in self._threads.values():
            threads[name] = threads.get(name, 0.0) + cpu
        return threads

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            sample = browser_memory_mb(self.tag)
            if sample[1] > self.peak[1]:
                self.peak = sample
            self.others = max(self.others, sample[4])
            browser, helpers, _ = tagged_processes(self.tag)
            for pid, kind in browser + helpers:
                cpu = cpu_seconds(pid)
                if cpu is not None:
                    self._cpu[pid] = (kind, cpu)
                if kind in ("browser", "renderer"):
                    for tid, (name, thread_cpu) in thread_cpu_seconds(pid).items():
                        self._threads[tid] = (f"{kind}: {name}", thread_cpu)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# prctl(2): orphans of our descendants are handed to this process rather than to init.
PR_SET_CHILD_SUBREAPER = 36


def count_orphans() -> None:
    """Make this process the reaper of its descendants' orphans: Chromium's renderer outlives its
    zygote and the browser process that started it, and an orphan reaped by init never reaches the
    CLI's ``wait4`` rusage (nor ours)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def run_counted(args: list[str], *, cwd: Path, env: dict[str, str]) -> Run:
    """:func:`run_measured`, with ``cpu`` counting every process the run started: the CLI and what it
    reaped, and the orphans this process reaped once the CLI was done (see :func:`count_orphans`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_measured(args, cwd=cwd, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break  # no process of ours left
        if not pid:
            time.sleep(0.01)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return run


def marginal(everything: dict[str, float], one: dict[str, float], articles: int) -> dict[str, float]:
    """Milliseconds per check of each key: (all articles - one) / (articles - 1)."""
    keys = set(everything) | set(one)
    return {k: (everything.get(k, 0.0) - one.get(k, 0.0)) / (articles - 1) * 1000 for k in keys}


def measure(mode: str, bases: list[str], articles: int, pages: int, workdir: Path) -> dict:
    """Check every article twice (first versions, then measured), and one article; CPU and memory."""
    db = workdir / f"{mode}.db"
    config = workdir / f"{mode}.toml"
    config.write_text(
        f"[fetch]\ndelay_seconds = 0\nper_domain = {pages}\nretries = 0\nbrowser_pages = {pages}\n"
        + ('\n[[rules]]\nmatch = "*/shell/*"\nrender = "browser"\n' if mode == "rendered" else "")
    )
    tag = f"{os.getpid()}-{mode}"
    env = {**editwatch_env(db), "EDITWATCH_CONFIG": str(config), TAG: tag}
    path = "shell" if mode == "rendered" else "page"
    urls = [f"{bases[n % len(bases)]}/{path}/{n}" for n in range(articles)]
    (workdir / f"{mode}.txt").write_text("\n".join(urls) + "\n")
    subprocess.run(
        [PYTHON, "-m", "monitor", "import", str(workdir / f"{mode}.txt")],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    first = run_counted([PYTHON, "-m", "monitor", "check"], cwd=workdir, env=env)
    assert first.stdout.count("new version 1") == articles, first.stdout + first.stderr
    with MemorySampler(tag) as sampler:
        everything = run_counted([PYTHON, "-m", "monitor", "check"], cwd=workdir, env=env)
    assert everything.stdout.count("unchanged") == articles, everything.stdout + everything.stderr
    one: list[tuple[Run, MemorySampler]] = []
    for _ in range(3):
        with MemorySampler(tag) as one_sampler:
            one.append(
                (run_counted([PYTHON, "-m", "monitor", "check", "1"], cwd=workdir, env=env), one_sampler)
            )
    one_run, one_sampler = sorted(one, key=lambda r: r[0].cpu)[1]
    one_cpu = one_run.cpu
    return {
        "mode": mode,
        "cpu_ms_per_check": (everything.cpu - one_cpu) / (articles - 1) * 1000,
        "process_cpu_s_all": everything.cpu,
        "process_cpu_s_one": one_cpu,
        "wall_s_all": everything.wall,
        "cli_peak_rss_mb": everything.max_rss_mb,
        "browser_rss_mb": sampler.peak[0],
        "browser_pss_mb": sampler.peak[1],
        "browser_processes": sampler.peak[2],
        "browser_pss_by_kind": sampler.peak[3],
        "browser_cpu_s_by_kind": sampler.cpu_by_kind(),
        "cpu_ms_per_check_by_kind": marginal(sampler.cpu_by_kind(), one_sampler.cpu_by_kind(), articles),
        "cpu_ms_per_check_by_thread": marginal(
            sampler.cpu_by_thread(), one_sampler.cpu_by_thread(), articles
        ),
        "other_chromium_processes": sampler.others,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--pages", type=int, default=4, help="[fetch] browser_pages")
    parser.add_argument("--rendered-only", action="store_true", help="skip the static checks")
    args = parser.parse_args()
    count_orphans()
    servers = [serve(f"127.0.0.{n + 1}") for n in range(max(1, args.pages))]
    bases = [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(
        f"commit {commit.stdout.strip()}, load {load_average()}, {args.articles} articles, {args.pages} pages"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("rendered",) if args.rendered_only else ("static", "rendered"):
            figures = measure(mode, bases, args.articles, args.pages, Path(tmp))
            print(
                f"{mode:>8}: {figures['cpu_ms_per_check']:.0f} ms CPU per check"
                f" (all {args.articles}: {figures['process_cpu_s_all']:.2f} s, one: {figures['process_cpu_s_one']:.2f} s,"
                f" {figures['wall_s_all']:.1f} s wall); CLI peak {figures['cli_peak_rss_mb']:.0f} MB"
                + (
                    f"; browser {figures['browser_rss_mb']:.0f} MB RSS summed,"
                    f" {figures['browser_pss_mb']:.0f} MB PSS, {figures['browser_processes']} processes"
                    if mode == "rendered"
                    else ""
                ),
                flush=True,
            )
            if mode == "rendered":
                kinds = sorted(figures["browser_pss_by_kind"].items(), key=lambda kv: -kv[1])
                print(
                    "          PSS at the peak: " + ", ".join(f"{k} {v:.0f} MB" for k, v in kinds), flush=True
                )
                if figures["other_chromium_processes"]:
                    print(
                        f"          (other Chromium processes ran meanwhile, up to {figures['other_chromium_processes']}:"
                        " they share Chromium's pages, so PSS is understated; measure again)",
                        flush=True,
                    )
                cpu = sorted(figures["browser_cpu_s_by_kind"].items(), key=lambda kv: -kv[1])
                print(
                    f"          CPU of all {args.articles}: " + ", ".join(f"{k} {v:.2f} s" for k, v in cpu),
                    flush=True,
                )
                cpu = sorted(figures["cpu_ms_per_check_by_kind"].items(), key=lambda kv: -kv[1])
                print(
                    "          CPU per check by process: " + ", ".join(f"{k} {v:.0f} ms" for k, v in cpu),
                    flush=True,
                )
                cpu = sorted(figures["cpu_ms_per_check_by_thread"].items(), key=lambda kv: -kv[1])
                print(
                    "          CPU per check by thread: "
                    + ", ".join(f"{k} {v:.1f} ms" for k, v in cpu if v >= 0.5),
                    flush=True,
                )
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
