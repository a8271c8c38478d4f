"""How long reading and deciding on a big listing takes (it runs on the daemon's event loop).

Run from the repository root::

    python -m benchmarks.discovery

Builds a news sitemap, a plain sitemap and an RSS feed of realistic article URLs
(tracking parameters and all), then times :func:`parse_listing` and
:func:`plan_poll` (canonicalization, filters, age) on each: parsing best of three, deciding on the
first poll of the source (cold URL cache) and on the next ones.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from crawler.discovery import parse_listing
from crawler.items import SourceFetch
from crawler.urls import canonicalize_url
from monitor.sources.plan import plan_poll
from monitor.sources.policy import DiscoveryPolicy
from storage import Source, clock

BASE = "https://news.example.com"


def _urls(count: int) -> list[tuple[str, datetime]]:
    now = datetime.now(UTC)
    out = []
    for n in range(count):
        when = now - timedelta(minutes=7 * n)
        out.append(
            (f"{BASE}/{when:%Y/%m/%d}/council-approves-budget-plan-{n}?utm_source=rss&utm_medium=feed", when)
        )
    return out


def news_sitemap(count: int) -> bytes:
    urls = "".join(
        f"<url><loc>{url.replace('&', '&amp;')}</loc><news:news><news:publication_date>{when.isoformat()}"
        f"</news:publication_date><news:title>Story {n}</news:title></news:news></url>"
        for n, (url, when) in enumerate(_urls(count))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def plain_sitemap(count: int) -> bytes:
    urls = "".join(f"<url><loc>{url.replace('&', '&amp;')}</loc></url>" for url, _ in _urls(count))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def rss(count: int) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{url.replace('&', '&amp;')}</link>"
        f"<pubDate>{format_datetime(when)}</pubDate></item>"
        for n, (url, when) in enumerate(_urls(count))
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>'.encode()


def _nothing_known(urls: list[str]) -> dict:
    return {}


def _best(run, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="URLs in each sitemap (default 50000)")
    parser.add_argument("--feed-size", type=int, default=100, help="entries in the feed (default 100)")
    args = parser.parse_args()
    source = Source(
        id=1, url=f"{BASE}/sitemap.xml", kind=None, title=None, label=None, interval_seconds=600,
        include_pattern=None, exclude_pattern=r"/video/", links_selector=None, live_blogs=False,
        added_at=clock.now_text(), etag=None, last_modified=None, children={}, last_polled_at=None,
        last_success_at=None, last_error=None, consecutive_failures=0, listed=None, next_poll_at=None,
        lease_until=None,
    )  # fmt: skip
    policy = DiscoveryPolicy()
    print(f"{'listing':<16} {'URLs':>7} {'bytes':>10} {'parse':>9} {'decide':>9} {'again':>9}  outcome")
    for name, body in (
        ("news sitemap", news_sitemap(args.size)),
        ("plain sitemap", plain_sitemap(args.size)),
        ("RSS feed", rss(args.feed_size)),
    ):
        parse_time, listing = _best(lambda body=body: parse_listing(body, source.url, "application/xml"))
        fetch = SourceFetch(
            source_id=1, url=source.url, fetched_at=clock.now_text(), status=200, listing=listing
        )
        canonicalize_url.cache_clear()  # the first poll of a source, then the next ones
        first_time, plan = _best(
            lambda f=fetch: plan_poll(f, source, policy, clock.utcnow(), _nothing_known), 1
        )
        again_time, _ = _best(lambda f=fetch: plan_poll(f, source, policy, clock.utcnow(), _nothing_known))
        counts: Counter = plan.counts
        print(
            f"{name:<16} {len(listing.links):>7} {len(body):>10} {parse_time * 1000:>7.0f}ms"
            f" {first_time * 1000:>7.0f}ms {again_time * 1000:>7.0f}ms  {len(plan.poll.articles)} to watch,"
            f" {counts['old']} too old, {counts['deferred']} left for later"
        )


if __name__ == "__main__":
    main()
