"""The static pages' download handler holds its connections to the fetch policy itself, not only the
downloader middleware in front of it: a name whose answer changed since the middleware's check (DNS
rebinding) or any other way past the middleware still cannot reach a private address."""

from __future__ import annotations

import asyncio

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from twisted.python.failure import Failure

from crawler.crawl_settings import crawl_settings
from crawler.failures import describe_failure
from crawler.http_download import StaticDownloadHandler


async def _download(url: str, block_private: bool) -> tuple[int | None, str | None]:
    """Fetch ``url`` with the handler alone, no middleware in front: (status, error)."""
    settings = crawl_settings({"fetch": {"block_private_addresses": block_private}}, "", pipelines={})
    handler = StaticDownloadHandler(Crawler(Spider, settings))
    try:
        response = await handler.download_request(Request(url, meta={"download_timeout": 5}))
    except Exception as exc:
        return None, describe_failure(Failure(exc))[0]
    finally:
        await handler.close()
    return response.status, None


def test_connections_to_private_addresses_are_refused_by_the_handler_itself(news_site):
    story = next(iter(news_site.stories))
    url = news_site.url(story)
    by_name = url.replace("127.0.0.1", "localhost")
    assert asyncio.run(_download(url, block_private=True)) == (
        None,
        "refused: 127.0.0.1 is a loopback address ([fetch] block_private_addresses)",
    )
    assert asyncio.run(_download(by_name, block_private=True)) == (
        None,
        "refused: localhost resolves to 127.0.0.1, a loopback address ([fetch] block_private_addresses)",
    )
    # Off (the default), the same page is fetched: the setting is what refused it.
    assert asyncio.run(_download(url, block_private=False)) == (200, None)
    assert asyncio.run(_download(by_name, block_private=False)) == (200, None)
