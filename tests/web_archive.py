"""A real pywb web archive on 127.0.0.1, with collections built from WARC files the tests write.

``write_warc`` writes captures (URL, time, status, headers, body) as WARC response
records with warcio; ``Wayback`` runs pywb's ``wayback`` server over a directory
whose collections are made with ``wb-manager`` (init, then add the WARCs).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.daemon_process import stop_process

# pywb runs from its own virtualenv (scripts/pywb-venv, which `make test` runs): its pins of redis
# and Werkzeug clash with editwatch's. An environment that has pywb beside editwatch works too.
_PYWB_VENV = Path(__file__).resolve().parent.parent / ".venv-pywb" / "bin"
BIN = _PYWB_VENV if (_PYWB_VENV / "wayback").exists() else Path(sys.executable).parent


@dataclass
class Snapshot:
    """One capture to archive."""

    url: str
    at: datetime  # UTC
    body: bytes
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)

    @property
    def timestamp(self) -> str:
        return self.at.strftime("%Y%m%d%H%M%S")


def write_warc(path: Path, snapshots: list[Snapshot]) -> Path:
    """Write ``snapshots`` as a gzipped WARC of response records."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for snap in snapshots:
            headers = [*snap.headers, ("Content-Length", str(len(snap.body)))]
            status = f"{snap.status} {HTTPStatus(snap.status).phrase}"
            record = writer.create_warc_record(
                snap.url,
                "response",
                payload=BytesIO(snap.body),
                http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": snap.at.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Wayback:
    """pywb serving the collections under ``root`` on a free loopback port."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def add_collection(self, name: str, *warcs: Path) -> None:
        """Create collection ``name`` and index ``warcs`` into it (pywb's own wb-manager)."""
        if not (self.root / "collections" / name).exists():
            self._manager("init", name)
        self._manager("add", name, *map(str, warcs))

    def _manager(self, *args: str) -> None:
        subprocess.run(
            [str(BIN / "wb-manager"), *args], cwd=self.root, check=True, capture_output=True, timeout=120
        )

    def cdx(self, collection: str) -> str:
        return f"http://127.0.0.1:{self.port}/{collection}/cdx"

    def start(self) -> Wayback:
        self.process = subprocess.Popen(
            [str(BIN / "wayback"), "-p", str(self.port), "-b", "127.0.0.1"],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "wayback.log").open("wb"),
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError((self.root / "wayback.log").read_text()) from None
                time.sleep(0.2)
        raise RuntimeError("pywb did not start")

    def raw(self, collection: str, timestamp: str, url: str) -> tuple[int, bytes]:
        """The capture of ``url`` at ``timestamp`` as pywb replays it raw (``id_``)."""
        address = f"http://127.0.0.1:{self.port}/{collection}/{timestamp}id_/{url}"
        try:
            with urllib.request.urlopen(address, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
