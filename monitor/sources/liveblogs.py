"""Live blogs change every minute by design: discovered ones are not watched unless a source opts in.

Caught at discovery by their URL (``/live/``, ``/live-updates/``...) and, when
the URL gives nothing away, at the first fetch by their JSON-LD
(``LiveBlogPosting``). A live blog a user added by hand is watched as asked.
An opted-in live blog is checked on its own interval (``[sources]
live_blog_every``) instead of the age-based schedule, for ``[sources]
live_blog_for`` after it was discovered; then it is retired (kept, no longer
fetched) by :func:`end_live_blogs`.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.config import load_config
from crawler.discovery import live_blog_reason
from crawler.items import PageFetch
from monitor.sources.policy import DiscoveryPolicy
from storage import Store, clock
from storage.errors import NotFound

logger = logging.getLogger("editwatch.sources")

OPT_IN_HINT = "watch them with `editwatch sources add URL --live-blogs` or [sources] live_blogs = true"


class LiveBlogPipeline:
    """Drop a discovered watch whose first fetch shows a live blog, recording why on its sources."""

    def __init__(self, store: Store, policy: DiscoveryPolicy):
        self.store = store
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LiveBlogPipeline:
        config = crawler.settings.get("EDITWATCH_CONFIG")
        if config is None:
            config = load_config()
        return cls(Store(crawler.settings.get("EDITWATCH_DB")), DiscoveryPolicy.from_config(config))

    def close_spider(self, spider=None) -> None:
        self.store.close()

    def process_item(self, item):
        if not isinstance(item, PageFetch) or item.outcome or item.error or item.article is None:
            return item
        reason = (
            "live blog (LiveBlogPosting)"
            if item.article.is_live_blog
            else live_blog_reason(item.final_url or item.url)
        )
        if reason is None:
            return item
        try:
            watch = self.store.watches.get(item.watch_id)
        except NotFound:
            return item
        if watch.source is None:
            return item  # added by hand: the user asked for this page
        if self.policy.live_blogs or any(s.live_blogs for s in self.store.sources.producing(watch.id)):
            until = clock.later(self.policy.live_blog_for, clock.from_text(watch.added_at))
            if self.store.live_blogs.follow(watch.id, reason, until, int(self.policy.live_blog_every)):
                logger.info(
                    "%s %s: %s: followed until %s", watch.id, watch.url, reason, until[:16].replace("T", " ")
                )
            return item
        if self.store.versions.count(watch.id):
            return item  # followed as an article before it turned live: keep its history going
        self.store.sources.unwatch(watch.id, reason)
        item.outcome = "skipped"
        item.message = f"not watched: {reason}; {OPT_IN_HINT}"
        logger.info("%s %s: %s", watch.id, watch.url, item.message)
        return item


def end_live_blogs(store: Store) -> None:
    """Retire the followed live blogs whose time is up (the daemon and ``sources check`` call this)."""
    for watch_id, url in store.live_blogs.end_due():
        logger.info(
            "%s %s: live blog followed for its time: retired (kept, no longer fetched)", watch_id, url
        )
