"""The web app in real headless Chromium, as a new user would use it: add a watch from the form, see
its first version once it is checked and its edit on the dashboard, add an alert rule to a real
webhook receiver and press "Test", and remove the watch after confirming."""

from __future__ import annotations

import json

import pytest

from tests.daemon_process import wait_for
from tests.test_browser import browser  # noqa: F401  (the module's Chromium, shared)
from tests.viewer_server import start_viewer


@pytest.fixture
def app(workspace):
    workspace.run("check")  # creates the database: `serve` needs one
    running = start_viewer(workspace.db, workspace.path / "app.log", config=workspace.config)
    yield running
    running.stop()


def _versions(workspace) -> int:
    rows = json.loads(workspace.run("list", "--json").stdout)
    return rows[0]["versions"] if rows else 0


def _flash(browser) -> str:  # noqa: F811
    return browser.find_element("css selector", "main .flash").text


def _navigate_by_clicking(browser, element) -> None:  # noqa: F811
    """Click, and wait until the page it leads to has replaced this one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element("tag name", "html")
    element.click()

    def replaced(_) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            # Asked mid-navigation, chromedriver may say the old node has left its document
            # instead of calling it stale: the page was replaced all the same.
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(browser, 30).until(replaced)


def _submit(browser, form: str, **fields: str) -> None:  # noqa: F811
    for name, value in fields.items():
        box = browser.find_element("css selector", f"{form} [name={name}]")
        box.clear()
        box.send_keys(value)
    _navigate_by_clicking(browser, browser.find_element("css selector", f"{form} button[type=submit]"))


def test_add_a_watch_from_the_form_then_see_its_versions_and_its_edit_on_the_dashboard(
    browser,  # noqa: F811
    app,
    workspace,
    news_site,
    start_daemon,
):
    slug = next(iter(news_site.stories))
    browser.get(app.url + "watches/new")
    _submit(browser, "#add-watch", url=news_site.url(slug), label="desk", every="2s")
    assert _flash(browser).endswith(": added")
    assert browser.current_url == app.url + "watch/1"
    assert "No versions yet" in browser.find_element("css selector", "main").text
    start_daemon()  # `editwatch run`: checks the new watch, then every 2 seconds
    wait_for("the first version", lambda: _versions(workspace) >= 1, timeout=60, every=0.5)
    browser.refresh()
    headline = news_site.stories[slug].headline
    assert browser.find_element("css selector", "main h1").text == headline
    news_site.edit(slug, "edit_paragraph", index=2, text="The council later withdrew the statement.")
    wait_for("the edit", lambda: _versions(workspace) >= 2, timeout=60, every=0.5)
    browser.get(app.url + "dashboard")
    assert browser.find_element("css selector", "#daemon").text.count("Running") == 1
    browser.get(app.url + "dashboard")
    edits = browser.find_elements("css selector", "#latest-edits li")
    assert len(edits) == 1 and edits[0].find_element("css selector", "a.headline").text == headline
    assert "desk" in edits[0].text
    shown = [tag.text for tag in edits[0].find_elements("css selector", ".tag")]
    assert shown and "byline" not in shown
    # Filtering by its label and category keeps it; by a category it does not have, it goes.
    browser.get(app.url + f"dashboard?label=desk&category={shown[0]}")
    assert len(browser.find_elements("css selector", "#latest-edits li")) == 1
    browser.get(app.url + "dashboard?label=other")
    assert browser.find_elements("css selector", "#latest-edits li") == []
    browser.get(app.url + "dashboard?category=byline")
    assert browser.find_elements("css selector", "#latest-edits li") == []
    # The edit links to its diff, where the new words are marked.
    browser.get(app.url + "dashboard")
    _navigate_by_clicking(browser, browser.find_element("css selector", "#latest-edits .latest a"))
    assert "withdrew" in " ".join(e.text for e in browser.find_elements("css selector", "section.body ins"))


def test_add_an_alert_rule_and_press_test(browser, app, receiver):  # noqa: F811
    browser.get(app.url + "alerts")
    _submit(browser, "#add-alert", url=receiver.url, events="edit,removed")
    assert _flash(browser).startswith("alert rule 1: webhook")
    row = browser.find_element("css selector", "#alert-rules tr[data-rule='1']")
    assert "edit, removed" in row.text
    _navigate_by_clicking(browser, row.find_element("css selector", "button[name=test]"))
    assert _flash(browser) == f"alert rule 1: test sent to webhook {receiver.url}"
    assert [r.body["event"] for r in receiver.received] == ["test"]
    # A channel that refuses: the failure is shown, as the CLI says it.
    receiver.status = 503
    _navigate_by_clicking(
        browser, browser.find_element("css selector", "#alert-rules tr[data-rule='1'] button[name=test]")
    )
    assert _flash(browser).startswith("alert rule 1: test failed:")
    assert "error" in browser.find_element("css selector", "main .flash").get_attribute("class")


def test_remove_a_watch_only_after_confirming(browser, app, workspace):  # noqa: F811
    workspace.run("add", "http://127.0.0.1:9/story", "--label", "gone-soon")
    browser.get(app.url + "watch/1")
    _navigate_by_clicking(browser, browser.find_element("link text", "Remove…"))
    assert browser.current_url == app.url + "watch/1/remove"
    browser.find_element("css selector", "#remove-watch button[type=submit]").click()
    # Unticked, the browser does not send the form: the watch is still there.
    assert browser.current_url == app.url + "watch/1/remove"
    assert "127.0.0.1:9/story" in workspace.run("list").stdout
    browser.find_element("css selector", "#remove-watch [name=confirm]").click()
    _navigate_by_clicking(browser, browser.find_element("css selector", "#remove-watch button[type=submit]"))
    assert _flash(browser) == "1 http://127.0.0.1:9/story: removed (0 versions deleted)"
    assert "no watches yet" in workspace.run("list").stdout
