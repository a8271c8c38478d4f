"""``editwatch serve`` run for real in a subprocess, on a copy of a database, for the viewer tests."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.daemon_process import stop_process


@dataclass
class RunningViewer:
    """A viewer process and the address it printed."""

    process: subprocess.Popen
    url: str

    def get(
        self, path: str, headers: dict[str, str] | None = None, method: str = "GET"
    ) -> tuple[int, dict, str]:
        """Status, headers and text of one request (errors are responses too)."""
        request = urllib.request.Request(self.url.rstrip("/") + path, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8")

    def stop(self) -> None:
        stop_process(self.process)


def start_viewer(db: Path, log: Path, *options: str, config: Path | None = None) -> RunningViewer:
    """Start ``editwatch serve --port 0 OPTIONS`` on ``db`` (its errors to ``log``) and wait for the address line.

    ``--read-only`` gives the viewer; without it, the app that acts too.
    """
    extra = ["--config", str(config)] if config else []
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--db", str(db), *extra, "serve", "--port", "0", *options],
            cwd=ROOT, env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
    line = process.stdout.readline()
    if "serving" not in line:
        process.kill()
        raise RuntimeError(f"the viewer did not start: {line}{log.read_text()}")
    return RunningViewer(process, line.split(" at ", 1)[1].split()[0])
