"""kill -9 while storing versions and delivering alerts loses nothing and sends nothing twice
(the full twenty-kill loop: benchmarks/crashes.py)."""

from __future__ import annotations

from tests.crash_loop import CrashLoop


def test_kill_9_loses_no_version_and_no_alert_and_repeats_none_once_recorded(workspace):
    figures = CrashLoop(workspace, stories=5, kills=4, seed=7).run()

    assert figures.kills == 4
    assert set(figures.integrity) == {"ok"}
    assert figures.edits >= 3, figures  # the daemon stored versions while it was being killed
    # Every edit is one version, in order, none repeated.
    assert figures.versions == figures.expected_versions, figures
    assert figures.headline_mismatches == 0 and figures.repeated_versions == 0, figures
    # Every edit is one alert, delivered; its key reached the receiver.
    assert figures.alerts == figures.edits and figures.undelivered == 0 and figures.lost == 0, figures
    assert figures.distinct_keys == figures.alerts, figures
    # docs/alerts.md: once a delivery is recorded it is never sent again; a kill between the
    # receiver's answer and that record repeats at most the one alert in flight, with its key.
    assert figures.resent_after_recorded == 0, figures
    assert figures.extra_arrivals <= figures.kills, figures
