"""CPU per request of a download handler alone: Twisted's (HTTP11, editwatch's) beside Scrapy's aiohttp one.

The demo news site serves one 50-56 KB page in its own process; each handler fetches it in a
loop on the asyncio reactor (``download_request``, no middleware, no engine), ``--requests``
requests per run, 5 runs per round, the two handlers alternated for ``--rounds`` rounds so that
both see the same machine. Prints each round's best and median CPU per request; asserts nothing.

    python benchmarks/download_handler.py [--rounds 3] [--requests 400]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import PYTHON, Site, editwatch_env

HANDLERS = {
    "twisted": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
    "aiohttp": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--measure", nargs=3, metavar=("HANDLER", "URL", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], args.measure[1], int(args.measure[2]))
        return
    site = Site(articles=1, sites=1, port=args.port)
    try:
        url = site.stories()[0]["url"]
        for number in range(1, args.rounds + 1):
            for name in HANDLERS:
                command = [PYTHON, str(Path(__file__).resolve()), "--measure", name, url, str(args.requests)]
                run = subprocess.run(command, capture_output=True, text=True, env=editwatch_env(Path("x.db")))
                print(f"round {number} {run.stdout.strip() or run.stderr[-300:]}", flush=True)
    finally:
        site.stop()


def measure(name: str, url: str, count: int) -> None:
    """Fetch ``url`` ``count`` times per run with one handler, 5 runs after 50 to warm up."""
    from twisted.internet import asyncioreactor

    asyncioreactor.install()
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.utils.defer import deferred_from_coro
    from scrapy.utils.misc import load_object
    from twisted.internet import reactor

    from crawler.crawl_settings import crawl_settings

    async def run() -> None:
        handler = load_object(HANDLERS[name])(Crawler(Spider, crawl_settings({}, "", pipelines={})))
        try:
            for _ in range(50):
                await handler.download_request(Request(url, meta={"download_timeout": 10}))
            runs = []
            for _ in range(5):
                started = time.process_time()
                for _ in range(count):
                    response = await handler.download_request(Request(url, meta={"download_timeout": 10}))
                runs.append((time.process_time() - started) / count)
            runs.sort()
            print(
                f"{name}: CPU per request best {runs[0] * 1e6:.0f} µs, median {runs[2] * 1e6:.0f} µs"
                f" ({len(response.body):,} bytes)"
            )
        finally:
            await handler.close()
            reactor.stop()

    reactor.callWhenRunning(lambda: deferred_from_coro(run()))
    reactor.run()


if __name__ == "__main__":
    main()
