"""CLI readers and writers beside a daemon writing at full speed: no "database is locked" ever
reaches the user (the longer run: benchmarks/contention.py)."""

from __future__ import annotations

from tests.contention import run_contention


def test_commands_beside_a_busy_daemon_never_meet_a_locked_database(workspace):
    figures = run_contention(workspace, seconds=12, stories=40, clients=2)

    assert figures.locked == 0, figures.failures
    assert figures.failures == [], figures.failures
    assert figures.daemon_exit == 0
    # Every command ran at least once while the daemon was writing.
    assert set(figures.runs) == {
        "history",
        "diff",
        "show",
        "add",
        "list",
        "status",
        "export",
        "search",
        "remove",
    }
    assert figures.checks > 40 and figures.versions > 0, figures
