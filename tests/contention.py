"""Commands while the daemon writes at full speed: shared by ``tests/test_concurrency.py`` and
``benchmarks/contention.py``.

The daemon checks every story of a busy site every second while an editor thread keeps editing
them (every check writes a row, every edit a version, a change and an alert); meanwhile the
CLI's readers and writers run in a loop in other processes. Any failure, and in particular any
"database is locked", is collected.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from monitor.demo.site import EDIT_KINDS, NewsSite
from storage import Store
from tests.conftest import TEST_CONFIG
from tests.daemon_process import DaemonProcess, daemon_config, wait_for

CONTENTION_CONFIG = {"daemon": {"poll_seconds": 0.1, "report_every": "off"}}


@dataclass
class ContentionFigures:
    """What ran and what failed."""

    runs: Counter = field(default_factory=Counter)  # command -> runs
    seconds: Counter = field(default_factory=Counter)  # command -> total seconds
    failures: list[str] = field(default_factory=list)  # "command: exit N: stderr"
    locked: int = 0  # failures that mention a lock or a busy database
    checks: int = 0  # checks the daemon recorded meanwhile
    versions: int = 0  # versions the daemon stored meanwhile
    edits: int = 0
    elapsed: float = 0.0
    daemon_exit: int | None = None


def _commands(site: NewsSite, n: int) -> list[list[str]]:
    """The n-th round of commands: readers and writers, on watches the daemon is writing to."""
    watch = str(1 + n % len(site.stories))
    new_url = f"{site.base_url}/added-by-the-cli-{n}"
    return [
        ["history", watch],
        ["diff", watch],
        ["show", watch, "--json"],
        ["add", new_url, "--label", "cli"],
        ["list", "--json"],
        ["status", "--json"],
        ["export", watch, "-o", f"export-{n}.jsonl"],
        ["search", "council"],
        ["remove", new_url],
    ]


def run_contention(workspace, *, seconds: float, stories: int = 60, clients: int = 2, seed: int = 1):
    """Run ``clients`` loops of CLI commands for ``seconds`` while the daemon works; returns the figures."""
    figures = ContentionFigures()
    rng = random.Random(seed)
    site = NewsSite.generated(stories, seed=seed)
    site.start()
    stop = threading.Event()
    ws = workspace
    try:
        ws.config.write_text(daemon_config(TEST_CONFIG, CONTENTION_CONFIG))
        (ws.path / "urls.txt").write_text("".join(site.url(s) + "\n" for s in site.stories))
        ws.run("import", "urls.txt", "--every", "1s")
        ws.run("alerts", "add", "stdout")
        daemon = DaemonProcess(ws).wait_started()
        with Store(ws.db, read_only=True) as store:
            wait_for(
                "a first version of every story",
                lambda: store.query("SELECT COUNT(DISTINCT watch_id) FROM versions")[0][0] >= stories,
                timeout=120,
            )

        def edit() -> None:
            while not stop.wait(0.05):
                site.edit(rng.choice(list(site.stories)), rng.choice(EDIT_KINDS[:5]))
                figures.edits += 1

        rounds = itertools.count()
        lock = threading.Lock()

        def client() -> None:
            while not stop.is_set():
                with lock:
                    n = next(rounds)
                for args in _commands(site, n):
                    started = time.monotonic()
                    proc = subprocess.run(
                        [sys.executable, "-m", "monitor", *args],
                        cwd=ws.path, env=ws.env(), capture_output=True, text=True, timeout=120,
                    )  # fmt: skip
                    with lock:
                        figures.runs[args[0]] += 1
                        figures.seconds[args[0]] += time.monotonic() - started
                        if proc.returncode != 0 or "Traceback" in proc.stderr:
                            figures.failures.append(
                                f"{' '.join(args)}: exit {proc.returncode}: {proc.stderr[-300:]}"
                            )
                        text = proc.stderr.lower()
                        if "locked" in text or "busy" in text:
                            figures.locked += 1

        with Store(ws.db) as store:
            checks_before = store.query("SELECT COUNT(*) FROM checks")[0][0]
            versions_before = store.query("SELECT COUNT(*) FROM versions")[0][0]
        threads = [threading.Thread(target=edit, daemon=True)]
        threads += [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join(150)
        figures.elapsed = time.monotonic() - started
        figures.daemon_exit = daemon.stop()
        if "Traceback" in daemon.log or "database is locked" in daemon.log:
            figures.failures.append(f"daemon log: {daemon.log[-500:]}")
        with Store(ws.db) as store:
            figures.checks = store.query("SELECT COUNT(*) FROM checks")[0][0] - checks_before
            figures.versions = store.query("SELECT COUNT(*) FROM versions")[0][0] - versions_before
    finally:
        stop.set()
        site.stop()
    return figures
