"""Hostnames' IDNA forms remembered, not worked out again for every request.

Twisted's HTTP client builds a new endpoint for every request, even one that reuses a kept-alive
connection, and each endpoint converts its host with the ``idna`` package (pure Python, label by
label checks). A crawl asks the same few hosts again and again, so the answers are cached; a
host that cannot be converted still raises every time (exceptions are not cached).
"""

from __future__ import annotations

from functools import lru_cache

# Enough for the hosts of a large watch list; an unbounded cache would grow with discovery.
HOSTS_KEPT = 4096


def install() -> None:
    """Cache Twisted's hostname conversions, with Scrapy's fallbacks for names ``idna`` rejects."""
    from scrapy.core.downloader import _idna_patch
    from twisted.internet import _idna, _resolver, _sslverify, endpoints

    to_bytes = lru_cache(maxsize=HOSTS_KEPT)(_idna_patch._patched_idna_bytes)
    to_text = lru_cache(maxsize=HOSTS_KEPT)(_idna_patch._patched_idna_text)
    for module in (_idna, _resolver, _sslverify, endpoints):
        if hasattr(module, "_idnaBytes"):
            module._idnaBytes = to_bytes
        if hasattr(module, "_idnaText"):
            module._idnaText = to_text
