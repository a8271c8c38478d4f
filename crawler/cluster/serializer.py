"""JSON for scrapy-redis's request queue (its ``SCHEDULER_SERIALIZER``), bytes kept as base64."""

from __future__ import annotations

import base64
import json
from typing import Any


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {
            ("__b:" + k.decode("latin-1")) if isinstance(k, bytes) else k: _encode(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b"}:
            return base64.b64decode(value["__b"])
        return {
            (k[4:].encode("latin-1") if k.startswith("__b:") else k): _decode(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj: Any) -> str:
    """A request dict as JSON."""
    return json.dumps(_encode(obj))


def loads(data: str | bytes) -> Any:
    """A request dict from JSON."""
    return _decode(json.loads(data))
