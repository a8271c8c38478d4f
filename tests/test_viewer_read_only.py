"""The viewer changes nothing, whatever it is asked, and listens on 127.0.0.1 only unless told otherwise."""

from __future__ import annotations

import hashlib
import shutil
import socket

import pytest

from tests.viewer_server import start_viewer


@pytest.fixture
def own_viewer(edited_history, tmp_path):
    db = tmp_path / "editwatch.db"
    shutil.copy(edited_history.db, db)
    running = start_viewer(db, tmp_path / "viewer.log", "--read-only")
    yield running, db
    running.stop()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_request_changes_the_database(own_viewer):
    viewer, db = own_viewer
    before = _digest(db)
    pages = ["/", "/watch/1", "/watch/1/version/1", "/watch/1/diff?from=1&to=5", "/watch/1/diff?view=side",
             "/search?q=violence", "/feed.atom", "/watch/1/feed.atom", "/watch/2", "/nowhere"]  # fmt: skip
    for page in pages:
        assert viewer.get(page)[0] in (200, 404), page
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for page in ("/", "/watch/1", "/watch/1/version/1"):
            status, headers, _ = viewer.get(page, method=method)
            assert status == 405 and headers["Allow"] == "GET, HEAD", (method, page)
    viewer.stop()  # a clean close: whatever the viewer had in a WAL would now be in the file
    assert _digest(db) == before
    assert not db.with_name(db.name + "-wal").exists() or db.with_name(db.name + "-wal").stat().st_size == 0


def test_the_viewer_listens_on_127_0_0_1_only_by_default(own_viewer):
    viewer, _ = own_viewer
    assert viewer.url.startswith("http://127.0.0.1:")
    port = int(viewer.url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    # Another address of this machine (all of 127/8 is loopback on Linux) finds nothing listening.
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.2", port), timeout=5):
        pass
