"""The ``[alerts]`` section of editwatch.toml: delivery timing and message options."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from crawler.config import ConfigError
from monitor.daemon.schedule import parse_duration

_DURATIONS = ("poll_seconds", "timeout", "retry_base", "retry_max", "give_up_after", "confirm_delay")
_INTEGERS = ("max_changes", "context_words", "digest_limit")


@dataclass(frozen=True)
class AlertSettings:
    """How alerts are delivered and written. Durations accept ``90s``, ``5m``, ``1h``, ``7d`` or seconds."""

    viewer_url: str | None = None  # base URL or template of the web viewer, for links in messages
    poll_seconds: float = 5.0  # how often the daemon looks for alerts to deliver
    timeout: float = 15.0  # one send to one channel
    retry_base: float = 30.0  # first retry delay; doubles on every failure...
    retry_max: float = 3600.0  # ...up to this
    give_up_after: float = 7 * 86400.0  # an alert still undelivered after this is marked failed
    confirm_delay: float = 60.0  # wait before the confirming re-fetch of an edit
    max_changes: int = 5  # changes shown in one message; the rest are counted
    context_words: int = 12  # at most this many words of the edited sentence around each edit
    digest_limit: int = 200  # most alerts in one digest message
    # Signs every webhook body (X-Editwatch-Signature: sha256=HMAC); never shown.
    webhook_secret: str | None = field(default=None, repr=False)
    # [fetch], [sites] and [[rules]]: the confirming re-fetch gets and reads the page as the
    # crawler did, or its hash could never match the version's. Kept as read (the dispatcher
    # compiles them): every command checks these settings, and must not import the fetcher.
    page_config: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def claim_seconds(self) -> float:
        """How long a delivery stays claimed: a send that outlives it is presumed dead."""
        return self.timeout * 1.5 + 1.0

    @classmethod
    def from_config(cls, config: dict) -> AlertSettings:
        """Read and validate ``[alerts]``; errors name the key."""
        section = config.get("alerts", {})
        if not isinstance(section, dict):
            raise ConfigError("[alerts] must be a table")
        known = {f.name for f in fields(cls)} - {"page_config"}
        values: dict = {}
        for key, value in section.items():
            if key not in known:
                raise ConfigError(f"unknown key alerts.{key} (known: {', '.join(sorted(known))})")
            try:
                if key in _DURATIONS:
                    values[key] = parse_duration(value)
                elif key in _INTEGERS:
                    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                        raise ValueError("must be a positive whole number")
                    values[key] = value
                elif key == "webhook_secret":
                    if not isinstance(value, str) or not value:
                        raise ValueError("must be a non-empty string")
                    values[key] = value
                else:
                    values[key] = _viewer_url(value)
            except ValueError as exc:
                raise ConfigError(f"alerts.{key}: {exc}") from None
        page_config = {key: config[key] for key in ("fetch", "sites", "rules") if key in config}
        return cls(**values, page_config=page_config)


def _viewer_url(value: object) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    return value
