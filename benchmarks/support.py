"""What the performance benchmarks share: the news site in its own process, measured subprocesses, urlwatch.

Every figure comes from a real process: the demo news site runs as
``python -m monitor.demo.serve`` (its own process, so its CPU is not ours),
editwatch runs as its CLI (``python -m monitor``) with zero configuration, and
urlwatch is installed from PyPI into its own virtualenv
(``benchmarks/.venv-urlwatch``, created on first use). CPU time and peak memory
are the measured process's own, from ``wait4``'s rusage (or ``/proc`` while it runs).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
URLWATCH_VENV = ROOT / "benchmarks" / ".venv-urlwatch"
URLWATCH_REQUIREMENTS = ["urlwatch==2.29", "html2text>=2024.2.26"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One finished process: wall time, CPU seconds (user + system), peak resident memory, output."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_measured(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 3600) -> Run:
    """Run a process to completion and measure it with ``wait4`` (its own rusage, not ours)."""
    out, err = cwd / ".stdout", cwd / ".stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=stdout, stderr=stderr)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,
        returncode=proc.returncode,
        stdout=out.read_text(),
        stderr=err.read_text(),
    )


def editwatch_env(db: Path) -> dict[str, str]:
    """The environment of an editwatch process: this repository importable, no configuration file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDITWATCH_")}
    # With its bytecode cached, as pip leaves an installed editwatch: a PYTHONDONTWRITEBYTECODE
    # inherited from a development shell would have every command compile editwatch's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT)
    env["EDITWATCH_DB"] = str(db)
    env["NO_COLOR"] = "1"
    return env


def editwatch(*args: str, db: Path, cwd: Path, timeout: float = 3600) -> Run:
    """Run ``editwatch ARGS`` as a user would (zero configuration), measured."""
    return run_measured([PYTHON, "-m", "monitor", *args], cwd=cwd, env=editwatch_env(db), timeout=timeout)


def start_daemon(db: Path, cwd: Path) -> subprocess.Popen:
    """Start ``editwatch run`` (zero configuration) in ``cwd``, its log in ``cwd/daemon.log``."""
    return subprocess.Popen(
        [PYTHON, "-m", "monitor", "run"],
        cwd=cwd,
        env=editwatch_env(db),
        stdout=subprocess.DEVNULL,
        stderr=(cwd / "daemon.log").open("w"),
    )


def db_bytes(db: Path) -> int:
    """The database's size with its write-ahead log folded in (as a user's disk would hold it)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob(db.name + "-*") if p.exists())


class Site:
    """The demo news site in its own process: ``python -m monitor.demo.serve``."""

    def __init__(self, articles: int, sites: int, port: int, seed: int = 1):
        self.port = port
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "monitor.demo.serve",
                *_options(articles=articles, sites=sites, port=port, seed=seed),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        line = self.proc.stdout.readline()
        if not line.startswith("serving"):
            raise RuntimeError(f"the news site did not start: {line}")
        self.control = f"http://127.0.0.1:{port}/_control"

    def stories(self) -> list[dict]:
        with urllib.request.urlopen(f"{self.control}/stories") as response:
            return json.load(response)

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.control}/stats") as response:
            return json.load(response)

    def edit(self, slug: str, kind: str = "edit_paragraph") -> None:
        request = urllib.request.Request(
            f"{self.control}/edit/{slug}", data=json.dumps({"kind": kind}).encode(), method="POST"
        )
        with urllib.request.urlopen(request) as response:
            response.read()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def proc_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def proc_rss_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) in MB of a running process, from ``/proc``."""
    now = peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            now = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return now, peak


def load_average() -> str:
    """The machine's load (other work on the same cores skews every figure)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def urlwatch_python() -> Path:
    """urlwatch's own virtualenv (created and filled from PyPI on first use)."""
    python = URLWATCH_VENV / "bin" / "python"
    if not (URLWATCH_VENV / ".installed").exists():
        print(f"installing {' '.join(URLWATCH_REQUIREMENTS)} into {URLWATCH_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(URLWATCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *URLWATCH_REQUIREMENTS],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (URLWATCH_VENV / ".installed").touch()
    return python


# The CSS a user would write for each of the demo site's templates to select the headline,
# the byline and the body paragraphs (then html2text): the best filter urlwatch can be given.
URLWATCH_SELECTORS = {
    "station": "article.article > h1, article.article > .byline, article.article .article-body > p",
    "paper": "div.story > h1.headline, div.story > .byline, div.story .story-text > p",
    "stale": "main > article > h1, main > article > .byline, main > article section.body > p",
    "inline": "article.story > h1, article.story > .byline, "
    "article.story > p:not(.timestamp):not(.stats):not(.listen)",
    "graph": ".main-col > h1, .main-col > .byline, [itemprop=articleBody] > p",
    # CSS-module class names change with every deploy: only their stable prefixes can be matched.
    "modern": "h1[class^=Article_title], [class^=Byline_wrap], [class^=ArticleBody_chunk] > p",
    # Byline and dateline are paragraphs of the body; the dateline ("Updated 4 minutes ago") is the second.
    "desk": "article.post > h1.entry-title, .entry-content > p:not(:nth-child(2))",
    # The first paragraph is "By ... | Updated 14:05", its clock moving on every request: left out, byline and all.
    "wire": "div.wrap > h1, div.content > p:not(:first-child)",
}


def urlwatch_jobs(stories: list[dict]) -> str:
    """urls.yaml: one job per story, with its template's selectors and html2text."""
    jobs = []
    for story in stories:
        jobs.append(
            json.dumps(
                {
                    "name": story["slug"],
                    "url": story["url"],
                    "filter": [{"css": URLWATCH_SELECTORS[story["template"]]}, "html2text"],
                }
            )
        )
    return "\n---\n".join(jobs) + "\n"  # JSON is YAML


def urlwatch(work: Path, python: Path, timeout: float = 3600) -> Run:
    """One ``urlwatch`` run over the jobs in ``work/urls.yaml``, measured."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HOME"] = str(work)  # its default config and cache locations
    return run_measured(
        [
            str(python.parent / "urlwatch"),
            *_options(urls=work / "urls.yaml", config=work / "urlwatch.yaml", cache=work / "cache.db"),
        ],
        cwd=work,
        env=env,
        timeout=timeout,
    )


def _options(**values: object) -> list[str]:
    """``--name value`` pairs for a command line."""
    return [part for name, value in values.items() for part in (f"--{name}", str(value))]
