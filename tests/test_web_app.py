"""The web app over HTTP: CSRF, authentication off loopback, login limits, API tokens, input validation
with the CLI's errors, and the API documentation's own examples run against a real server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.viewer_server import start_viewer


class Browser:
    """A cookie-keeping HTTP client, as a browser without scripts would be."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, form: dict | None = None, body: dict | None = None, method: str | None = None,
                headers: dict | None = None) -> tuple[int, str]:  # fmt: skip
        data, extra = None, dict(headers or {})
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
        if body is not None:
            data, extra["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=extra)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self, path: str = "/watches/new") -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.request(path)[1]).group(1)


@pytest.fixture
def app(workspace):
    workspace.run("check")  # creates the database
    running = start_viewer(workspace.db, workspace.path / "app.log", config=workspace.config)
    yield running
    running.stop()


def _watches(workspace) -> list[dict]:
    return json.loads(workspace.run("list", "--json").stdout)


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(app, workspace):
    browser = Browser(app.url)
    token = browser.csrf()
    for form in (
        {"url": "https://news.example/a"},
        {"url": "https://news.example/a", "csrf_token": "forged"},
    ):
        status, page = browser.request("/watches", form=form)
        assert status == 403 and "CSRF token" in page
    # Another browser (another site's form posting here) has no session: its token is worth nothing.
    assert (
        Browser(app.url).request("/watches", form={"url": "https://news.example/a", "csrf_token": token})[0]
        == 403
    )
    assert browser.request("/api/watches", body={"url": "https://news.example/a"})[0] == 403
    assert _watches(workspace) == []
    status, _ = browser.request("/watches", form={"url": "https://news.example/a", "csrf_token": token})
    assert status == 200 and [w["url"] for w in _watches(workspace)] == ["https://news.example/a"]


def test_bad_input_gets_the_cli_one_line_error_and_stores_nothing(app, workspace):
    browser = Browser(app.url)
    token = browser.csrf()
    cases = [
        ({"url": "ftp://news.example/story"}, "only http and https"),
        ({"url": "news.example/story"}, "no scheme"),
        ({"url": "https://news.example/story", "every": "0s"}, "invalid duration"),
    ]
    for form, words in cases:
        status, page = browser.request("/watches", form={**form, "csrf_token": token})
        assert status == 400 and words in page, (form, page)
        cli = workspace.run(
            "add", form["url"], *(["--every", form["every"]] if "every" in form else []), check_exit=2
        )
        assert words in cli.stderr
        status, body = browser.request("/api/watches", body=form, headers={"X-CSRF-Token": token})
        assert status == 400 and words in json.loads(body)["error"] and "\n" not in json.loads(body)["error"]
    status, body = browser.request("/api/alerts", body={"url": "gopher://x"}, headers={"X-CSRF-Token": token})
    assert status == 400 and json.loads(body)["error"]
    assert _watches(workspace) == [] and json.loads(workspace.run("alerts", "list", "--json").stdout) == []


def test_pause_and_resume_go_through_the_same_functions_as_the_cli(app, workspace):
    workspace.run("add", "https://news.example/a")
    browser = Browser(app.url)
    token = browser.csrf()
    assert browser.request("/watch/1/pause", form={"csrf_token": token})[0] == 200
    assert _watches(workspace)[0]["state"] == "paused"
    assert workspace.run("resume", "1").stdout.strip() == "1 https://news.example/a: resumed: due now"
    assert _watches(workspace)[0]["state"] == "active"
    status, body = browser.request("/api/watches/1/resume", method="POST", headers={"X-CSRF-Token": token})
    assert status == 400 and json.loads(body) == {"error": "watch 1 is not paused (it is active)"}
    assert "watch 1 is not paused" in workspace.run("resume", "1", check_exit=2).stderr


def test_off_loopback_it_will_not_start_without_credentials_then_refuses_strangers(workspace, tmp_path):
    workspace.run("check")
    # 127.0.0.2 is this machine, but not a loopback *name*: the app treats it as a network address.
    proc = workspace.run("serve", "--host", "127.0.0.2", "--port", "0", check_exit=1)
    assert proc.stderr.startswith("editwatch: error: refusing to serve on 127.0.0.2 without a login")
    assert len(proc.stderr.strip().splitlines()) == 1
    subprocess.run([os.sys.executable, "-m", "monitor", "web-password", "--stdin"], input="correct horse battery\n",
                   env=workspace.env(), cwd=workspace.path, check=True, capture_output=True, text=True)  # fmt: skip
    token = workspace.run("web-token", "add", "scripts").stdout.split()[-1]
    app = _start(workspace, "--host", "127.0.0.2")
    try:
        stranger = Browser(app.url)
        status, page = stranger.request("/")
        assert status == 200 and 'action="/login"' in page  # sent to the login form
        for path in ("/dashboard", "/watch/1", "/api/watches", "/api/status", "/api/openapi.json"):
            assert stranger.request(path)[0] in (200, 401), path
            assert "Taliban" not in stranger.request(path)[1]
        status, body = stranger.request("/api/watches")
        assert status == 401 and "Bearer" in json.loads(body)["error"]
        assert stranger.request("/api/watches", headers={"Authorization": "Bearer ew_wrong"})[0] == 401
        assert stranger.request("/api/watches", headers={"Authorization": f"Bearer {token}"})[0] == 200
        # A script with a token writes without a CSRF token: no browser sends a bearer token by itself.
        status, body = stranger.request(
            "/api/watches",
            body={"url": "https://news.example/b"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert status == 201 and json.loads(body)["created"] is True
        # Logging in: the right password opens the app; wrong ones are limited per client.
        friend = Browser(app.url)
        status, page = friend.request(
            "/login",
            form={
                "password": "correct horse battery",
                "csrf_token": friend.csrf("/login"),
                "next": "/dashboard",
            },
        )
        assert status == 200 and "<h1>Dashboard</h1>" in page
        csrf = stranger.csrf("/login")
        for _ in range(5):
            assert stranger.request("/login", form={"password": "guess", "csrf_token": csrf})[0] == 401
        status, page = stranger.request(
            "/login", form={"password": "correct horse battery", "csrf_token": csrf}
        )
        assert status == 429 and "too many failed logins" in page
        assert friend.request("/api/watches")[0] == 200  # the session reads the API too
    finally:
        app.stop()


def test_the_session_cookie_is_httponly_and_samesite(app):
    request = urllib.request.Request(app.url + "watches/new")
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http on loopback: a Secure cookie would never come back


def test_the_api_documentation_examples_run_against_a_real_server(app, workspace):
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    script = re.search(r"<!-- api-examples -->\n```sh\n(.*?)```", text, re.S).group(1)
    script = script.replace("http://127.0.0.1:8080", app.url.rstrip("/"))
    env = workspace.env(PATH=f"{Path(os.sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script.replace("\\\n", "")], cwd=workspace.path,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    documents, decoder, rest = [], json.JSONDecoder(), proc.stdout.strip()
    while rest:  # curl prints each answer without a newline after it
        document, end = decoder.raw_decode(rest)
        documents.append(document)
        rest = rest[end:].strip()
    added, listed, paused, rule, tested, status, removed = documents
    assert added == {
        "id": 1,
        "url": "https://example.com/2026/story",
        "created": True,
        "changes": [],
        "message": "added",
    }
    assert listed[0]["label"] == "desk" and listed[0]["interval"] == 1800
    assert paused["state"] == "paused" and rule["id"] == 1 and tested["ok"] is True
    assert set(status) >= {"database", "daemon", "watches", "due", "failing"}
    assert removed["id"] == 1 and _watches(workspace) == []
    schema = json.loads(urllib.request.urlopen(app.url + "api/openapi.json", timeout=30).read())
    assert {"/api/watches", "/api/alerts", "/api/status", "/api/watches/{watch_id}/diff"} <= set(
        schema["paths"]
    )


def _start(workspace, *options: str):
    return start_viewer(workspace.db, workspace.path / "app.log", *options, config=workspace.config)


@pytest.fixture
def fresh_site():
    from monitor.demo.site import NewsSite
    from monitor.demo.stories import fresh_story

    with NewsSite([fresh_story(1), fresh_story(2)], seed=3) as site:
        yield site


def test_sources_are_added_checked_and_removed_from_the_browser(app, workspace, fresh_site):
    news_site = fresh_site
    browser = Browser(app.url)
    token = browser.csrf("/sources")
    status, page = browser.request(
        "/sources", form={"url": news_site.base_url + "/feed.xml", "include": "(", "csrf_token": token}
    )
    assert status == 400 and "invalid regular expression for --include" in page
    assert json.loads(workspace.run("sources", "list", "--json").stdout) == []
    status, page = browser.request(
        "/sources", form={"url": news_site.base_url + "/feed.xml", "csrf_token": token}
    )
    assert status == 200 and "1 " + news_site.base_url + "/feed.xml: added" in page
    status, page = browser.request("/sources/1/check", form={"csrf_token": token})
    assert status == 200 and f"1 {news_site.base_url}/feed.xml:" in page and "2 new watches" in page
    assert len(_watches(workspace)) == len(news_site.stories)
    status, body = browser.request("/api/sources", headers={"X-CSRF-Token": token})
    assert json.loads(body)[0]["kind"] == "rss" and json.loads(body)[0]["created"] == len(news_site.stories)
    status, body = browser.request("/api/sources/1", method="DELETE", headers={"X-CSRF-Token": token})
    assert status == 200 and json.loads(body)["message"].endswith("kept)")
    assert json.loads(workspace.run("sources", "list", "--json").stdout) == []


def test_importing_a_list_from_the_form_says_what_the_cli_says(app, workspace):
    browser = Browser(app.url)
    text = "# desk list\nhttps://news.example/a\n\nhttps://news.example/b\nftp://news.example/c\n"
    status, page = browser.request(
        "/watches/import", form={"text": text, "label": "desk", "csrf_token": browser.csrf()}
    )
    assert status == 200
    assert "imported 2 new watches (0 already watched, 1 invalid): list:5: unsupported URL scheme" in page
    assert [(w["url"], w["label"]) for w in _watches(workspace)] == [
        ("https://news.example/a", "desk"), ("https://news.example/b", "desk"),
    ]  # fmt: skip
    (workspace.path / "urls.txt").write_text(text)
    cli = workspace.run("import", "urls.txt", check_exit=1)
    assert cli.stdout.strip() == "imported 0 new watches (2 already watched, 1 invalid)"


def test_check_now_runs_the_cli_check_and_shows_its_line(app, workspace, news_site):
    slug = next(iter(news_site.stories))
    workspace.run("add", news_site.url(slug))
    browser = Browser(app.url)
    status, page = browser.request("/watch/1/check", form={"csrf_token": browser.csrf("/watch/1")})
    assert status == 200 and f"1 {news_site.url(slug)}: new version 1" in page
    status, body = browser.request(
        "/api/watches/1/check", method="POST", headers={"X-CSRF-Token": browser.csrf()}
    )
    assert status == 200 and json.loads(body) == {
        "id": 1,
        "ok": True,
        "output": f"1 {news_site.url(slug)}: unchanged",
    }
    assert (
        browser.request("/api/watches/9/check", method="POST", headers={"X-CSRF-Token": browser.csrf()})[0]
        == 404
    )
