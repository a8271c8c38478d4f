"""Checks that fail: a run of them makes a watch ``failing``, and a good check ends the run.

Failed checks in a row make a watch ``failing`` (see ``SchedulePolicy.is_failing``),
with the latest reason kept on the watch. Whether a page is trusted as the article
at all is the crawler's call (:mod:`crawler.snapshot`); counting is the schedule's.
"""

from __future__ import annotations

from monitor.daemon.schedule import SchedulePolicy
from storage import CheckResult, NewChange, Version, Watch, clock


def count_failure(
    result: CheckResult, watch: Watch, latest: Version | None, policy: SchedulePolicy, reason: str
) -> int:
    """Count one more failed check on the watch; make it ``failing`` (once) when the policy says so.

    Returns the number of failed checks in a row.
    """
    update = result.watch_update
    failures = watch.consecutive_failures + 1
    since = watch.failing_since if watch.consecutive_failures and watch.failing_since else result.checked_at
    update["failing_since"] = since
    update["failure_reason"] = reason
    checked = clock.from_text(result.checked_at)
    if watch.state == "active" and checked and policy.is_failing(failures, clock.from_text(since), checked):
        update["state"] = "failing"
        result.changes.append(
            NewChange(
                event="failing",
                summary=f"{failures} checks in a row failed; last: {reason}",
                from_version=latest.number if latest else None,
            )
        )
    return failures


def clear_failures(watch: Watch, update: dict) -> None:
    """A good (or removed) check ends a run of failures."""
    if watch.failing_since is not None or watch.failure_reason is not None:
        update["failing_since"] = None
        update["failure_reason"] = None
