"""When to check each watch next: often while an article is young or being edited, rarely later."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage import Watch, clock

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.IGNORECASE)


def parse_duration(text: str | int | float) -> float:
    """Seconds in ``"90s"``, ``"30m"``, ``"1h30m"``, ``"2d"`` (a bare number is seconds)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if text <= 0:
            raise ValueError("a duration must be positive")
        return float(text)
    raw = str(text).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        seconds = float(raw)
    else:
        pieces = _DURATION.findall(raw)
        if not pieces or _DURATION.sub("", raw).strip():
            raise ValueError(f"invalid duration {raw!r} (examples: 90s, 30m, 2h, 1d)")
        seconds = sum(float(n) * _UNITS[u.lower()] for n, u in pieces)
    if seconds <= 0:
        raise ValueError(f"invalid duration {raw!r}: must be positive")
    return seconds


def format_duration(seconds: float | None) -> str:
    """``1800`` → ``"30m"``; the inverse of :func:`parse_duration` for whole units."""
    if seconds is None:
        return "auto"
    seconds = int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# (article age up to, check every): the first hours matter most.
DEFAULT_STEPS: tuple[tuple[float, float], ...] = (
    (3 * 3600, 5 * 60),
    (24 * 3600, 15 * 60),
    (7 * 86400, 3600),
    (30 * 86400, 6 * 3600),
    (90 * 86400, 86400),
)


class ScheduleConfigError(ValueError):
    """The ``[schedule]`` section of editwatch.toml is invalid; the message names the key."""


@dataclass(frozen=True)
class SchedulePolicy:
    """When each watch is checked next. An article older than the last step is retired (kept, not fetched).

    Configured by the ``[schedule]`` section of editwatch.toml; ``add --every``
    sets a fixed interval for one watch, which overrides everything but backoff.
    """

    steps: tuple[tuple[float, float], ...] = DEFAULT_STEPS
    every: float | None = None  # a fixed interval for every watch without its own
    jitter: float = 0.1  # +/- this fraction of the interval
    failing_after: int = 5  # consecutive failed checks before a watch is 'failing'
    failing_after_minutes: float = 0.0  # ...which must also span at least this long
    retry_after_failure: float = 30.0  # first retry after a failed check (doubles per failure)
    max_backoff: float = 6 * 3600  # longest wait between retries of a failing watch
    removed_interval: float = 3600  # a removed article is looked at no more often than this
    catch_up: float = 15 * 60  # after downtime, overdue checks are spread over up to this long
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    @classmethod
    def from_config(cls, config: dict) -> SchedulePolicy:
        """Build from the ``[schedule]`` section of editwatch.toml (raises :class:`ScheduleConfigError`)."""
        section = config.get("schedule", {})
        if not isinstance(section, dict):
            raise ScheduleConfigError("[schedule] must be a table")
        known = {"steps", "every", "jitter", "failing_after", "failing_after_minutes", "retry_after_failure",
                 "max_backoff", "removed_interval", "catch_up"}  # fmt: skip
        unknown = sorted(set(section) - known)
        if unknown:
            raise ScheduleConfigError(
                f"unknown key schedule.{unknown[0]} (known: {', '.join(sorted(known))})"
            )
        kwargs: dict = {}
        key = "steps"
        try:
            if "steps" in section:
                steps = section["steps"]
                if not isinstance(steps, list) or not all(isinstance(s, list) and len(s) == 2 for s in steps):
                    raise ValueError(
                        'must be a list of [age, every] pairs, e.g. [["3h", "5m"], ["1d", "15m"]]'
                    )
                kwargs["steps"] = tuple((parse_duration(age), parse_duration(every)) for age, every in steps)
                ages = [age for age, _ in kwargs["steps"]]
                if ages != sorted(ages):
                    raise ValueError("ages must increase from one step to the next")
            for key in ("every", "retry_after_failure", "max_backoff", "removed_interval", "catch_up"):
                if key in section:
                    kwargs[key] = parse_duration(section[key])
            if "jitter" in section:
                key = "jitter"
                jitter = section["jitter"]
                if isinstance(jitter, bool) or not isinstance(jitter, (int, float)) or not 0 <= jitter < 1:
                    raise ValueError("must be a fraction from 0 to 0.99, e.g. 0.1 for +/-10%")
                kwargs["jitter"] = float(jitter)
            if "failing_after" in section:
                key = "failing_after"
                count = section["failing_after"]
                if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                    raise ValueError("must be a whole number of checks, at least 1")
                kwargs["failing_after"] = count
            if "failing_after_minutes" in section:
                key = "failing_after_minutes"
                minutes = section["failing_after_minutes"]
                if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes < 0:
                    raise ValueError("must be a number of minutes, 0 or more")
                kwargs["failing_after_minutes"] = float(minutes)
        except ValueError as exc:
            raise ScheduleConfigError(f"schedule.{key}: {exc}") from None
        return cls(**kwargs)

    def is_failing(self, failures: int, failing_since: datetime | None, now: datetime) -> bool:
        """Whether ``failures`` failed checks in a row, the first at ``failing_since``, make a watch failing."""
        if failures < self.failing_after:
            return False
        span = (now - failing_since).total_seconds() if failing_since is not None else 0.0
        return span >= self.failing_after_minutes * 60

    def base_interval(self, watch: Watch, now: datetime) -> float | None:
        """Seconds between checks for this watch now; ``None`` once it should retire."""
        if watch.interval_seconds:
            return float(watch.interval_seconds)
        if self.every:
            return self.every
        born = clock.from_text(watch.published_at) or clock.from_text(watch.added_at) or now
        age = max(0.0, (now - born).total_seconds())
        changed = clock.from_text(watch.last_changed_at)
        if changed is not None:  # an article being edited is watched as if it were new
            age = min(age, max(0.0, (now - changed).total_seconds()))
        for limit, every in self.steps:
            if age < limit:
                return every
        # An article that was already old when added is still followed, at the
        # slowest pace, for as long as the policy follows any article.
        added = clock.from_text(watch.added_at) or now
        if self.steps and (now - added).total_seconds() < self.steps[-1][0]:
            return self.steps[-1][1]
        return None

    def next_check(
        self,
        watch: Watch,
        now: datetime,
        *,
        failures: int = 0,
        state: str = "active",
        not_before: datetime | None = None,
    ) -> str | None:
        """When to check next (stored form); ``None`` means retire the watch.

        After a failed check the next try comes soon (``retry_after_failure``, or
        the interval if shorter) and the wait doubles with every further failure,
        up to ``max_backoff`` (or the interval if longer). ``not_before`` is a
        site's own ``Retry-After``.
        """
        interval = self.base_interval(watch, now)
        if interval is None:
            return None
        if state == "removed" and not watch.interval_seconds and not self.every:
            interval = max(interval, self.removed_interval)
        if failures:
            first = min(interval, self.retry_after_failure)
            interval = min(first * 2 ** min(failures - 1, 20), max(self.max_backoff, interval))
        interval *= 1 + self.rng.uniform(-self.jitter, self.jitter)
        moment = now + timedelta(seconds=interval)
        if not_before is not None and moment < not_before:
            moment = not_before + timedelta(seconds=self.rng.uniform(0, max(1.0, interval * self.jitter)))
        return clock.to_text(moment)

    def catch_up_times(self, overdue: list[Watch], now: datetime, *, burst: int) -> dict[int, str]:
        """New check times that spread a backlog of overdue watches out, instead of firing it at once.

        A backlog no larger than ``burst`` (what the daemon starts at once) is left
        alone. Otherwise each overdue watch is moved to a random moment within its
        own interval, capped by ``catch_up``: young articles checked every few
        minutes still come first, daily ones are spread over the whole window.
        """
        if len(overdue) <= burst:
            return {}
        times = {}
        for watch in overdue:
            interval = self.base_interval(watch, now) or self.catch_up
            window = min(interval, self.catch_up)
            times[watch.id] = clock.to_text(now + timedelta(seconds=self.rng.uniform(0, window)))
        return times
