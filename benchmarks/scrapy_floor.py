"""What a request costs in Scrapy itself, beside what an unchanged editwatch check costs, on one host.

The demo news site serves ``--articles`` pages (50–56 KB, chrome that changes on every
request) from one loopback host, in its own process. Each setup below fetches every page
once in a fresh process, with no pause between requests and 16 at a time, and reports the
CPU per request at the margin: the process CPU between the tenth of the responses and the
last, divided by the responses in between (start-up and the first connections left out):

- ``bare``: Scrapy with no downloader or spider middleware, no extension, no stats, a
  callback that does nothing: the least a request costs in Scrapy on this machine;
- ``scrapy defaults``: the same spider with Scrapy's default components (cookies and stats
  among them; robots.txt not read);
- ``editwatch's crawl``: the same spider with the settings of editwatch's crawls (its
  politeness, robots.txt, address rules, retries, redirects, rendering handler), no pipeline;
- ``editwatch check``: ``check_watches`` (what ``editwatch check`` runs) over the same pages,
  already stored once: each is an unchanged check, from request to recorded check.

The setups run in interleaved rounds (the machine's own drift touches all of them alike) and
the medians are printed. Asserts nothing.

    python benchmarks/scrapy_floor.py [--articles 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import PYTHON, Site, editwatch, editwatch_env, load_average

SETUPS = ("bare", "scrapy defaults", "editwatch's crawl", "editwatch check")
LIFTED = {"delay_seconds": 0, "per_domain": 16}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=18800)
    parser.add_argument("--one", nargs=3, metavar=("SETUP", "URLS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(*args.one)))
        return
    print(f"load average before: {load_average()}")
    site = Site(args.articles, 1, args.port)
    work = Path(tempfile.mkdtemp(prefix="editwatch-floor-"))
    try:
        urls = work / "urls.txt"
        urls.write_text("".join(s["url"] + "\n" for s in site.stories()))
        db = work / "editwatch.db"
        (work / "editwatch.toml").write_text("[fetch]\ndelay_seconds = 0\nper_domain = 16\n")
        editwatch("import", "urls.txt", db=db, cwd=work)
        editwatch("check", db=db, cwd=work)  # the first versions: every check after is unchanged
        costs: dict[str, list[float]] = {setup: [] for setup in SETUPS}
        for number in range(args.rounds):
            for setup in SETUPS:
                run = subprocess.run(
                    [PYTHON, str(Path(__file__).resolve()), "--one", setup, str(urls), str(db)],
                    cwd=work,
                    env=editwatch_env(db),
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if run.returncode:
                    print(f"{setup}: failed: {run.stderr.strip()[-600:]}")
                    continue
                result = json.loads(run.stdout.strip().splitlines()[-1])
                costs[setup].append(result["ms"])
                print(
                    f"round {number + 1}: {setup:18} {result['ms']:.2f} ms a request ({result['responses']} responses)"
                )
        print(f"\nload average after: {load_average()}")
        print(
            f"\nCPU per request at the margin, median of {args.rounds} interleaved rounds ({args.articles} pages):"
        )
        floor = statistics.median(costs["bare"]) if costs["bare"] else None
        for setup in SETUPS:
            if not costs[setup]:
                continue
            median = statistics.median(costs[setup])
            above = (
                f" (bare Scrapy + {median - floor:.2f} ms)" if floor is not None and setup != "bare" else ""
            )
            print(f"  {setup:18} {median:.2f} ms{above}")
    finally:
        site.stop()


def _one(setup: str, urls_file: str, db: str) -> dict:
    """Run one setup in this (fresh) process; the CPU per response at the margin."""
    urls = Path(urls_file).read_text().split()
    done: list[float] = []
    if setup == "editwatch check":
        from crawler.config import load_config
        from monitor.daemon.crawl import check_watches
        from storage import Store

        with Store(db) as store:
            ids = [watch.id for watch in store.watches.all()]
        check_watches(db, load_config(), ids, lambda item: done.append(time.process_time()), workers=1)
    else:
        _crawl(setup, urls, db, done)
    skip = len(done) // 10
    return {"ms": (done[-1] - done[skip]) / max(len(done) - skip - 1, 1) * 1e3, "responses": len(done)}


def _crawl(setup: str, urls: list[str], db: str, done: list[float]) -> None:
    import scrapy
    from scrapy.crawler import AsyncCrawlerProcess

    class Fetch(scrapy.Spider):
        name = "fetch"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True, callback=self.fetched)

        def fetched(self, response):
            done.append(time.process_time())

    common = {
        "LOG_LEVEL": "WARNING",
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 256,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "TELNETCONSOLE_ENABLED": False,
    }
    if setup == "editwatch's crawl":
        from crawler.crawl_settings import crawl_settings

        # A copy of the database: robots.txt is read from and stored where checks are.
        settings = crawl_settings({"fetch": LIFTED}, db, pipelines={})
    elif setup == "scrapy defaults":
        settings = {**common, "ROBOTSTXT_OBEY": False}
    else:
        settings = {
            **common,
            "DOWNLOADER_MIDDLEWARES_BASE": {},
            "SPIDER_MIDDLEWARES_BASE": {},
            "EXTENSIONS_BASE": {},
            "STATS_CLASS": "scrapy.statscollectors.DummyStatsCollector",
            "REMOTE_CONTROL_ENABLED": False,
            "CONCURRENT_ITEMS": 1,
        }
    process = AsyncCrawlerProcess(settings)
    process.crawl(Fetch)
    process.start()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
