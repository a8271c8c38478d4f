"""The worker's request queue: scrapy-redis's list queue, encoding requests without a search of the spider.

Scrapy's ``Request.to_dict(spider=...)`` finds a callback's name by listing every method
of the spider (``inspect.getmembers``) for the callback and again for the errback: half a
millisecond a request, a sixth of a check. A check request's callbacks are always the
spider's own bound methods, so their names are read off them directly; the dict is the one
``to_dict`` makes, and scrapy-redis decodes it as usual (``request_from_dict``).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import FifoQueue

# What a queued request may name: a check's own callbacks, and no other request class (decoding
# would import whatever class a queued entry named).
_CALLBACKS = {"page_fetched", "fetch_failed", None}


class SpiderRequestQueue(FifoQueue):
    """:class:`scrapy_redis.queue.FifoQueue` with a cheaper request encoding, decoding only check requests."""

    def _decode_request(self, encoded_request: Any) -> Request:
        data = self.serializer.loads(encoded_request)
        if not isinstance(data, dict) or "_class" in data:
            raise ValueError("not a check request")
        if data.get("callback") not in _CALLBACKS or data.get("errback") not in _CALLBACKS:
            raise ValueError("not a check request")
        return request_from_dict(data, spider=self.spider)

    def _encode_request(self, request: Request) -> Any:
        data = {
            "url": request.url,
            "callback": self._method_name(request.callback),
            "errback": self._method_name(request.errback),
            "headers": dict(request.headers),
        }
        for attr in request.attributes:
            data.setdefault(attr, getattr(request, attr))
        if type(request) is not Request:
            data["_class"] = request.__module__ + "." + request.__class__.__name__
        return self.serializer.dumps(data)

    def _method_name(self, func: Any) -> str | None:
        if func is None or isinstance(func, str):
            return func
        if getattr(func, "__self__", None) is not self.spider:
            raise ValueError(f"{func!r} is not a method of the spider: it cannot be queued in Redis")
        return func.__name__
