"""Running the real daemon (``editwatch run``) in a subprocess, and waiting for what it does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from storage import Store

T = TypeVar("T")

# A daemon for loopback tests: quick polls, no hourly report.
DAEMON_SETTINGS = {"daemon": {"poll_seconds": 0.2, "report_every": "off"}}


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate a server process the tests started; kill it if it is still there after ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def daemon_config(base: str, extra: dict) -> str:
    """``base`` (TOML) with the daemon's test settings and ``extra`` layered over it, as TOML."""
    data = tomllib.loads(base)
    for layer in (DAEMON_SETTINGS, extra):
        for section, values in layer.items():
            data.setdefault(section, {}).update(values)
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def wait_for(what: str, probe: Callable[[], T], timeout: float = 20.0, every: float = 0.1) -> T:
    """Poll ``probe`` until it returns something truthy; fail the test naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


class DaemonProcess:
    """``editwatch run`` in the workspace, logging to a file."""

    command = "run"  # the editwatch command the process runs; its log file is named for it

    def __init__(self, workspace, *args: str):
        self.workspace = workspace
        self.log_path = Path(workspace.path) / f"{self.command}-{time.monotonic_ns()}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()/kill()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", self.command, *args],
            cwd=workspace.path,
            env=workspace.env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_started(self, timeout: float = 30.0) -> DaemonProcess:
        wait_for(
            "the daemon to start",
            lambda: "daemon started" in self.log or self.proc.poll() is not None,
            timeout,
        )
        assert self.proc.poll() is None, f"the daemon exited with {self.proc.returncode}:\n{self.log}"
        return self

    def send(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 40.0) -> int:
        """Send ``signum`` and wait for the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            return self.proc.wait(timeout)
        finally:
            self._log.close()

    def wait(self, timeout: float = 60.0) -> int:
        """Wait for the daemon to exit by itself; its exit status."""
        try:
            return self.proc.wait(timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        """``kill -9``: no chance to clean up."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self._log.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        self._log.close()


def checks_of(db: Path, watch_id: int) -> list[dict]:
    """Every recorded check of a watch, oldest first."""
    with Store(db) as store:
        return [
            dict(r) for r in store.query("SELECT * FROM checks WHERE watch_id = ? ORDER BY id", (watch_id,))
        ]


def wait_for_first_versions(db: Path, watch_ids, timeout: float = 60.0) -> None:
    """Wait until every one of ``watch_ids`` has a stored version."""
    wait_for("a first version of every watch", lambda: all(versions_of(db, n) for n in watch_ids), timeout)


def database_now(db: Path) -> str:
    """SQLite's clock, in the form checks are stored with: for "checked since" questions."""
    with Store(db) as store:
        return store.query("SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now') AS t")[0]["t"]


def versions_of(db: Path, watch_id: int) -> list[dict]:
    with Store(db) as store:
        return [
            dict(r)
            for r in store.query(
                "SELECT number, content_hash, headline, url FROM versions WHERE watch_id = ? ORDER BY number",
                (watch_id,),
            )
        ]


def changes_of(db: Path, watch_id: int) -> list[dict]:
    with Store(db) as store:
        return [
            dict(r) for r in store.query("SELECT * FROM changes WHERE watch_id = ? ORDER BY id", (watch_id,))
        ]


def watch_row(db: Path, watch_id: int) -> dict:
    with Store(db) as store:
        return dict(store.query("SELECT * FROM watches WHERE id = ?", (watch_id,))[0])


def watch_all(workspace, urls: list[str], every: str) -> None:
    """Watch ``urls`` (IDs 1, 2, ... in order) with one ``editwatch import``: one CLI start, not one per URL."""
    path = Path(workspace.path) / "urls.txt"
    path.write_text("\n".join(urls) + "\n")
    workspace.run("import", str(path), "--every", every)
