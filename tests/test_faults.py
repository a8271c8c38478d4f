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
    "wrong_charset": "wrong character set",
    "mislabeled_charset": "written in windows-1252, read as windows-1251",
    "redirect_loop": "too many redirects",
    "tls_self_signed": "certificate is not trusted",
    "unresolvable_host": "cannot resolve host name",
}
# Faults the reader sees through: the same article, read correctly.
READ_THROUGH = {"mojibake"}


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
