"""The schedule policy: checks by article age, overrides, backoff after failures, catch-up after downtime."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from monitor.daemon.schedule import ScheduleConfigError, SchedulePolicy
from storage import Watch, clock

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


def watch(
    age: timedelta | None = None, *, added: timedelta = timedelta(0), every: int | None = None, **extra
) -> Watch:
    fields = {
        "id": 1,
        "url": "https://example.com/a",
        "label": None,
        "interval_seconds": every,
        "added_at": clock.to_text(NOW - added),
        "state": "active",
        "etag": None,
        "last_modified": None,
        "published_at": clock.to_text(NOW - age) if age is not None else None,
        "last_checked_at": None,
        "last_changed_at": None,
        "next_check_at": None,
        "lease_until": None,
        "consecutive_failures": 0,
        "source": None,
    }
    fields.update(extra)
    return Watch(**fields)


def wait(policy: SchedulePolicy, w: Watch, **kwargs) -> float | None:
    at = policy.next_check(w, NOW, **kwargs)
    return None if at is None else (clock.from_text(at) - NOW).total_seconds()


EXACT = SchedulePolicy(jitter=0)


@pytest.mark.parametrize(
    ("age", "every"),
    [
        (timedelta(minutes=10), 300),
        (timedelta(hours=5), 900),
        (timedelta(days=3), 3600),
        (timedelta(days=20), 6 * 3600),
        (timedelta(days=60), 86400),
    ],
)
def test_young_articles_are_checked_often_and_old_ones_rarely(age, every):
    assert wait(EXACT, watch(age, added=age)) == every


def test_an_article_past_the_last_step_is_retired_unless_it_was_just_added():
    assert wait(EXACT, watch(timedelta(days=100), added=timedelta(days=95))) is None
    assert wait(EXACT, watch(timedelta(days=400), added=timedelta(hours=1))) == 86400


def test_a_recent_edit_makes_an_old_article_young_again():
    edited = watch(
        timedelta(days=10),
        added=timedelta(days=10),
        last_changed_at=clock.to_text(NOW - timedelta(minutes=20)),
    )
    assert wait(EXACT, edited) == 300


def test_add_every_and_schedule_every_override_the_age_steps():
    assert wait(EXACT, watch(timedelta(days=60), every=90)) == 90
    fixed = SchedulePolicy.from_config({"schedule": {"every": "10m", "jitter": 0}})
    assert wait(fixed, watch(timedelta(days=60))) == 600
    assert wait(fixed, watch(timedelta(days=60), every=30)) == 30


def test_failed_checks_are_retried_soon_then_with_doubling_waits_up_to_the_cap():
    young = watch(timedelta(minutes=10))
    assert [wait(EXACT, young, failures=n) for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert wait(EXACT, young, failures=15) == 6 * 3600
    daily = watch(timedelta(days=60), added=timedelta(days=60))
    assert wait(EXACT, daily, failures=1) == 30
    assert wait(EXACT, daily, failures=30) == 86400, "never beyond the interval when it is above the cap"
    assert wait(EXACT, watch(every=1), failures=3) == 4


def test_a_sites_retry_after_is_never_undercut():
    later = NOW + timedelta(minutes=10)
    seconds = wait(EXACT, watch(timedelta(minutes=10)), failures=1, not_before=later)
    assert 600 <= seconds <= 600 + 30


def test_removed_articles_are_looked_at_hourly_unless_the_user_set_an_interval():
    assert wait(EXACT, watch(timedelta(minutes=10)), state="removed") == 3600
    assert wait(EXACT, watch(timedelta(minutes=10), every=60), state="removed") == 60


def test_jitter_stays_within_its_fraction():
    policy = SchedulePolicy(jitter=0.1, rng=random.Random(7))
    waits = {wait(policy, watch(timedelta(minutes=10))) for _ in range(200)}
    assert min(waits) >= 270 and max(waits) <= 330 and len(waits) > 100


def test_a_small_backlog_is_left_alone_and_a_large_one_is_spread_over_each_interval():
    policy = SchedulePolicy(rng=random.Random(1))
    young = [watch(timedelta(minutes=30), id=n) for n in range(10)]
    assert policy.catch_up_times(young, NOW, burst=10) == {}
    old = [watch(timedelta(days=20), added=timedelta(days=20), id=n) for n in range(10, 200)]
    times = policy.catch_up_times(young + old, NOW, burst=10)
    assert set(times) == {w.id for w in young + old}
    young_waits = [(clock.from_text(times[w.id]) - NOW).total_seconds() for w in young]
    old_waits = [(clock.from_text(times[w.id]) - NOW).total_seconds() for w in old]
    assert all(0 <= s <= 300 for s in young_waits), "a 5-minute article waits at most 5 minutes"
    assert all(0 <= s <= 15 * 60 for s in old_waits), "nothing waits longer than the catch-up window"
    assert max(old_waits) > 10 * 60 and min(old_waits) < 60, "spread over the whole window"


def test_the_schedule_section_is_validated_with_messages_naming_the_key():
    policy = SchedulePolicy.from_config(
        {"schedule": {"steps": [["1h", "2m"], ["1d", "30m"]], "failing_after": 3, "catch_up": "5m"}}
    )
    assert policy.steps == ((3600, 120), (86400, 1800))
    assert policy.failing_after == 3 and policy.catch_up == 300
    bad = [
        ({"often": "5m"}, "unknown key schedule.often"),
        ({"every": "soon"}, "schedule.every: invalid duration 'soon'"),
        ({"steps": [["1d", "5m"], ["1h", "1m"]]}, "schedule.steps: ages must increase"),
        ({"steps": "5m"}, "schedule.steps: must be a list of [age, every] pairs"),
        ({"jitter": 2}, "schedule.jitter: must be a fraction"),
        ({"failing_after": 0}, "schedule.failing_after: must be a whole number of checks"),
    ]
    for section, message in bad:
        with pytest.raises(ScheduleConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
            SchedulePolicy.from_config({"schedule": section})
