"""The shortcuts on every request's path keep Scrapy's behaviour: a proxy named in the environment is
still used."""

from __future__ import annotations

from crawler.crawl_settings import crawl_settings

PROXY = "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"


def test_the_proxy_middleware_runs_only_when_the_environment_names_a_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert PROXY not in crawl_settings({}, "", pipelines={}).getdict("DOWNLOADER_MIDDLEWARES")
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    assert PROXY in crawl_settings({}, "", pipelines={}).getdict("DOWNLOADER_MIDDLEWARES")
