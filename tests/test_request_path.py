"""The shortcuts on every request's path keep Scrapy's behaviour: hostnames convert as before, and a
proxy named in the environment is still used."""

from __future__ import annotations

import pytest

from crawler.crawl_settings import crawl_settings

PROXY = "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"


def test_the_proxy_middleware_runs_only_when_the_environment_names_a_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert PROXY not in crawl_settings({}, "", pipelines={}).getdict("DOWNLOADER_MIDDLEWARES")
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    assert PROXY in crawl_settings({}, "", pipelines={}).getdict("DOWNLOADER_MIDDLEWARES")


def test_hostnames_convert_as_before_and_are_remembered():
    from twisted.internet import endpoints

    import crawler.downloader  # noqa: F401  (installs the cache)

    assert endpoints._idnaBytes("bücher.example") == b"xn--bcher-kva.example"
    assert endpoints._idnaBytes("under_score.example") == b"under_score.example"  # Scrapy's fallback
    assert endpoints._idnaText(b"xn--bcher-kva.example") == "bücher.example"
    with pytest.raises(UnicodeError):
        endpoints._idnaBytes("bad host.example")
    endpoints._idnaBytes("bücher.example")
    assert endpoints._idnaBytes.cache_info().hits >= 1
