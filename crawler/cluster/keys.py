"""The Redis keys the coordinator and its workers share, and how to connect."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import redis

PREFIX = "editwatch"
RESULTS = f"{PREFIX}:results"  # the results of checks, oldest first, until the coordinator records them
WORKER = PREFIX + ":worker:{worker}"  # a worker's heartbeat (expires when it stops beating)
TASKS = PREFIX + ":tasks:{worker}"  # check tasks assigned to one worker
REQUESTS = PREFIX + ":requests:{worker}"  # the worker's scrapy-redis request queue
ROBOTS = PREFIX + ":robots:{site}"  # a site's robots.txt as last read by any worker

# A worker beats every HEARTBEAT_SECONDS; one silent for WORKER_TIMEOUT_SECONDS has left.
HEARTBEAT_SECONDS = 2.0
WORKER_TIMEOUT_SECONDS = 10


class ClusterConfigError(ValueError):
    """The ``[cluster]`` section of editwatch.toml (or ``--redis``) is invalid."""


def cluster_options(config: dict[str, Any], redis_url: str | None = None) -> dict[str, Any]:
    """The validated ``[cluster]`` section, with ``redis_url`` (from the command line) first.

    Keys: ``redis`` (the URL, or None: no cluster), ``lease_seconds`` (how long a check
    handed to a worker may take before it is handed out again), ``prefetch`` (tasks a
    worker holds at once).
    """
    section = config.get("cluster", {})
    if not isinstance(section, dict):
        raise ClusterConfigError("[cluster] must be a table")
    unknown = sorted(set(section) - {"redis", "lease_seconds", "prefetch"})
    if unknown:
        raise ClusterConfigError(f"unknown key cluster.{unknown[0]} (known: lease_seconds, prefetch, redis)")
    url = redis_url or section.get("redis")
    if url is not None and (
        not isinstance(url, str) or urlsplit(url).scheme not in ("redis", "rediss", "unix")
    ):
        raise ClusterConfigError('cluster.redis must be a URL such as "redis://127.0.0.1:6379/0"')
    lease = section.get("lease_seconds", 120)
    if isinstance(lease, bool) or not isinstance(lease, (int, float)) or not 5 <= lease <= 86400:
        raise ClusterConfigError("cluster.lease_seconds must be a number of seconds between 5 and 86400")
    prefetch = section.get("prefetch", 64)
    if isinstance(prefetch, bool) or not isinstance(prefetch, int) or not 1 <= prefetch <= 10000:
        raise ClusterConfigError("cluster.prefetch must be a whole number between 1 and 10000")
    return {"redis": url, "lease_seconds": float(lease), "prefetch": prefetch}


def connect(url: str) -> redis.Redis:
    """A client for ``url`` that reconnects by itself after Redis restarts (bytes in, bytes out)."""
    return redis.Redis.from_url(
        url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30, retry_on_timeout=True
    )
