"""What travels through Redis: a check task to a worker, and the fetch it made back to the coordinator.

A task carries what a check needs from the history, so that a worker needs no
database: the watch's URL, the validators for a conditional GET, and the region
fingerprint learnt when the latest version was shown (with the key of the site rules
it was learnt under). A result is the :class:`PageFetch` the worker made; the page
itself travels only when the region did not match, for the coordinator to extract.
Both are JSON; a result is zstd-compressed (a page is most of it).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any

import zstandard

from crawler.items import PageFetch

# The PageFetch fields a result carries (the article and region are the coordinator's to make).
_PLAIN = (
    "watch_id", "url", "fetched_at", "final_url", "status", "duration_ms", "content_type", "etag",
    "last_modified", "html", "error", "retry_not_before", "deferred_until", "same_region_as",
)  # fmt: skip
_COMPRESS = zstandard.ZstdCompressor(level=3)
_DECOMPRESS = zstandard.ZstdDecompressor()


@dataclass
class CheckTask:
    """One check handed to a worker."""

    watch_id: int
    url: str
    token: str  # names this hand-out: a result delivered twice is recorded once
    etag: str | None = None
    last_modified: str | None = None
    region: dict[str, str] | None = None  # recipe, fingerprint, content_hash, learned_at
    rules_key: str = ""

    def encode(self) -> bytes:
        """The task as Redis stores it."""
        return json.dumps({name: getattr(self, name) for name in _TASK_FIELDS}).encode()

    @classmethod
    def decode(cls, data: bytes) -> CheckTask:
        """A task read from Redis (ValueError if it is not one)."""
        raw = json.loads(data)
        if not isinstance(raw, dict) or not isinstance(raw.get("watch_id"), int):
            raise ValueError("not a check task")
        return cls(**{name: raw[name] for name in _TASK_FIELDS if name in raw})


_TASK_FIELDS = tuple(f.name for f in fields(CheckTask))  # once: fields() costs more than the encoding


@dataclass
class ClusterFetch(PageFetch):
    """A fetch made for a task: the task goes with it, so the result can name it."""

    task: CheckTask | None = None


def encode_result(item: PageFetch, token: str, worker: str) -> bytes:
    """A worker's fetch as it goes back to the coordinator."""
    data: dict[str, Any] = {name: getattr(item, name) for name in _PLAIN}
    data["token"], data["worker"] = token, worker
    if item.raw is not None:
        data["raw"] = base64.b64encode(item.raw).decode("ascii")
    if item.headers is not None:
        data["headers"] = item.headers
    return _COMPRESS.compress(json.dumps(data).encode())


def decode_result(data: bytes) -> tuple[PageFetch, str, str]:
    """The fetch, its task's token and the worker's name (ValueError if it is not a result)."""
    try:
        raw = json.loads(_DECOMPRESS.decompress(data))
        item = PageFetch(**{name: raw.get(name) for name in _PLAIN})
    except (zstandard.ZstdError, json.JSONDecodeError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not a check result: {exc}") from None
    if raw.get("raw") is not None:
        item.raw = base64.b64decode(raw["raw"])
    if raw.get("headers") is not None:
        item.headers = [tuple(pair) for pair in raw["headers"]]
    return item, str(raw.get("token", "")), str(raw.get("worker", ""))


def rules_key(config: dict[str, Any]) -> str:
    """The key of the config's site rules, as the extraction pipeline salts learnt regions with it."""
    rules = json.dumps({k: config.get(k) for k in ("sites", "rules")}, sort_keys=True, default=str)
    return hashlib.sha256(rules.encode()).hexdigest()[:8]
