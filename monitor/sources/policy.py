"""The ``[sources]`` section of editwatch.toml: how discovery behaves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.config import ConfigError
from monitor.daemon.schedule import parse_duration

DEFAULT_EVERY = 600.0


@dataclass(frozen=True)
class DiscoveryPolicy:
    """How sources are polled and what their listings become.

    ``[sources]`` keys: ``every`` (default poll interval of a new source, ``10m``),
    ``live_blogs`` (watch live blogs found by any source, default false),
    ``live_blog_every`` (how often a watched live blog is checked, ``30m``),
    ``live_blog_for`` (how long a live blog is followed before it is retired, ``1d``),
    ``max_age`` (articles a source dates older than this are not watched, ``2d``),
    ``max_new_per_poll`` (new watches one poll may create; the rest wait, 200).
    """

    every: float = DEFAULT_EVERY
    live_blogs: bool = False
    live_blog_every: float = 1800.0
    live_blog_for: float = 86400.0
    max_age: float = 2 * 86400.0
    max_new_per_poll: int = 200
    max_backoff: float = 3600.0  # longest wait between polls of a failing source (or its interval)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> DiscoveryPolicy:
        """Build from editwatch.toml; a wrong key or value is a :class:`ConfigError` naming it."""
        section = config.get("sources", {})
        if not isinstance(section, dict):
            raise ConfigError("[sources] must be a table")
        kwargs: dict[str, Any] = {}
        for key, value in section.items():
            if key in ("every", "live_blog_every", "live_blog_for", "max_age"):
                try:
                    kwargs[key] = parse_duration(value)
                except ValueError as exc:
                    raise ConfigError(f"sources.{key}: {exc}") from None
            elif key == "live_blogs":
                if not isinstance(value, bool):
                    raise ConfigError("sources.live_blogs must be true or false")
                kwargs[key] = value
            elif key == "max_new_per_poll":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise ConfigError("sources.max_new_per_poll must be a positive whole number")
                kwargs[key] = value
            else:
                raise ConfigError(f"unknown key sources.{key}")
        return cls(**kwargs)

    def next_poll_delay(self, interval: float, failures: int) -> float:
        """Seconds until the next poll: the interval, doubled per consecutive failure up to a cap."""
        if not failures:
            return interval
        return min(interval * 2 ** min(failures - 1, 12), max(self.max_backoff, interval))
