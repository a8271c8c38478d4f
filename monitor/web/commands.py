"""Running an editwatch command for the app (a check, a source's poll), in its own process.

A fetch needs Scrapy's reactor, which must not run inside the web server; the command
itself is the CLI's, so the page shows exactly what ``editwatch check ID`` prints.
"""

from __future__ import annotations

import subprocess
import sys

from starlette.requests import Request

TIMEOUT = 300


def run_command(request: Request, *args: str) -> dict:
    """``editwatch ARGS`` on the served database and config: ``{"ok", "output"}``."""
    state = request.app.state
    command = [sys.executable, "-m", "monitor", "--db", state.database.path]
    if state.config_path:
        command += ["--config", state.config_path]
    try:
        done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"ok": False, "output": f"editwatch {' '.join(args)} took over {TIMEOUT} s and was stopped"}
    return {"ok": done.returncode == 0, "output": (done.stdout + done.stderr).strip()}
