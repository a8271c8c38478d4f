"""The daemon delivers alerts as it records changes, and catches up after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.receivers import WebhookReceiver, wait_for

SECRET = "daemon-T0ken-3141592"
CONFIG = """
[daemon]
poll_seconds = 0.2

[alerts]
poll_seconds = "0.2s"
retry_base = "0.2s"
retry_max = "0.5s"
timeout = "1s"
"""


def start_daemon(workspace, log_name: str) -> tuple[subprocess.Popen, object]:
    log = open(workspace.path / log_name, "w")  # noqa: SIM115 - closed by the test
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run"], cwd=workspace.path, env=workspace.env(),
        stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    return proc, log


def test_daemon_delivers_alerts_and_catches_up_after_kill_9(workspace, news_site):
    workspace.config.write_text(workspace.config.read_text() + CONFIG)
    receiver = WebhookReceiver().start()
    slug = "russia-afghan-peace-conference"
    workspace.run("add", news_site.url(slug), "--every", "1s")
    workspace.run("alerts", "add", f"{receiver.url}?token={SECRET}")
    store = workspace.store()

    daemon, log = start_daemon(workspace, "daemon1.log")
    try:
        assert wait_for(lambda: store.versions.count(1) >= 1, timeout=30)
        news_site.edit(slug, "headline")
        assert wait_for(lambda: len(receiver.received) == 1, timeout=30)
        assert receiver.events[0]["event"] == "edit" and receiver.events[0]["fields"] == [
            "headline",
            "modified",
        ]

        receiver.status = 503  # the channel goes down; edits go on
        news_site.edit(slug, "insert_paragraph")
        assert wait_for(lambda: receiver.refused >= 2, timeout=30)
        os.kill(daemon.pid, signal.SIGKILL)
        daemon.wait()
    finally:
        if daemon.poll() is None:
            daemon.kill()
        log.close()
    assert len(receiver.received) == 1

    receiver.status = 200
    daemon, log = start_daemon(workspace, "daemon2.log")
    try:
        assert wait_for(lambda: len(receiver.received) == 2, timeout=30)
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=35) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
        log.close()

    assert [e["event"] for e in receiver.events] == ["edit", "edit"]
    assert len(set(receiver.keys)) == 2
    assert "paragraph" in receiver.events[1]["summary"]
    logs = (workspace.path / "daemon1.log").read_text() + (workspace.path / "daemon2.log").read_text()
    assert "alert delivered" in logs and "alert delivery failed" in logs and "HTTP 503" in logs
    assert SECRET not in logs
    assert store.integrity_check() == "ok"
    store.close()
    receiver.stop()
