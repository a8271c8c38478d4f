"""Shared fixtures: a real news site on 127.0.0.1, a real SQLite file, the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.demo.site import NewsSite
from storage import Store

ROOT = Path(__file__).resolve().parent.parent

# Fetch settings for loopback tests: no politeness delay, few retries.
TEST_CONFIG = """\
[fetch]
delay_seconds = 0
per_domain = 16
retries = 0
timeout_seconds = 5
"""


@dataclass
class Workspace:
    """A directory with an editwatch database and config, and a way to run the CLI in it."""

    path: Path
    db: Path
    config: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(EDITWATCH_DB=str(self.db), EDITWATCH_CONFIG=str(self.config), NO_COLOR="1", COLUMNS="200")
        env.update(extra)
        return env

    def run(
        self, *args: str, timeout: float = 120, check_exit: int | None = 0, **env: str
    ) -> subprocess.CompletedProcess:
        """Run ``editwatch ARGS`` and return the finished process (asserting its exit status)."""
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", *args],
            cwd=self.path,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check_exit is not None:
            assert proc.returncode == check_exit, (
                f"editwatch {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
        return proc

    def store(self) -> Store:
        return Store(self.db)

    def run_all(self, commands: list[list[str]], timeout: float = 120) -> list[str]:
        """Run each ``editwatch ARGS`` of ``commands`` in one process (tests/cli_sweep.py: the real CLI
        without a Python start-up per command); their standard outputs, each asserted to exit 0."""
        cases = [{"args": args, "cwd": str(self.path)} for args in commands]
        proc = subprocess.run(
            [sys.executable, "-m", "tests.cli_sweep"],
            input=json.dumps(cases),
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert proc.returncode == 0, proc.stderr
        results = json.loads(proc.stdout)
        for args, result in zip(commands, results, strict=True):
            assert result["exit"] == 0 and result["crash"] is None, (args, result)
        return [result["stdout"] for result in results]

    def watch(self, urls: list[str]) -> None:
        """Watch ``urls`` (IDs 1, 2, ... in order) with one ``editwatch import``: one CLI start, not one per URL."""
        (self.path / "urls.txt").write_text("".join(url + "\n" for url in urls))
        self.run("import", "urls.txt")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    config = tmp_path / "editwatch.toml"
    config.write_text(TEST_CONFIG)
    return Workspace(path=tmp_path, db=tmp_path / "editwatch.db", config=config)


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 that keeps every alert it is sent."""
    from tests.receivers import WebhookReceiver

    rx = WebhookReceiver().start()
    yield rx
    rx.stop()


@pytest.fixture
def news_site() -> Iterator[NewsSite]:
    """The seed story on a local site whose chrome changes on every request."""
    site = NewsSite(seed=1)
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def edited_history(tmp_path_factory: pytest.TempPathFactory):
    """A database built once by real checks of a news site whose story went through edits of every kind."""
    from tests.edited_story import build

    path = tmp_path_factory.mktemp("edited-history")
    (path / "editwatch.toml").write_text(TEST_CONFIG)
    return build(
        Workspace(path=path, db=path / "editwatch.db", config=path / "editwatch.toml"), path / "snapshot"
    )


@pytest.fixture
def history_workspace(edited_history, workspace: Workspace) -> Workspace:
    """A workspace holding its own copy of the ``edited_history`` database."""
    shutil.copy(edited_history.db, workspace.db)
    return workspace


@pytest.fixture(scope="session")
def viewer(edited_history, tmp_path_factory: pytest.TempPathFactory):
    """``editwatch serve --read-only`` (the viewer) running on a copy of the ``edited_history`` database."""
    from tests.viewer_server import start_viewer

    path = tmp_path_factory.mktemp("viewer")
    shutil.copy(edited_history.db, path / "editwatch.db")
    running = start_viewer(path / "editwatch.db", path / "viewer.log", "--read-only")
    yield running
    running.stop()


def pytest_configure(config: pytest.Config) -> None:
    # The CLI subprocesses import the project from the repository root.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


@pytest.fixture
def start_daemon(workspace: Workspace):
    """Start ``editwatch run`` in the workspace; stopped (killed if need be) at teardown.

    ``config`` maps sections to settings layered over the test configuration,
    e.g. ``{"schedule": {"failing_after": 2}}``.
    """
    from tests.daemon_process import DaemonProcess, daemon_config

    started: list[DaemonProcess] = []

    def start(*args: str, config: dict | None = None, wait: bool = True) -> DaemonProcess:
        workspace.config.write_text(daemon_config(TEST_CONFIG, config or {}))
        daemon = DaemonProcess(workspace, *args)
        started.append(daemon)
        return daemon.wait_started() if wait else daemon

    yield start
    for daemon in started:
        daemon.close()


@pytest.fixture
def redis_server(tmp_path: Path):
    """A real ``redis-server`` on 127.0.0.1 on a free port (see tests/cluster_parts.py)."""
    from tests.cluster_parts import RedisServer

    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(workspace: Workspace, redis_server):
    """Start ``editwatch worker`` processes on ``redis_server``; killed if still running at teardown."""
    from tests.cluster_parts import WorkerProcess

    started: list[WorkerProcess] = []

    def start(wait: bool = True) -> WorkerProcess:
        worker = WorkerProcess(workspace, redis_server.url)
        started.append(worker)
        return worker.wait_started(redis_server.client()) if wait else worker

    yield start
    for worker in started:
        worker.close()
