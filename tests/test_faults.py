"""The fault suite through the real CLI: no fault makes a version or an alert, each is recorded as a
failed check in words, and the recovery is silent (see tests/fault_suite.py)."""

from __future__ import annotations

import pytest

from tests.conftest import Workspace
from tests.fault_suite import ALL_FAULTS, FaultSuite

# What the failed check says, per fault.
EXPECTED_ERROR = {
    "http_500": "HTTP 500",
    "http_503": "HTTP 503",
    "http_429": "HTTP 429",
    "slow": "timed out after 3 s",
    "stalled": "timed out after 3 s",
    "reset": "connection closed before an answer arrived",
    "truncated": "truncated response",
    "random_bytes": "not readable text",
    "huge": "page too large: over the size cap of 10 MB",
    "lossy_charset": "character set fault",
    "mislabeled_charset": "written in windows-1252, read as windows-1251",
    "redirect_loop": "too many redirects",
    "tls_self_signed": "certificate is not trusted",
    "unresolvable_host": "cannot resolve host name",
}
# Faults the reader sees through: the same article, read correctly.
READ_THROUGH = {"mojibake", "wrong_charset"}


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("faults")
    workspace = Workspace(path=path, db=path / "editwatch.db", config=path / "editwatch.toml")
    with FaultSuite(workspace) as suite:
        yield suite.run()


def test_every_fault_is_covered():
    assert set(EXPECTED_ERROR) | READ_THROUGH == set(ALL_FAULTS)


@pytest.mark.parametrize("fault", sorted(ALL_FAULTS))
def test_a_fault_makes_no_version_and_no_alert_and_recovers_silently(fault_run, fault):
    healthy, faulty, recovered = (fault_run.rounds[r][fault] for r in ("healthy", "fault", "recovered"))
    assert healthy.line.endswith(": new version 1"), healthy
    assert faulty.versions == 1, faulty
    if fault in READ_THROUGH:
        assert faulty.outcome == "unchanged", faulty
    else:
        assert faulty.outcome in ("error", "extraction_failed"), faulty
        assert EXPECTED_ERROR[fault] in faulty.error, faulty
        assert faulty.line.endswith(f"error: {faulty.error}"), faulty
    assert recovered.outcome == "unchanged" and recovered.versions == 1, recovered
    assert fault_run.changes[fault] == 0
    assert fault_run.alerts[fault] == 0


def test_nothing_reached_the_alert_channel_and_the_database_is_sound(fault_run):
    assert fault_run.delivered == 0
    assert fault_run.integrity == "ok"


def test_the_daemon_follows_a_site_to_its_new_address(workspace, start_daemon, monkeypatch, tmp_path):
    """DNS answers expire: a site that moves to another address is checked there, without a restart."""
    import os

    from monitor.demo.site import NewsSite
    from monitor.demo.stories import seed_story
    from tests.daemon_process import versions_of, wait_for
    from tests.fault_suite import ROOT

    hosts = tmp_path / "hosts"
    monkeypatch.setenv("EDITWATCH_TEST_HOSTS", str(hosts))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "tests" / "fakedns"), str(ROOT)]))
    old_home = NewsSite([seed_story()], seed=1).__enter__()
    moved = seed_story()
    moved.headline += " — updated after the move"
    new_home = NewsSite([moved], host="127.0.0.2", port=old_home.port, seed=2)
    try:
        hosts.write_text("news-moves.invalid 127.0.0.1\n")
        url = f"http://news-moves.invalid:{old_home.port}/{moved.slug}"
        workspace.run("add", url, "--every", "1s")
        daemon = start_daemon(config={"fetch": {"dns_cache_seconds": 1}})
        wait_for("version 1 from the old address", lambda: versions_of(workspace.db, 1))
        new_home.start()
        hosts.write_text("news-moves.invalid 127.0.0.2\n")
        old_home.stop()
        versions = wait_for(
            "version 2 from the new address",
            lambda: len(versions_of(workspace.db, 1)) > 1 and versions_of(workspace.db, 1),
            timeout=30,
        )
        assert versions[-1]["headline"].endswith("updated after the move")
        assert daemon.stop() == 0
    finally:
        old_home.stop()
        new_home.stop()
