"""The parts of a crawl cluster for tests: a real ``redis-server`` on loopback and real worker processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.daemon_process import DaemonProcess, stop_process, wait_for
from tests.web_archive import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
needs_redis = pytest.mark.skipif(
    not os.path.exists(REDIS_SERVER), reason="redis-server is not installed (scripts/system-deps)"
)


class RedisServer:
    """``redis-server`` on 127.0.0.1 on a free port, keeping nothing on disk; restartable on the same port."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root)],
            stdout=(self.root / f"redis-{self.port}.log").open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_for("redis-server to answer", lambda: _pings(client), timeout=15)
        return self

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        self.process = None

    def restart(self, down_for: float = 1.0) -> None:
        """Stop Redis (losing everything in it: no persistence), wait, and start it again on the same port."""
        self.stop()
        time.sleep(down_for)
        self.start()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


class WorkerProcess(DaemonProcess):
    """``editwatch worker`` in the workspace, logging to a file."""

    command = "worker"

    def __init__(self, workspace, redis_url: str):
        super().__init__(workspace, "--redis", redis_url)

    def wait_started(self, server: redis.Redis, timeout: float = 30.0) -> WorkerProcess:
        wait_for(
            "the worker's heartbeat",
            lambda: (
                any(f"-{self.proc.pid}-" in k.decode() for k in server.keys("editwatch:worker:*"))
                or self.proc.poll() is not None
            ),
            timeout,
        )
        assert self.proc.poll() is None, f"the worker exited with {self.proc.returncode}:\n{self.log}"
        return self
