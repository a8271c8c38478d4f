"""Retention of the checks table: old uneventful checks folded into per-day counts, nothing else lost."""

from __future__ import annotations

from datetime import timedelta

from storage import CheckResult, NewVersion, Store, clock
from storage.retention import fold_old_checks, rolled_up_checks
from tests.daemon_process import wait_for

NOW = clock.utcnow()


def _days_ago(days: float, hour: int = 0) -> str:
    """Half a day before ``days`` days ago, plus ``hour`` hours: the four checks of a day stay on one side
    of a cut-off a whole number of days ago, whenever the test runs."""
    return clock.to_text(NOW - timedelta(days=days + 0.5) + timedelta(hours=hour))


def _history(store: Store) -> tuple[int, int]:
    """Two watches: 60 days of checks four times a day, a first version and an error among them."""
    ids = []
    for n in (1, 2):
        watch, _ = store.watches.add(f"https://news.example/story-{n}")
        ids.append(watch.id)
        for day in range(60, 0, -1):
            for hour in (0, 1, 2, 3):
                outcome = "unchanged" if hour else "not_modified"
                result = CheckResult(watch.id, _days_ago(day, hour), outcome, 200, 40)
                if day == 60 and hour == 0:
                    result.outcome = "new_version"
                    result.new_version = NewVersion(
                        fetched_at=result.checked_at, url=watch.url, content_hash=f"h{n}", headline="A story",
                        byline=[], published=None, modified=None, body=["One paragraph."], extractor="page",
                    )  # fmt: skip
                if day == 45 and hour == 1:
                    result.outcome, result.error = "error", "HTTP 503"
                store.checks.record(result)
    return ids[0], ids[1]


def test_old_unchanged_checks_become_daily_counts_and_eventful_ones_stay(tmp_path):
    with Store(tmp_path / "editwatch.db") as store:
        first, second = _history(store)
        store.checks.record(CheckResult(first, _days_ago(0), "unchanged", 200, 40))
        before_rows = store.query("SELECT count(*) AS n FROM checks")[0]["n"]
        cutoff = clock.to_text(NOW - timedelta(days=30))
        result = fold_old_checks(store, cutoff, batch=97)  # batches that end mid-day
        after = store.query("SELECT watch_id, outcome, checked_at FROM checks ORDER BY id")
        rollups = rolled_up_checks(store, first)
        removed = store.watches.remove(second)

    # Days 30 to 60, four checks each, for each watch (a first version and an error among them) were folded.
    assert result.folded == 2 * (31 * 4 - 2)
    assert len(after) == before_rows - result.folded
    outcomes = [r["outcome"] for r in after if r["checked_at"] < cutoff]
    assert sorted(outcomes) == ["error", "error", "new_version", "new_version"]
    assert sum(r["checks"] for r in rollups) == 31 * 4 - 2
    # Rows per day and outcome, with the checks' total fetch time.
    assert {r["outcome"] for r in rollups} == {"unchanged", "not_modified"}
    assert len({r["day"] for r in rollups}) >= 31
    assert sum(r["duration_ms"] for r in rollups) == 40 * (31 * 4 - 2)
    # Younger checks are all kept; removing a watch removes its counts too.
    assert sum(1 for r in after if r["checked_at"] >= cutoff) == 2 * 29 * 4 + 1
    assert removed["check_rollups"] > 0


def test_a_watchs_latest_check_is_kept_however_old(tmp_path):
    with Store(tmp_path / "editwatch.db") as store:
        watch, _ = store.watches.add("https://news.example/old")
        for day in (90, 80, 70):
            store.checks.record(CheckResult(watch.id, _days_ago(day), "unchanged", 200, 10))
        result = fold_old_checks(store, _days_ago(30))
        left = store.query("SELECT checked_at FROM checks")
    assert result.folded == 2
    assert [r["checked_at"] for r in left] == [_days_ago(70)]


def test_the_daemon_applies_the_configured_retention_at_start(workspace, start_daemon):
    with Store(workspace.db) as store:
        _history(store)
        store.watches.reschedule({1: _days_ago(-30), 2: _days_ago(-30)})  # nothing to fetch
    daemon = start_daemon(config={"retention": {"unchanged_days": 30}})
    wait_for("the retention pass", lambda: "folded into daily counts" in daemon.log, 20)
    assert daemon.stop() == 0
    with Store(workspace.db) as store:
        old = clock.to_text(NOW - timedelta(days=30))
        assert store.query("SELECT count(*) AS n FROM checks WHERE checked_at < ?", (old,))[0]["n"] == 4
        assert store.query("SELECT sum(checks) AS n FROM check_rollups")[0]["n"] == 2 * (31 * 4 - 2)


def test_a_bad_retention_setting_is_one_line(workspace):
    workspace.config.write_text('[retention]\nunchanged_days = "soon"\n')
    proc = workspace.run("run", check_exit=None, timeout=30)
    assert proc.returncode != 0
    assert "retention.unchanged_days must be a whole number" in proc.stderr
    assert "Traceback" not in proc.stderr
