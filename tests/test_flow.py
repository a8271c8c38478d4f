"""The flow of the design: the crawler stores snapshots, the monitor makes them changes and alerts.

The crawler (``crawler/``) runs without the monitor: ``scrapy crawl article`` from a copy
of the project that has no ``monitor/`` stores the check and the version. The monitor
catches up on what a crawler stored alone when ``editwatch check`` or the daemon starts,
once: the change and its alert appear exactly once however often it starts.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from monitor.demo.site import NewsSite
from tests.conftest import ROOT, Workspace
from tests.daemon_process import wait_for
from tests.test_end_to_end import SLUG

# Makes `import monitor` fail in the crawler's process, whatever the installed package offers.
_NO_MONITOR = """
import sys
from importlib.abc import MetaPathFinder

class NoMonitor(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "monitor" or name.startswith("monitor."):
            raise ImportError(f"{name}: the crawler must run without the monitor")

sys.meta_path.insert(0, NoMonitor())
sys.path = [p for p in sys.path if p not in ("", ".")] + ["."]
from scrapy.cmdline import execute
execute(["scrapy", *sys.argv[1:]])
"""


_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?::\w+)?")


def _imports(path: Path) -> list[str]:
    """Every module a source file imports, and every dotted string it names (settings' paths)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _DOTTED.fullmatch(node.value):
            # A dotted path given as a string (settings, load_object), not prose in a docstring.
            names.append(node.value)
    return names


def _reaches(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}: {name}")
    return found


def test_the_crawler_never_reaches_the_monitor_and_storage_neither():
    assert _reaches("crawler", ("monitor",)) == []
    assert _reaches("storage", ("monitor", "crawler")) == []
    # The test sees what it must: a dotted path in settings counts as an import.
    assert (
        _imports(ROOT / "crawler" / "settings.py").count("crawler.pipelines.snapshot.StoreSnapshotPipeline")
        == 1
    )


def _crawl_alone(tmp_path: Path, db: Path, url: str) -> subprocess.CompletedProcess:
    project = tmp_path / "crawler-only"
    for package in ("crawler", "storage"):
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "scrapy.cfg", project / "scrapy.cfg")
    (project / "editwatch.toml").write_text("[fetch]\ndelay_seconds = 0\nretries = 0\n")
    assert not (project / "monitor").exists()
    return subprocess.run(
        [sys.executable, "-c", _NO_MONITOR, "crawl", "article", "-a", f"url={url}"],
        cwd=project,
        env={"EDITWATCH_DB": str(db), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_scrapy_crawl_stores_the_snapshot_without_the_monitor_and_the_monitor_catches_up_once(
    tmp_path: Path, workspace: Workspace, news_site: NewsSite
):
    url = news_site.url(SLUG)
    workspace.run("add", url)
    workspace.run("check")
    workspace.run("alerts", "add", "stdout")
    added = news_site.edit(SLUG, "insert_paragraph", index=2)

    crawl = _crawl_alone(tmp_path, workspace.db, url)
    assert crawl.returncode == 0, crawl.stderr
    assert "No module named" not in crawl.stderr and "must run without the monitor" not in crawl.stderr
    with workspace.store() as store:
        assert store.versions.count(1) == 2  # the crawler stored the new version...
        assert store.changes.for_watch(1) == []  # ...and left the change to the monitor
        pending = store.checks.pending()
        assert [(c["outcome"], c["processed"]) for c in pending] == [("new_version", 0)]

    # The next `check` draws the change first, then checks as usual (nothing new: unchanged).
    out = workspace.run("check").stdout
    assert "unchanged" in out
    with workspace.store() as store:
        edits = [c for c in store.changes.for_watch(1) if c.event == "edit"]
        assert len(edits) == 1 and edits[0].to_version == 2, edits
        assert ("body", "insert") in [(d["field"], d["kind"]) for d in edits[0].diff], added
        assert store.checks.pending() == []
        assert store.watches.get(1).next_check_at is not None
        queued = store.conn.execute("SELECT COUNT(*) FROM alert_outbox").fetchone()[0]
    assert queued == 1

    workspace.run("check")  # starting again repeats nothing
    with workspace.store() as store:
        assert len([c for c in store.changes.for_watch(1) if c.event == "edit"]) == 1
        assert store.conn.execute("SELECT COUNT(*) FROM alert_outbox").fetchone()[0] == 1


def test_the_daemon_makes_a_change_of_what_a_crawler_stored_alone_once_across_restarts(
    tmp_path: Path, workspace: Workspace, news_site: NewsSite, start_daemon
):
    url = news_site.url(SLUG)
    workspace.run("add", url)
    workspace.run("check")
    workspace.run("alerts", "add", "stdout", "--on", "edit")
    news_site.edit(SLUG, "headline")
    assert _crawl_alone(tmp_path, workspace.db, url).returncode == 0

    def edits() -> list:
        with workspace.store() as store:
            return [c for c in store.changes.for_watch(1) if c.event == "edit"]

    for _ in range(2):  # a second start-up finds nothing left to do
        daemon = start_daemon()
        found = wait_for("the stored version's change", edits)
        assert daemon.stop() == 0
        assert [(c.to_version, c.fields[0]) for c in found] == [(2, "headline")]
        with workspace.store() as store:
            assert store.checks.pending() == []
            assert store.conn.execute("SELECT COUNT(*) FROM alert_outbox").fetchone()[0] == 1
