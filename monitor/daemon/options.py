"""The ``[daemon]`` section of editwatch.toml, and the errors that stop the daemon."""

from __future__ import annotations

from typing import Any


class DaemonError(Exception):
    """The daemon could not run, or its crawler stopped without being asked to."""


class DaemonConfigError(DaemonError):
    """The ``[daemon]`` section of editwatch.toml is invalid."""


def daemon_options(config: dict[str, Any]) -> dict[str, Any]:
    """The validated ``[daemon]`` section: ``poll_seconds``, ``jobs``, ``report_every``."""
    section = config.get("daemon", {})
    if not isinstance(section, dict):
        raise DaemonConfigError("[daemon] must be a table")
    unknown = sorted(set(section) - {"poll_seconds", "jobs", "report_every"})
    if unknown:
        raise DaemonConfigError(f"unknown key daemon.{unknown[0]} (known: jobs, poll_seconds, report_every)")
    poll = section.get("poll_seconds", 1.0)
    if isinstance(poll, bool) or not isinstance(poll, (int, float)) or not 0 < poll <= 3600:
        raise DaemonConfigError("daemon.poll_seconds must be a number of seconds between 0 and 3600")
    jobs = section.get("jobs", [])
    if not isinstance(jobs, list) or not all(isinstance(j, str) for j in jobs):
        raise DaemonConfigError('daemon.jobs must be a list of "package.module:factory" strings')
    return {"poll_seconds": float(poll), "jobs": jobs, "report_every": section.get("report_every", "1h")}
