"""Backfill from a real pywb archive on 127.0.0.1, and WARC export replayed in pywb.

The archive holds captures of a demo story whose chrome changes on every request:
re-renderings of the same article, edits, an archived 404 and a soft error page
served with status 200. The same states were also checked live, in order, by a
reference workspace: backfill must find exactly the versions and changes the live
checks found, dated with the capture times.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor.demo.site import NewsSite
from storage import NewVersion, Store
from tests.conftest import TEST_CONFIG, Workspace
from tests.viewer_server import start_viewer
from tests.web_archive import Snapshot, Wayback, free_port, write_warc

SLUG = "russia-afghan-peace-conference"


@dataclass
class ArchivedStory:
    site: NewsSite
    url: str
    wayback: Wayback
    cdx: str
    snapshots: list[Snapshot]
    reference: Path  # database of the live checks of the same states


def _page(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("archive")
    reference = Workspace(path=root, db=root / "reference.db", config=root / "editwatch.toml")
    reference.config.write_text(TEST_CONFIG)
    site = NewsSite(seed=5)
    site.start()
    url = site.url(SLUG)
    reference.run("add", url)
    snapshots: list[Snapshot] = []

    def capture(at: str, *, check: str | None = "version") -> bytes:
        status, body = _page(url)
        snapshots.append(Snapshot(url, datetime.fromisoformat(at).replace(tzinfo=UTC), body, status))
        if check is not None:
            out = reference.run("check", url).stdout
            assert check in out, out
        return body

    capture("2024-03-01T08:00:00")  # version 1
    capture("2024-03-01T09:00:00", check="unchanged")  # the same article, other chrome
    site.edit(SLUG, "headline")
    site.edit(SLUG, "edit_paragraph", index=2)
    capture("2024-03-01T12:00:00")  # version 2
    site.set_status(SLUG, 404)
    capture("2024-03-01T13:00:00", check=None)  # an archived 404
    site.set_status(SLUG, 200)
    site.serve_instead(SLUG, "error")
    capture("2024-03-01T14:00:00", check="error")  # an error page served as 200
    site.serve_instead(SLUG, None)
    site.edit(SLUG, "insert_paragraph", index=4)
    body = capture("2024-03-02T08:00:00")  # version 3
    snapshots.append(Snapshot(url, datetime(2024, 3, 2, 9, tzinfo=UTC), body))  # the very same bytes

    versions, changes = _history(reference.db)
    assert len(versions) == 3 and [c["event"] for c in changes] == ["edit", "edit"]

    wayback = Wayback(root)
    wayback.add_collection("news", write_warc(root / "story.warc.gz", snapshots))
    wayback.start()
    yield ArchivedStory(site, url, wayback, wayback.cdx("news"), snapshots, reference.db)
    wayback.stop()
    site.stop()


def _history(db: Path) -> tuple[list[dict], list[dict]]:
    with Store(db) as store:
        watch = store.watches.all()[0]
        versions = [
            {"number": v.number, "hash": v.content_hash, "headline": v.headline, "body": v.body,
             "fetched_at": v.fetched_at, "source": v.source, "archive_url": v.archive_url}
            for v in store.versions.all(watch.id)
        ]  # fmt: skip
        changes = [
            {"event": c.event, "from": c.from_version, "to": c.to_version, "summary": c.summary,
             "fields": c.fields, "diff": c.diff}
            for c in store.changes.for_watch(watch.id)
        ]  # fmt: skip
    return versions, changes


def _stored_state(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("versions", "changes", "pages", "watches")
        ]


def test_backfill_reproduces_the_history_the_live_checks_found(archived: ArchivedStory, workspace: Workspace):
    workspace.run("add", archived.url)
    out = workspace.run("backfill", "1", "--archive", archived.cdx).stdout
    versions, changes = _history(workspace.db)
    expected_versions, expected_changes = _history(archived.reference)

    assert [v["hash"] for v in versions] == [v["hash"] for v in expected_versions]
    assert [(v["headline"], v["body"]) for v in versions] == [
        (v["headline"], v["body"]) for v in expected_versions
    ]
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert [v["fetched_at"][:19] for v in versions] == [
        "2024-03-01T08:00:00",
        "2024-03-01T12:00:00",
        "2024-03-02T08:00:00",
    ]
    assert {v["source"] for v in versions} == {"archive"}
    assert all("id_/" in v["archive_url"] for v in versions)
    assert changes == expected_changes
    # Every capture is accounted for: the chrome-only one collapsed, both error pages skipped.
    assert "2024-03-01 09:00:00 same article as" in out
    assert "2024-03-01 13:00:00 skipped: archived as HTTP 404" in out
    assert "2024-03-01 14:00:00 skipped:" in out
    assert "2024-03-02 09:00:00 same page as" in out
    assert out.strip().endswith("3 versions from 7 captures")

    # Nothing earlier is left: a second run adds nothing and changes nothing.
    before = _stored_state(workspace.db)
    again = workspace.run("backfill", "1", "--archive", archived.cdx, "--json").stdout
    assert json.loads(again)["added"] == 0
    assert _stored_state(workspace.db) == before


def test_backfilled_versions_come_before_the_live_ones(archived: ArchivedStory, workspace: Workspace):
    workspace.run("add", archived.url)
    assert "new version 1" in workspace.run("check").stdout  # the story as it is now: the last capture's
    out = workspace.run("backfill", archived.url, "--archive", archived.cdx).stdout
    assert "2024-03-02 08:00:00 same article as the stored version" in out

    versions, changes = _history(workspace.db)
    expected_versions, expected_changes = _history(archived.reference)
    assert [v["hash"] for v in versions] == [v["hash"] for v in expected_versions]
    assert [v["source"] for v in versions] == ["archive", "archive", "live"]
    assert [(c["from"], c["to"], c["summary"]) for c in changes] == [
        (c["from"], c["to"], c["summary"]) for c in expected_changes
    ]
    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [e["version"] for e in history if e["event"] == "version"] == [1, 2, 3]
    assert history[-1]["summary"] == expected_changes[-1]["summary"]
    diff = json.loads(workspace.run("diff", "1", "--from", "2", "--to", "3", "--format", "json").stdout)
    assert (diff["from"], diff["to"]) == (2, 3)
    assert diff["summary"] == expected_changes[-1]["summary"]
    text = workspace.run("history", "1").stdout
    assert text.count("(web archive)") == 2

    viewer = start_viewer(workspace.db, workspace.path / "viewer.log")
    try:
        status, _, page = viewer.get("/watch/1")
        assert status == 200 and page.count("web archive</span>") == 2
        status, _, page = viewer.get("/watch/1/version/2")
        assert status == 200 and f'Captured by a <a href="{versions[1]["archive_url"]}">web archive' in page
    finally:
        viewer.stop()


def test_backfill_limit_takes_the_captures_nearest_the_stored_history(
    archived: ArchivedStory, workspace: Workspace
):
    # Not watched yet: the URL is added with the history found.
    out = workspace.run("backfill", archived.url, "--archive", archived.cdx, "--limit", "1").stdout
    assert "(4 earlier captures beyond --limit left out; now watched)" in out
    versions, _ = _history(workspace.db)
    assert [v["fetched_at"][:19] for v in versions] == ["2024-03-02T08:00:00"]
    # The next run goes further back, before what is now stored.
    workspace.run("backfill", "1", "--archive", archived.cdx, "--limit", "2")
    versions, changes = _history(workspace.db)
    expected_versions, expected_changes = _history(archived.reference)
    assert [v["fetched_at"][:19] for v in versions] == ["2024-03-01T12:00:00", "2024-03-02T08:00:00"]
    assert [v["hash"] for v in versions] == [v["hash"] for v in expected_versions[1:]]
    assert [c["summary"] for c in changes] == [expected_changes[-1]["summary"]]


def test_captures_over_the_size_cap_are_skipped_like_live_pages(
    archived: ArchivedStory, workspace: Workspace
):
    workspace.config.write_text(TEST_CONFIG + "max_page_bytes = 20000\n")
    workspace.run("add", archived.url)
    out = workspace.run("backfill", "1", "--archive", archived.cdx).stdout
    assert out.count("skipped: page too large") == 5  # all but the 404 and the repeated bytes
    assert out.strip().endswith("0 versions from 7 captures")
    assert _history(workspace.db) == ([], [])


def test_exported_warc_replays_every_version_in_pywb(
    archived: ArchivedStory, workspace: Workspace, tmp_path: Path
):
    workspace.run("add", archived.url)
    workspace.run("check")  # a live version after the archived ones
    workspace.run("backfill", "1", "--archive", archived.cdx)
    exported = tmp_path / "export.warc.gz"
    workspace.run("export", "--format", "warc", "1", "-o", str(exported))

    with Store(workspace.db) as store:
        pages = [(v, store.versions.raw_page(v)) for v in store.versions.all(1)]
    assert [v.source for v, _ in pages] == ["archive", "archive", "live"]
    metadata = {}
    with exported.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "metadata":
                fields = dict(
                    line.split(": ", 1) for line in record.content_stream().read().decode().splitlines()
                )
                metadata[int(fields["editwatch-version"])] = fields
    assert sorted(metadata) == [1, 2, 3]
    assert metadata[3]["source"] == "live" and metadata[1]["source"] == "archive"
    assert metadata[3]["content-hash"] == pages[2][0].content_hash
    assert metadata[1]["archive-url"] == pages[0][0].archive_url
    assert metadata[2]["change"] == _history(archived.reference)[1][0]["summary"]

    replay = Wayback(tmp_path / "replay")
    (tmp_path / "replay").mkdir()
    replay.add_collection("exported", exported)
    replay.start()
    try:
        for version, raw in pages:
            timestamp = datetime.fromisoformat(version.fetched_at).strftime("%Y%m%d%H%M%S")
            status, body = replay.raw("exported", timestamp, version.url)
            assert (status, body) == (200, raw), f"version {version.number}"
    finally:
        replay.stop()


class _FaultyArchive(BaseHTTPRequestHandler):
    """An archive that is slow, sends garbage, or fails after its capture list (``server.mode``)."""

    def do_GET(self) -> None:
        mode, upstream = self.server.mode, self.server.upstream
        self.server.requests += 1
        if mode == "slow":
            threading.Event().wait(30)
            return
        if mode == "garbage":
            self._send(200, bytes(range(256)) * 20, "application/json")
            return
        # "midway": a true archive until the first capture has been replayed, then a dead one.
        is_capture = "id_/" in self.path
        if is_capture:
            self.server.captures += 1
        if is_capture and self.server.captures > 1:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 90000\r\n\r\n<html>")
            self.close_connection = True
            return
        try:
            with urllib.request.urlopen(upstream + self.path, timeout=10) as response:
                status, body, headers = response.status, response.read(), response.headers.items()
        except urllib.error.HTTPError as exc:
            status, body, headers = exc.code, exc.read(), exc.headers.items()
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("fault", ["down", "slow", "garbage", "midway"])
def test_a_failing_archive_gives_one_line_and_changes_nothing(
    archived: ArchivedStory, workspace: Workspace, fault: str
):
    workspace.config.write_text(TEST_CONFIG.replace("timeout_seconds = 5", "timeout_seconds = 2"))
    workspace.run("add", archived.url)
    workspace.run("check")
    server = None
    if fault == "down":
        cdx = f"http://127.0.0.1:{free_port()}/news/cdx"
    else:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _FaultyArchive)
        server.daemon_threads = True
        server.mode, server.upstream = fault, f"http://127.0.0.1:{archived.wayback.port}"
        server.requests = server.captures = 0
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cdx = f"http://127.0.0.1:{server.server_address[1]}/news/cdx"
    before = _stored_state(workspace.db)
    try:
        proc = workspace.run("backfill", "1", "--archive", cdx, check_exit=1, timeout=120)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("editwatch: error: backfill of") and "nothing was stored" in lines[0]
    assert "Traceback" not in proc.stderr
    assert _stored_state(workspace.db) == before
    if fault == "midway":
        assert server.captures >= 2  # it failed after a capture had come through
    if fault == "down":  # nor is a URL that was not watched added
        workspace.run("backfill", "https://news.example/unwatched", "--archive", cdx, check_exit=1)
        assert _stored_state(workspace.db) == before


def test_backfill_rejects_bad_dates_and_archives(workspace: Workspace):
    workspace.run("add", "http://127.0.0.1:9/story")
    for args in (["--from", "2024-13-01"], ["--to", "yesterday"], ["--archive", "ftp://x/cdx"]):
        proc = workspace.run("backfill", "1", *args, check_exit=2)
        assert proc.stderr.startswith("editwatch: error:") and len(proc.stderr.strip().splitlines()) == 1
    proc = workspace.run("backfill", "1", "--archive", "http://127.0.0.1:9/", check_exit=2)
    assert "--replay" in proc.stderr


def test_catching_up_with_archived_versions_alerts_nobody(archived: ArchivedStory, workspace: Workspace):
    workspace.run("alerts", "add", "json://127.0.0.1:9/hook")
    workspace.run("add", archived.url)
    collection = archived.cdx.removesuffix("/cdx")  # the collection's own address names its CDX API too
    out = workspace.run("backfill", "1", "--archive", collection, "--to", "2024-03-01").stdout
    assert out.strip().endswith("2 versions from 5 captures")  # --to: up to the end of that day
    # The story as it is now differs from the last archived capture: recorded as an edit, not alerted.
    assert "new version 3" in workspace.run("check").stdout
    with Store(workspace.db) as store:
        assert [c.event for c in store.changes.for_watch(1)] == ["edit", "edit"]
        assert store.alerts.queued() == []


def test_a_page_far_from_an_old_archived_version_is_still_a_version(
    workspace: Workspace, news_site: NewsSite
):
    """Months between a capture and the first live check: a rewritten story is not taken for another page."""
    url = news_site.url(SLUG)
    other = [
        f"Paragraph {n} of a story the page no longer tells, about harbour dredging and tides." * 2
        for n in range(8)
    ]
    with Store(workspace.db) as store:
        watch, _ = store.watches.add(url)
        with store.transaction() as conn:
            store.versions.insert(conn, watch.id, NewVersion(
                fetched_at="2023-01-01T00:00:00.000000+00:00", url=url, content_hash="old",
                headline="Harbour dredging begins", byline=[], published=None, modified=None,
                body=other, extractor="test", source="archive",
            ))  # fmt: skip
    out = workspace.run("check").stdout
    assert "new version 2" in out, out


PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget for the coming fiscal year, after months"
    " of debate among its members about spending on schools and roads.",
    "Supporters said the plan would repair bridges that engineers have described as unsafe, while critics"
    " argued that it relies on optimistic revenue forecasts.",
    "The mayor, who proposed the budget in March, called the vote a turning point for the city and"
    " promised regular reports on how the money is spent.",
    "Residents who attended the meeting were divided, with some applauding the decision and others warning"
    " that property taxes would rise again next year.",
    "The budget takes effect on July 1 and will be reviewed by the council in the autumn, when officials"
    " expect updated figures on tax receipts.",
]


def _budget_page(readers: int, paragraphs: list[str]) -> bytes:
    """A story with a reader counter inside the article itself: chrome only its changes give away."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council approves budget</title></head>'
        f'<body><nav><a href="/">Home</a></nav><div class="ticker">Markets {readers % 97} up</div>'
        "<main><article><h1>Council approves city budget after long debate</h1>"
        f'<p class="byline">By Ana Lopez</p><p class="count">{readers:,} people are reading</p>{body}'
        "</article></main><footer>News</footer></body></html>"
    ).encode()


def test_a_counter_inside_the_article_collapses_as_in_live_checks(workspace: Workspace, tmp_path: Path):
    reference = Workspace(path=tmp_path, db=tmp_path / "reference.db", config=workspace.config)
    edited = [*PARAGRAPHS[:2], PARAGRAPHS[2].replace("the vote", "the narrow vote"), *PARAGRAPHS[3:]]
    states = [(1234, PARAGRAPHS), (1301, PARAGRAPHS), (1420, edited), (1515, edited)]
    snapshots = []
    with NewsSite(seed=2) as site:
        url = site.serve("/budget-story", b"")
        reference.run("add", url)
        for hour, (readers, paragraphs) in enumerate(states):
            page = _budget_page(readers, paragraphs)
            site.serve("/budget-story", page)
            reference.run("check")
            snapshots.append(Snapshot(url, datetime(2024, 5, 1, 8 + hour, tzinfo=UTC), page))
    expected_versions, expected_changes = _history(reference.db)
    assert len(expected_versions) == 2 and "people are reading" in expected_versions[0]["body"][0]

    (tmp_path / "archive").mkdir()
    wayback = Wayback(tmp_path / "archive")
    wayback.add_collection("budget", write_warc(tmp_path / "budget.warc.gz", snapshots))
    wayback.start()
    try:
        out = workspace.run("backfill", url, "--archive", wayback.cdx("budget")).stdout
    finally:
        wayback.stop()
    versions, changes = _history(workspace.db)
    assert [(v["hash"], v["body"]) for v in versions] == [(v["hash"], v["body"]) for v in expected_versions]
    assert changes == expected_changes
    assert out.count("same article as") == 2
