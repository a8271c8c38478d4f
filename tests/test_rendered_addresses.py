"""With ``block_private_addresses`` the browser reaches only addresses editwatch checked: real Chromium,
behind the crawler's SOCKS5 proxy, sites on 127.0.0.1 and 127.0.0.2 (which stand for a public and a
private address: no test reaches beyond this machine)."""

from __future__ import annotations

import asyncio
import os

import pytest
from scrapy.settings import Settings

from crawler.rendering.browser import playwright_settings
from crawler.rendering.socks import CheckedProxy
from tests.app_shell_site import AppShellSite

pytestmark = pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="needs chromium")

FETCH_JS = """
fetch('/api/story.json').then((r) => r.text()).then((t) => { document.getElementById('root').textContent = t; })
  .catch(() => { document.getElementById('root').textContent = 'refused'; });
"""
PAGE = '<html><body><div id="root">Loading</div><script src="/static/app.js"></script></body></html>'


def render(proxy: CheckedProxy, url: str) -> str:
    """The page's #root text once its script ran, loaded by Chromium behind ``proxy`` (or the error)."""
    from playwright.async_api import Error, async_playwright

    async def run() -> str:
        server = await proxy.start()
        launch = {**playwright_settings(Settings())["PLAYWRIGHT_LAUNCH_OPTIONS"], "proxy": {"server": server}}
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(**launch)
                try:
                    page = await browser.new_page()
                    try:
                        await page.goto(url, timeout=10_000)
                    except Error as exc:
                        return "error: " + str(exc).splitlines()[0]
                    await page.wait_for_function("document.getElementById('root').textContent != 'Loading'")
                    return await page.text_content("#root")
                finally:
                    await browser.close()
        finally:
            await proxy.close()

    return asyncio.run(run())


def test_the_browser_connects_where_the_proxy_resolved_a_name_not_where_it_would():
    # news.rebind.test has no address but the one the proxy gives it: the browser never resolved it.
    with AppShellSite() as site:
        site.serve("news/x", PAGE)
        site.serve("static/app.js", FETCH_JS, "js")
        site.serve("api/story.json", '"the story"', "json")

        async def resolve(host: str, port: int) -> list[str]:
            return ["127.0.0.1"] if host == "news.rebind.test" else []

        proxy = CheckedProxy(resolve, refuses=lambda address: None)
        port = site.url("").rsplit(":", 1)[1].rstrip("/")
        assert render(proxy, f"http://news.rebind.test:{port}/news/x") == '"the story"'
        assert site.hits["/api/story.json"] == 1


def test_a_name_that_rebinds_to_a_private_address_is_refused_on_its_second_lookup():
    # The name answers "public" (127.0.0.1 here), then "private" (127.0.0.2): the page loads, and its
    # script's request, on a new connection (the sites close each one), is refused before it reaches
    # 127.0.0.2.
    with AppShellSite() as public:
        public.serve("news/x", PAGE)
        public.serve("static/app.js", FETCH_JS, "js")
        port = int(public.url("").rsplit(":", 1)[1].rstrip("/"))
        with AppShellSite(bind=("127.0.0.2", port)) as private:
            private.serve("api/story.json", '"the router admin page"', "json")

            async def resolve(host: str, port: int) -> list[str]:
                # Once the page and its script were served, the name answers the private address.
                return ["127.0.0.2"] if public.hits["/static/app.js"] else ["127.0.0.1"]

            proxy = CheckedProxy(resolve, refuses=lambda a: "a private address" if a == "127.0.0.2" else None)
            assert render(proxy, f"http://news.rebind.test:{port}/news/x") == "refused"
            assert sum(private.hits.values()) == 0
            assert "news.rebind.test: a private address" in proxy.refused


def test_behind_the_proxy_the_browser_reaches_no_loopback_host():
    with AppShellSite() as site:
        site.serve("news/x", PAGE)
        for host in ("127.0.0.1", "localhost"):
            proxy = CheckedProxy()  # the system's resolver, the fetch policy's address rule
            assert render(proxy, site.url("news/x").replace("127.0.0.1", host)).startswith("error: ")
            assert proxy.refused and "a loopback address" in proxy.refused[0]
        assert site.hits["/news/x"] == 0


# Starts the download handler's browser in a crawler of its own (a process with Scrapy's asyncio reactor).
HANDLER_SCRIPT = """
import asyncio, sys
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy import Spider
from scrapy.utils.test import get_crawler
from twisted.internet import reactor
from twisted.internet.defer import Deferred
from crawler.rendering.handler import RenderingDownloadHandler

async def main():
    crawler = get_crawler(Spider, {"EDITWATCH_BLOCK_PRIVATE_ADDRESSES": sys.argv[1] == "on"})
    handler = RenderingDownloadHandler(crawler)
    await handler._started_browser()
    print(handler._browser.config.launch_options.get("proxy"))
    await handler.close()

reactor.callWhenRunning(lambda: Deferred.fromFuture(asyncio.ensure_future(main())).addBoth(lambda _: reactor.stop()))
reactor.run()
"""


@pytest.mark.parametrize("block_private", ["on", "off"])
def test_the_crawler_launches_its_browser_behind_the_proxy_only_with_block_private_addresses(block_private):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", HANDLER_SCRIPT, block_private],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    printed = out.stdout.strip().splitlines()[-1]
    if block_private == "on":
        assert printed.startswith("{'server': 'socks5://127.0.0.1:"), out.stdout + out.stderr
    else:
        assert printed == "None", out.stdout + out.stderr
