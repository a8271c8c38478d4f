"""The daemon as a service: edits found in time, one fetch per watch at a time, clean stops, crashes survived."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from monitor.demo.site import NewsSite
from monitor.demo.stories import generated_story
from storage import Store
from tests.daemon_process import checks_of, versions_of, wait_for, watch_all, watch_row

SLUG = "russia-afghan-peace-conference"


def test_edits_are_stored_within_the_interval_and_chrome_changes_are_not(workspace, news_site, start_daemon):
    url = news_site.url(SLUG)
    workspace.run("add", url, "--every", "1s")
    daemon = start_daemon()
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    # Every request renders new chrome (weather, ads, "updated N minutes ago"): still one version.
    seen = news_site.requests[f"/{SLUG}"]
    wait_for("four more checks", lambda: len(checks_of(workspace.db, 1)) >= 5)
    assert news_site.requests[f"/{SLUG}"] >= seen + 4
    assert len(versions_of(workspace.db, 1)) == 1

    for number, kind in enumerate(("edit_paragraph", "insert_paragraph", "headline"), start=2):
        news_site.edit(SLUG, kind)
        # The interval is 1 s: allow it plus generous slack for a busy machine.
        wait_for(f"version {number}", lambda n=number: len(versions_of(workspace.db, 1)) >= n, timeout=15)
    assert daemon.stop() == 0

    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [(e["event"], e["version"]) for e in history] == [("version", n) for n in (1, 2, 3, 4)]
    assert "headline changed" in history[-1]["summary"]
    log = daemon.log
    assert "new version 4: headline changed" in log
    assert ": unchanged" not in log, "unchanged checks are logged only with -v"
    assert all(line[:4].isdigit() for line in log.splitlines()), f"one event per line:\n{log}"


def test_a_watch_is_never_fetched_twice_at_once(workspace, start_daemon):
    stories = [generated_story(n) for n in (1, 2, 3)]
    with NewsSite(stories, seed=1) as site:
        watch_all(workspace, [site.url(s.slug) for s in stories], "1s")
        site.set_delay("story-1", 1.8)  # slower than the interval
        daemon = start_daemon()
        wait_for("several slow fetches", lambda: site.requests["/story-1"] >= 3, timeout=30)
        assert daemon.stop() == 0
    assert site.peak["/story-1"] == 1
    assert all(site.peak[f"/story-{n}"] == 1 for n in (2, 3))
    assert site.requests["/story-2"] > site.requests["/story-1"]
    # Every fetch of the slow page was recorded as one check.
    assert len(checks_of(workspace.db, 1)) == site.requests["/story-1"]


def test_sigterm_finishes_the_check_in_flight_records_it_and_exits_0(workspace, news_site, start_daemon):
    url = news_site.url(SLUG)
    workspace.run("add", url, "--every", "1s")
    daemon = start_daemon()
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    news_site.edit(SLUG, "correction")
    news_site.set_delay(SLUG, 3)
    wait_for("a fetch in flight", lambda: news_site.active[f"/{SLUG}"] == 1)
    started = time.monotonic()
    assert daemon.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 35
    # The slow page was answered after the signal and its new version was still stored.
    assert len(checks_of(workspace.db, 1)) == news_site.requests[f"/{SLUG}"]
    assert len(versions_of(workspace.db, 1)) == 2
    assert watch_row(workspace.db, 1)["lease_until"] is None
    assert "received SIGTERM" in daemon.log and "daemon stopped" in daemon.log
    with Store(workspace.db) as store:
        assert store.integrity_check() == "ok"


def test_a_second_signal_abandons_slow_checks_and_releases_them(workspace, news_site, start_daemon):
    url = news_site.url(SLUG)
    workspace.run("add", url, "--every", "1s")
    news_site.set_delay(SLUG, 30)
    daemon = start_daemon(config={"fetch": {"timeout_seconds": 20}})
    wait_for("a fetch in flight", lambda: news_site.active[f"/{SLUG}"] == 1)
    daemon.send(signal.SIGINT)
    wait_for("the shutdown to begin", lambda: "received SIGINT" in daemon.log)
    started = time.monotonic()
    assert daemon.stop(signal.SIGINT) == 0
    assert time.monotonic() - started < 10
    assert "abandoning 1 checks" in daemon.log
    assert checks_of(workspace.db, 1) == []
    assert watch_row(workspace.db, 1)["lease_until"] is None  # due again for the next daemon


def test_kill_9_loses_nothing_and_the_schedule_resumes(workspace, start_daemon):
    stories = [generated_story(n) for n in (1, 2)]
    with NewsSite(stories, seed=1) as site:
        watch_all(workspace, [site.url(s.slug) for s in stories], "1s")
        daemon = start_daemon()
        edits = 0
        for _round in range(3):
            for n in (1, 2):
                wait_for(
                    f"watch {n} to catch up", lambda n=n, e=edits: len(versions_of(workspace.db, n)) == e + 1
                )
            for story in stories:
                site.edit(story.slug, "edit_paragraph", index=edits)
            edits += 1
        daemon.kill()  # while the third round of edits is (maybe) being fetched

        with Store(workspace.db) as store:
            assert store.integrity_check() == "ok"
        checks_before = {n: len(checks_of(workspace.db, n)) for n in (1, 2)}
        daemon = start_daemon()
        for n in (1, 2):
            wait_for(
                f"watch {n} after the restart", lambda n=n: len(versions_of(workspace.db, n)) == edits + 1
            )
            wait_for(
                f"new checks of watch {n}", lambda n=n: len(checks_of(workspace.db, n)) > checks_before[n] + 1
            )
        assert daemon.stop() == 0

    for n in (1, 2):
        versions = versions_of(workspace.db, n)
        assert [v["number"] for v in versions] == list(range(1, edits + 2))
        hashes = [v["content_hash"] for v in versions]
        assert len(set(hashes)) == len(hashes), "no version stored twice"
    with Store(workspace.db) as store:
        assert store.integrity_check() == "ok"
        edits_recorded = store.query("SELECT COUNT(*) FROM changes WHERE event = 'edit'")[0][0]
    assert edits_recorded == 2 * edits


def test_a_second_daemon_on_the_same_database_is_refused(workspace, news_site, start_daemon):
    workspace.run("add", news_site.url(SLUG), "--every", "1s")
    daemon = start_daemon()
    wait_for("version 1", lambda: versions_of(workspace.db, 1))
    second = workspace.run("run", check_exit=1, timeout=60)
    assert second.stderr.strip() == (
        f"editwatch: error: another editwatch daemon (pid {daemon.proc.pid}) is already running on "
        f"{workspace.db}; stop it first (one daemon per database)"
    )
    status = json.loads(workspace.run("status", "--json").stdout)
    assert status["daemon"]["running"] is True and status["daemon"]["pid"] == daemon.proc.pid
    assert status["daemon"]["since"] <= status["last_success_at"]
    assert status["watches"] == {"active": 1}
    text = workspace.run("status").stdout
    assert f"daemon: running (pid {daemon.proc.pid}" in text
    assert daemon.stop() == 0
    assert json.loads(workspace.run("status", "--json").stdout)["daemon"]["running"] is False


def test_extra_daemon_jobs_run_beside_the_crawl(workspace, start_daemon):
    marker = workspace.path / "job-ran"
    daemon = start_daemon(
        config={"daemon": {"jobs": ["tests.daemon_jobs:marker_job"]}, "test_job": {"path": str(marker)}}
    )
    wait_for("the extra job to run twice", lambda: marker.exists() and marker.read_text().count("ran") >= 2)
    assert daemon.stop() == 0
    assert "stopping=False" in marker.read_text()


def test_a_job_that_cannot_be_loaded_is_a_one_line_error(workspace, start_daemon):
    daemon = start_daemon(config={"daemon": {"jobs": ["no.such.module:job"]}}, wait=False)
    assert daemon.wait() == 1
    assert daemon.log.startswith("editwatch: error: ")
    assert "cannot load daemon job 'no.such.module:job'" in daemon.log
    assert len(daemon.log.strip().splitlines()) == 1


def test_invalid_schedule_settings_are_a_one_line_error(workspace, start_daemon):
    daemon = start_daemon(config={"schedule": {"jitter": 3}}, wait=False)
    assert daemon.wait() == 1
    assert daemon.log.startswith("editwatch: error: ") and len(daemon.log.strip().splitlines()) == 1
    assert (
        "editwatch.toml: schedule.jitter: must be a fraction from 0 to 0.99, e.g. 0.1 for +/-10%"
        in daemon.log
    )
    assert daemon.log.strip().endswith(")") and "(line " in daemon.log


def test_demo_shows_four_newsroom_edits_detected_with_their_diffs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "demo", "--every", "1s", "--edit-every", "1s"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
        env={**_env(), "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "stored version 1" in out
    assert "version 2 stored" in out and "Moscow [-wants-]{+hopes+} to help" in out  # a softened quote
    assert "version 3 stored" in out and "1 paragraph added" in out and "{+A Taliban spokesman" in out
    assert "version 4 stored" in out and "correction appended" in out
    assert "version 5 stored" in out and "headline changed" in out and "{+Taliban resist ceasefire" in out
    assert "revised" not in out and "update" not in out.lower().replace("updated date", "")
    assert "demo finished: 4 of 4 edits detected" in out
    assert not (tmp_path / "editwatch.db").exists(), "the demo never touches the user's database"


def test_make_run_on_an_empty_database_runs_the_demo_and_explains_what_next(workspace):
    proc = workspace.run("run", "--demo-if-empty", timeout=120)
    assert "has no watches yet" in proc.stdout
    assert "demo finished: 4 of 4 edits detected" in proc.stdout
    assert "add https://" in proc.stdout
    with Store(workspace.db) as store:
        assert store.watches.count_by_state() == {}


def _env() -> dict:
    import os

    return dict(os.environ)


def test_demo_on_a_taken_port_is_a_one_line_error(workspace, news_site):
    proc = workspace.run("demo", "--port", str(news_site.port), check_exit=1)
    assert proc.stderr.strip() == (
        f"editwatch: error: cannot start the demo site on port {news_site.port}: address already in use"
    )
