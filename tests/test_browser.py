"""The viewer in real headless Chromium (Debian's chromium and chromium-driver; nothing downloaded).

Skipped, with the reason, only when the browser or its driver is not installed
(``scripts/system-deps`` installs them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.edited_story import REMOVED_PARAGRAPH

CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
)  # fmt: skip
ARTIFACTS = ROOT / "tests" / "artifacts"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    binary = _chromium()
    if binary is None or not Path(CHROMEDRIVER).exists():
        pytest.skip("chromium and chromium-driver are not installed (run scripts/system-deps)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1200,1000")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_index_lists_the_watched_articles(browser, viewer):
    browser.get(viewer.url)
    assert browser.title == "Watched articles · editwatch"
    headlines = [a.text for a in browser.find_elements("css selector", "ol.articles a.headline")]
    assert len(headlines) == 2
    assert headlines[0].startswith("Taliban resist ceasefire call")
    assert (
        "published date changed; 1 paragraph added"
        in browser.find_element("css selector", "ol.articles").text
    )


def test_diff_page_shows_insertions_and_deletions_marked(browser, viewer):
    browser.get(viewer.url + "watch/1/diff?from=1&to=3")
    inserted = [e.text for e in browser.find_elements("css selector", "section.body ins")]
    deleted = [e.text for e in browser.find_elements("css selector", "section.body del")]
    assert "hopes" in inserted and "wants" in deleted
    assert REMOVED_PARAGRAPH in deleted
    # Marks are styled: insertions and deletions do not look like the text around them.
    ins = browser.find_element("css selector", "section.body ins")
    deleted_mark = browser.find_element("css selector", "section.body del")
    assert ins.value_of_css_property("background-color") != deleted_mark.value_of_css_property(
        "background-color"
    )
    assert "line-through" in deleted_mark.value_of_css_property("text-decoration")
    browser.get(viewer.url + "watch/1/diff?from=1&to=3&view=side")
    pairs = browser.find_elements("css selector", ".pair.edit")
    assert pairs and pairs[0].find_element("css selector", ".old del").text == "wants"
    assert pairs[0].find_element("css selector", ".new ins").text == "hopes"


def test_injected_script_in_article_text_does_not_run(browser, viewer, history_workspace):
    pages = [viewer.url + "watch/1/diff?from=1&to=2", viewer.url + "watch/1/version/2"]
    # The same page opened from a file has no Content-Security-Policy: escaping alone must hold.
    unprotected = history_workspace.path / "viewer-page.html"
    unprotected.write_text(viewer.get("/watch/1/diff?from=1&to=2")[2])
    export = history_workspace.path / "export.html"
    history_workspace.run("diff", "1", "--from", "1", "--to", "2", "--format", "html", "-o", str(export))
    for url in [*pages, unprotected.as_uri(), export.as_uri()]:
        browser.get(url)
        assert browser.title != "pwned", url
        assert browser.execute_script("return window.__pwned === undefined") is True, url
        body = browser.find_element("css selector", "body").text
        assert '<script>document.title="pwned";window.__pwned=1</script>' in body, url
        assert '"><img src=x onerror="window.__pwned=2">' in body, url
        assert browser.find_elements("css selector", "main img, main script") == [], url
        hrefs = [a.get_attribute("href") or "" for a in browser.find_elements("css selector", "a")]
        assert not any(h.startswith("javascript:") for h in hrefs), url


def test_a_screenshot_of_the_diff_page_is_saved(browser, viewer):
    ARTIFACTS.mkdir(exist_ok=True)
    browser.get(viewer.url + "watch/1/diff?from=3&to=4&view=side")
    assert browser.save_screenshot(str(ARTIFACTS / "diff-side-by-side.png"))
    browser.set_window_size(400, 900)  # a phone
    browser.get(viewer.url + "watch/1")
    assert browser.save_screenshot(str(ARTIFACTS / "timeline-phone.png"))
    # Readable on a phone: nothing wider than the screen.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    browser.set_window_size(1200, 1000)
    for name in ("diff-side-by-side.png", "timeline-phone.png"):
        assert (ARTIFACTS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
