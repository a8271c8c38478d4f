"""Forms refused for bad input come back as typed, with the CLI's line; the API says what is wrong
with its input in words; the dashboard's filters refuse what they cannot mean and say when nothing matches."""

from __future__ import annotations

import html
import json
import re

from tests.test_web_app import Browser, _watches, app  # noqa: F401  (the fixture)


def _value(page: str, form: str, name: str) -> str:
    block = re.search(rf'<form[^>]*id="{form}".*?</form>', page, re.S).group(0)
    if name == "text":
        return html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", block, re.S).group(1))
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', block).group(1))


def _flash(page: str) -> str:
    return html.unescape(re.search(r'<p class="flash error"[^>]*>(.*?)</p>', page, re.S).group(1))


def test_a_refused_form_comes_back_as_typed_with_the_cli_error(app, workspace):  # noqa: F811
    browser = Browser(app.url)
    token = browser.csrf()
    status, page = browser.request(
        "/watches",
        form={
            "url": "https://news.example/a",
            "label": 'desk "<b>"',
            "every": "5 parsecs",
            "csrf_token": token,
        },
    )
    assert status == 400 and _flash(page).startswith("--every: invalid duration '5 parsecs'")
    assert [_value(page, "add-watch", n) for n in ("url", "label", "every")] == [
        "https://news.example/a", 'desk "<b>"', "5 parsecs",
    ]  # fmt: skip
    assert _value(page, "import-watches", "label") == ""  # only the form that was sent is refilled
    status, page = browser.request(
        "/watches/import", form={"text": "https://a.example/1\n", "every": "soon", "csrf_token": token}
    )
    assert status == 400 and _value(page, "import-watches", "text") == "https://a.example/1\n"
    status, page = browser.request(
        "/alerts",
        form={"url": "stdout", "events": "edit bogus", "watch": "", "min_words": "3", "csrf_token": token},
    )
    assert status == 400 and _flash(page).startswith("unknown event 'bogus'")
    assert (
        _value(page, "add-alert", "events") == "edit bogus" and _value(page, "add-alert", "min_words") == "3"
    )
    status, page = browser.request("/alerts", form={"url": "stdout", "watch": "99", "csrf_token": token})
    assert (
        status == 404 and _flash(page) == "no watch with ID 99" and _value(page, "add-alert", "watch") == "99"
    )
    status, page = browser.request(
        "/sources", form={"url": "https://news.example/feed", "include": "([", "csrf_token": token}
    )
    assert status == 400 and _flash(page).startswith("invalid regular expression for --include '(['")
    assert _value(page, "add-source", "include") == "(["
    assert _watches(workspace) == [] and json.loads(workspace.run("alerts", "list", "--json").stdout) == []
    # The pages asked for afresh are empty again.
    assert _value(browser.request("/watches/new")[1], "add-watch", "url") == ""


def test_the_api_says_what_is_wrong_with_its_input_in_words(app):  # noqa: F811
    browser = Browser(app.url)
    token = {"X-CSRF-Token": browser.csrf()}
    for path, body, method, error in (
        ("/api/watches", {"url": 5}, "POST", "url must be a string"),
        ("/api/watches", {}, "POST", "url is required"),
        ("/api/watches", None, "POST", "the request body is required"),
        ("/api/watches/abc", None, "DELETE", "watch_id must be a whole number"),
        ("/api/alerts", {"url": "stdout", "events": "edit"}, "POST", 'events must be a list, e.g. ["edit"]'),
        ("/api/search", None, "GET", "q is required"),
    ):
        status, answer = browser.request(path, body=body, method=method, headers=token)
        assert (status, json.loads(answer)) == (400, {"error": error}), path


def test_the_dashboard_refuses_an_unknown_category_and_says_when_filters_match_nothing(app, workspace):  # noqa: F811
    browser = Browser(app.url)
    status, body = browser.request("/api/changes?category=bogus")
    assert status == 400 and json.loads(body)["error"].startswith(
        "unknown category 'bogus'; choose from rewrite,"
    )
    status, page = browser.request("/dashboard")
    assert status == 200 and 'href="/watches/new">Add a watch</a> to begin' in page
    workspace.run("add", "https://news.example/a", "--label", "desk")
    page = browser.request("/dashboard?site=news.example&label=desk&category=split")[1]
    assert "No edits on news.example labelled desk with a split change among the latest." in page
    assert '<a href="/dashboard">Show every edit</a>' in page and '<option value="split" selected>' in page


def test_the_dashboard_counts_recent_errors_and_alert_rules_link_their_watch(app, workspace):  # noqa: F811
    from storage import Store
    from storage.checks import CheckResult

    workspace.run("add", "https://news.example/a")
    workspace.run("alerts", "add", "stdout", "--watch", "1")
    store = Store(workspace.db)
    try:
        for minute in (1, 2):
            store.checks.record(
                CheckResult(
                    watch_id=1,
                    checked_at=f"2026-01-01T00:0{minute}:00+00:00",
                    outcome="error",
                    error="timed out",
                )
            )
    finally:
        store.close()
    browser = Browser(app.url)
    assert "<summary>Recent errors: 2</summary>" in browser.request("/dashboard")[1]
    assert '<a href="/watch/1">watch 1</a>' in browser.request("/alerts")[1]
