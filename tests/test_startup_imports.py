"""Commands a user waits for import only what they use: not the crawler, the extractor or the viewer.

Their time is almost all Python start-up and imports, so each runs here as the real CLI in a
subprocess and reports the modules it imported when it exited.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Run `python -m monitor ARGS` and write, at exit, the modules it imported to the file named first.
PROBE = """\
import atexit, json, runpy, sys
out, sys.argv = sys.argv[1], ["editwatch", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("monitor", run_name="__main__", alter_sys=True)
"""

# Each costs tens of milliseconds or more to import, and none is needed to read the database.
HEAVY = [
    "apprise",
    "apscheduler",
    "cssselect",
    "dateutil",
    "htmldate",
    "jinja2",
    "lxml",
    "playwright",
    "scrapy",
    "scrapy_playwright",
    "sqlite_utils",
    "trafilatura",
    "twisted",
    "urllib.request",
    "w3lib",
    "crawler.extraction.extract",
    "monitor.daemon.runner",
    "monitor.web.templating",
]


def imported_modules(workspace, *args: str) -> set[str]:
    """The modules ``editwatch ARGS`` imported; the command must succeed."""
    listing = workspace.path / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *args],
        cwd=workspace.path,
        env=workspace.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), f"editwatch {' '.join(args)} printed nothing"
    return set(json.loads(listing.read_text()))


def heavy_among(modules: set[str]) -> list[str]:
    return [name for name in HEAVY if name in modules or any(m.startswith(name + ".") for m in modules)]


@pytest.mark.parametrize(
    "args",
    [
        ("history", "1"),
        ("history", "1", "--json"),
        ("diff", "1"),
        ("diff", "1", "--from", "1", "--to", "2", "--format", "json"),
        ("diff", "1", "--side-by-side"),
        ("show", "1"),
        ("list",),
        ("list", "--json"),
        ("status",),
        ("status", "--json"),
    ],
    ids=" ".join,
)
def test_reading_commands_import_nothing_heavy(history_workspace, args):
    modules = imported_modules(history_workspace, *args)
    assert heavy_among(modules) == []
    if "--json" in args or "json" in args:
        assert "rich" not in modules  # JSON for scripts is printed without Rich
    if args[0] != "diff":
        assert "deepdiff" not in modules  # only a diff whose metadata changed asks DeepDiff


def test_the_probe_sees_heavy_imports(history_workspace):
    # The same probe on a command that does need the extractor and the HTML export finds them.
    assert "lxml" in heavy_among(imported_modules(history_workspace, "extract", "--help"))
    html = imported_modules(history_workspace, "diff", "1", "--format", "html")
    assert {"jinja2", "monitor.web.templating"} <= set(heavy_among(html))


def test_a_check_imports_neither_the_daemon_nor_components_its_crawl_leaves_out(workspace, news_site):
    # `check` runs from cron: the daemon's scheduler, and the Scrapy components editwatch's crawls
    # never use (imported by Scrapy even when disabled), cost start-up time for nothing.
    workspace.run("add", news_site.url(next(iter(news_site.stories))))
    modules = imported_modules(workspace, "check")
    assert "scrapy" in modules  # the probe saw a real crawl
    assert [
        m for m in ("apscheduler", "monitor.daemon.runner", "aiohttp", "tldextract") if m in modules
    ] == []


def test_a_static_check_neither_imports_playwright_nor_starts_a_browser(workspace, news_site):
    # The crawler's download handler starts scrapy-playwright on the first rendered request only.
    workspace.run("add", news_site.url("russia-afghan-peace-conference"))
    modules = imported_modules(workspace, "check")
    assert "scrapy" in modules
    assert [m for m in modules if m.split(".")[0] in ("playwright", "scrapy_playwright")] == []
