"""Sessions that outlive a restart, Secure cookies behind an https proxy, read-only API tokens,
and a pause that a check finishing meanwhile does not undo."""

from __future__ import annotations

import json
import urllib.request

from storage import Store
from storage.checks import CheckResult
from tests.test_web_app import Browser, _start, _watches


def _set_cookie(url: str) -> str:
    with urllib.request.urlopen(url + "watches/new", timeout=30) as response:
        return response.headers["Set-Cookie"]


def test_a_restart_keeps_browsers_logged_in(workspace):
    workspace.run("check")
    app = _start(workspace)
    browser = Browser(app.url)
    try:
        token = browser.csrf()
    finally:
        app.stop()
    app = _start(workspace)  # a new process, on another port: the cookie jar still sends the cookie
    browser.base = app.url.rstrip("/")
    try:
        status, _ = browser.request("/watches", form={"url": "https://news.example/a", "csrf_token": token})
        assert status == 200 and [w["url"] for w in _watches(workspace)] == ["https://news.example/a"]
    finally:
        app.stop()
    key = Store(workspace.db).conn.execute("SELECT key FROM web_session_key").fetchone()[0]
    assert len(key) >= 40


def test_cookies_are_secure_behind_an_https_proxy_by_option_or_config(workspace):
    workspace.run("check")
    app = _start(workspace, "--behind-https-proxy")
    try:
        assert "; secure" in _set_cookie(app.url).lower()
    finally:
        app.stop()
    workspace.config.write_text(workspace.config.read_text() + "\n[web]\nsecure_cookies = true\n")
    app = _start(workspace)
    try:
        assert "; secure" in _set_cookie(app.url).lower()
    finally:
        app.stop()
    workspace.config.write_text(workspace.config.read_text().replace("= true", '= "yes"'))
    proc = workspace.run("serve", "--port", "0", check_exit=2)
    assert proc.stderr.strip() == "editwatch: error: web.secure_cookies in the config must be true or false"


def test_a_read_only_token_reads_but_changes_nothing(workspace):
    workspace.run("add", "https://news.example/a")
    reader = workspace.run("web-token", "add", "dashboards", "--read-only").stdout
    assert reader.startswith("token 1 (dashboards, read-only): ew_")
    writer = workspace.run("web-token", "add", "scripts").stdout.split()[-1]
    listed = workspace.run("web-token", "list").stdout.splitlines()
    assert listed[0].startswith("1 dashboards read-only") and listed[1].startswith("2 scripts read-write")
    assert [t["read_only"] for t in json.loads(workspace.run("web-token", "list", "--json").stdout)] == [
        True,
        False,
    ]
    app = _start(workspace)
    try:
        client = Browser(app.url)
        read_only = {"Authorization": f"Bearer {reader.split()[-1]}"}
        assert client.request("/api/watches", headers=read_only)[0] == 200
        for path, method, body in (
            ("/api/watches", "POST", {"url": "https://news.example/b"}),
            ("/api/watches/1/pause", "POST", None),
            ("/api/watches/1/label", "POST", {"label": "desk"}),
            ("/api/watches/1", "DELETE", None),
            ("/api/alerts", "POST", {"url": "stdout"}),
        ):
            status, answer = client.request(path, body=body, method=method, headers=read_only)
            assert status == 403, path
            assert json.loads(answer) == {
                "error": "token 1 (dashboards) is read-only: it cannot change anything"
            }
        assert [(w["url"], w["state"], w["label"]) for w in _watches(workspace)] == [
            ("https://news.example/a", "active", None)
        ]
        status, _ = client.request(
            "/api/watches/1/pause", method="POST", headers={"Authorization": f"Bearer {writer}"}
        )
        assert status == 200 and _watches(workspace)[0]["state"] == "paused"
    finally:
        app.stop()


def test_a_pause_made_while_a_check_runs_survives_its_recording(workspace):
    workspace.run("add", "https://news.example/a")
    workspace.run("add", "https://news.example/b")
    store = Store(workspace.db)
    try:
        store.watches.pause(1)  # the pause lands while the checks of both watches are in flight
        for watch_id in (1, 2):
            store.checks.record(
                CheckResult(watch_id=watch_id, checked_at="2026-01-01T00:00:00+00:00", outcome="error",
                            error="timed out", watch_update={"state": "failing", "consecutive_failures": 1})
            )  # fmt: skip
        rows = store.conn.execute("SELECT id, state FROM watches ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(1, "paused"), (2, "failing")]
        # The monitor's own pass over a check stored by the crawler alone keeps the pause too.
        check_id = store.checks.record(
            CheckResult(
                watch_id=1, checked_at="2026-01-01T00:01:00+00:00", outcome="unchanged", processed=False
            )
        ).check_id
        assert store.checks.process(check_id, 1, [], {"state": "active", "consecutive_failures": 0})
        assert store.conn.execute("SELECT state FROM watches WHERE id = 1").fetchone()[0] == "paused"
    finally:
        store.close()


def test_with_tokens_only_the_login_page_says_no_password_is_set(workspace):
    workspace.run("check")
    workspace.run("web-token", "add", "scripts")
    app = _start(workspace, "--host", "127.0.0.2")
    try:
        browser = Browser(app.url)
        status, page = browser.request("/login")
        assert status == 200 and "No password is set, so a browser cannot log in" in page
        assert 'name="password"' not in page and "Wrong password" not in page
        status, page = browser.request("/watches", form={"url": "https://news.example/a"})
        assert status == 401 and '<a href="/login">Log in</a>' in page
    finally:
        app.stop()
