"""When to check each watch next: often while an article is young or being edited, rarely later."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass(frozen=True)
class SchedulePolicy:
    """The age-based schedule. An article older than the last step is retired (kept, not fetched)."""

    steps: tuple[tuple[float, float], ...] = DEFAULT_STEPS
    jitter: float = 0.1  # +/- this fraction of the interval
    failing_after: int = 5  # consecutive failed checks before a watch is 'failing'
    max_backoff: float = 6 * 3600  # longest wait between retries of a failing watch
    removed_interval: float = 6 * 3600  # how often a removed article is looked at again
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    @classmethod
    def from_config(cls, config: dict) -> SchedulePolicy:
        """Build from the ``[schedule]`` section of editwatch.toml."""
        section = config.get("schedule", {})
        kwargs: dict = {}
        if "steps" in section:
            kwargs["steps"] = tuple(
                (parse_duration(age), parse_duration(every)) for age, every in section["steps"]
            )
        for key in ("jitter", "failing_after"):
            if key in section:
                kwargs[key] = section[key]
        for key in ("max_backoff", "removed_interval"):
            if key in section:
                kwargs[key] = parse_duration(section[key])
        return cls(**kwargs)

    def base_interval(self, watch: Watch, now: datetime) -> float | None:
        """Seconds between checks for this watch now; ``None`` once it should retire."""
        if watch.interval_seconds:
            return float(watch.interval_seconds)
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
        self, watch: Watch, now: datetime, *, failures: int = 0, state: str = "active"
    ) -> str | None:
        """When to check next (stored form); ``None`` means retire the watch."""
        interval = self.base_interval(watch, now)
        if interval is None:
            return None
        if state == "removed":
            interval = max(interval, self.removed_interval)
        if failures:
            interval = min(interval * 2 ** min(failures - 1, 12), max(self.max_backoff, interval))
        interval *= 1 + self.rng.uniform(-self.jitter, self.jitter)
        return clock.later(interval, now)
