"""Secrets in alert channel URLs (passwords, query tokens, token-like path segments) are never printed:
not by `alerts add`, `alerts list`, `alerts log`, `alerts test`, `alerts dispatch`, `status`, in JSON
or text, nor in the daemon's log, even when a failing receiver echoes the URL back in its answer."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.daemon_process import wait_for
from tests.receivers import free_port

PASSWORD = "Pa55-word-9917"
PATH_TOKEN = "T0KEN-path-8a7b6c5d4e"
QUERY_TOKEN = "Qu3ry-S3cret-1234"
CLOSED_PORT_KEY = "Cl0sed-Port-Key-5566"
MAIL_PASSWORD = "Ma1l-Pa55-2468"
SECRETS = (PASSWORD, PATH_TOKEN, QUERY_TOKEN, CLOSED_PORT_KEY, MAIL_PASSWORD)


class _Echo(BaseHTTPRequestHandler):
    """A broken receiver: 503, with the request line (and so its secrets) in the reason and body."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = f"cannot handle {self.path} for {self.headers.get('Authorization')}".encode()
        self.send_response(503, f"busy with {self.path}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _queue_an_edit(store) -> None:
    """Record an edit the way the recording pipeline does: its alerts are queued with it."""
    from monitor.alerts.outbox import AlertOutbox
    from storage import NewChange, NewVersion, clock

    AlertOutbox.install(store, {})
    watch, _ = store.watches.add("https://news.example/story")
    with store.transaction() as conn:
        for number in (1, 2):
            store.versions.insert(conn, watch.id, NewVersion(
                fetched_at=clock.now_text(), url=watch.url, content_hash=f"h{number}", headline=f"Vote {number}",
                byline=[], published=None, modified=None, body=["Text."], extractor="test",
            ))  # fmt: skip
        diff = [
            {
                "field": "headline",
                "kind": "edit",
                "category": "headline",
                "before": "Vote 1",
                "after": "Vote 2",
            }
        ]
        change = NewChange(event="edit", summary="headline changed", from_version=1, to_version=2,
                           fields=["headline"], diff=diff, words_added=1, words_removed=1)  # fmt: skip
        store.changes.insert(conn, watch.id, change, clock.now_text())


def test_channel_secrets_appear_in_no_output(workspace):
    workspace.config.write_text(
        workspace.config.read_text()
        + '\n[alerts]\npoll_seconds = "0.2s"\nretry_base = "0.2s"\ntimeout = "2s"\n'
        "[daemon]\npoll_seconds = 0.2\n"
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    channels = [
        f"http://editor:{PASSWORD}@127.0.0.1:{server.server_address[1]}/hooks/{PATH_TOKEN}?token={QUERY_TOKEN}",
        f"http://127.0.0.1:{free_port()}/hook?api_key={CLOSED_PORT_KEY}",
        f"mailto://desk:{MAIL_PASSWORD}@localhost:{free_port()}/desk@example.com?from=ew@example.com&mode=insecure",
    ]
    outputs = []
    try:
        proc = workspace.run("alerts", "add", channels[0])
        outputs += [proc.stdout, proc.stderr]
        assert "****" in proc.stdout and "Pa55" not in proc.stdout
        with workspace.store() as store:
            store.alerts.add_rule(channels[1], "webhook", ["edit"])
            store.alerts.add_rule(channels[2], "apprise", ["edit"])
            _queue_an_edit(store)  # one alert per channel
        for args in (
            ("alerts", "dispatch"),
            ("alerts", "test"),
            ("alerts", "list"),
            ("alerts", "list", "--json"),
            ("alerts", "log"),
            ("alerts", "log", "--json"),
            ("status",),
            ("status", "--json"),
        ):
            proc = workspace.run(*args, check_exit=None)
            assert "Traceback" not in proc.stderr, args
            outputs.append(f"{' '.join(args)}\n{proc.stdout}\n{proc.stderr}")

        from tests.daemon_process import DaemonProcess

        daemon = DaemonProcess(workspace).wait_started()
        wait_for(
            "a failed delivery in the daemon's log", lambda: daemon.log.count("alert delivery failed") >= 3
        )
        daemon.stop()
        outputs.append(daemon.log)
    finally:
        server.shutdown()
        server.server_close()

    everything = "\n".join(outputs)
    assert "HTTP 503" in everything and "connection refused" in everything
    for secret in SECRETS:
        assert secret not in everything, next(o for o in outputs if secret in o)[-2000:]
