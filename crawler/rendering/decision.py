"""Which sites are rendered: the user's rule, else the crawler's own decision, tried once per site.

A site is rendered when a rule says ``render = "browser"``, or when the crawler decided so:
a check whose static page gave no article, and looked like an application shell
(:mod:`.shell`), is fetched again in the browser, once for the site; if the rendered page
gives the article the site is rendered from then on, else it stays static and is not tried
again. A trial whose page did not load (the browser timed out, crashed or could not start) is
no decision: the site is tried again at a later check, at most :data:`MAX_FAILED_TRIALS` times,
after which it stays static; the count is stored (``render_trials``), so that a restart does
not begin it again. Each decision is stored (``render_decisions``) with the watch whose check
made it.
``render = "static"`` keeps a site out of the browser whatever its pages look like.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem

from crawler.rendering import RENDER_META, TRIAL_META
from crawler.rendering.shell import looks_like_app_shell
from crawler.rendering.subrequests import site_of
from storage.errors import StorageError
from storage.render_decisions import BROWSER, STATIC

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.extraction.rules import SiteRules
    from crawler.items import PageFetch
    from storage import Store

logger = logging.getLogger("editwatch.rendering")

# Decisions are re-read this often, so that one made by another process is followed soon.
DECISIONS_TTL_SECONDS = 60
# Trials of a site whose page did not load in the browser, before it stays static.
MAX_FAILED_TRIALS = 3
SETTING = "EDITWATCH_RENDER_AUTOMATICALLY"


def host_site(url: str) -> str:
    """The site a URL's decision is kept under: its host without ``www.``."""
    return site_of(urlsplit(url).hostname or "")


class RenderChoice:
    """Whether a watch's URL is fetched in the browser: the site rule's word, else the stored decision."""

    def __init__(self, rules: SiteRules, store: Store | None, automatic: bool = True, browser_path: str = ""):
        self.rules = rules
        self.store = store
        self.automatic = automatic and bool(browser_path) and os.access(browser_path, os.X_OK)
        self._decisions: dict[str, tuple[str | None, float]] = {}  # site -> (mode, read at)
        self._failed_trials: dict[str, int] = {}  # site -> trials whose page did not load, when not stored

    def rule_mode(self, url: str) -> str | None:
        """What the user's rule for ``url`` says ("browser", "static"), if it says anything."""
        rule = self.rules.for_url(url) if self.rules else None
        return rule.render if rule is not None else None

    def decided_mode(self, url: str) -> str | None:
        """The stored decision for the URL's site (cached for a minute)."""
        if self.store is None:
            return None
        site = host_site(url)
        cached = self._decisions.get(site)
        now = time.monotonic()
        if cached is not None and now - cached[1] < DECISIONS_TTL_SECONDS:
            return cached[0]
        try:
            decision = self.store.render_decisions.get(site)
        except StorageError:
            return cached[0] if cached else None
        mode = decision.mode if decision is not None else None
        self._decisions[site] = (mode, now)
        return mode

    def renders(self, url: str) -> bool:
        """Whether the page at ``url`` is fetched in the browser."""
        return (self.rule_mode(url) or self.decided_mode(url)) == BROWSER

    def may_try(self, url: str) -> bool:
        """Whether a failed static page of this site may be tried in the browser (never decided yet)."""
        return self.automatic and self.rule_mode(url) is None and self.decided_mode(url) is None

    def count_failed_trial(self, url: str, error: str) -> int:
        """Count a trial of the URL's site whose page did not load (stored); the count so far."""
        site = host_site(url)
        if self.store is not None:
            try:
                return self.store.render_decisions.count_failed_trial(site, error)
            except StorageError as exc:
                logger.warning("cannot store a failed trial of %s: %s", site, exc)
        self._failed_trials[site] = self._failed_trials.get(site, 0) + 1
        return self._failed_trials[site]

    def remember(self, url: str, mode: str, watch_id: int, reason: str) -> None:
        """Store the site's decision."""
        site = host_site(url)
        self._decisions[site] = (mode, time.monotonic())
        if self.store is None:
            return
        try:
            self.store.render_decisions.decide(site, mode, watch_id, reason)
        except StorageError as exc:
            logger.warning("cannot store how %s is fetched: %s", site, exc)


class RenderTrials:
    """Hands an application shell that gave no article to the browser, once per site, and judges the result.

    Called by the extraction pipeline after each extraction. The static fetch's item is
    dropped and the watch fetched again, rendered: the check recorded is the rendered one.
    """

    def __init__(self, crawler: Crawler, choice: RenderChoice):
        self.crawler = crawler
        self.choice = choice

    def after_extraction(self, item: PageFetch, problem: str | None) -> None:
        """``problem`` is why the page gave no article (None: it gave one). May raise :class:`DropItem`."""
        url = item.url  # the watched URL: the one requests are made for, decided by its site
        if item.rendered and problem is not None and item.error is None and item.status == 200:
            # Said in the check's error: the page was read as a browser shows it, and still had no article.
            item.extraction_error = f"{problem} (rendered in a browser)"
        if item.render_trial:
            self._judge(item, url, problem)
            return
        if item.rendered or problem is None or item.html is None or not self.choice.may_try(url):
            return
        if not looks_like_app_shell(item.html):
            return
        spider = self.crawler.spider
        store = getattr(spider, "store", None)
        if self.crawler.engine is None or store is None or not hasattr(spider, "request_for"):
            return
        request = spider.request_for(store.watches.get(item.watch_id))
        request.meta[RENDER_META] = True
        request.meta[TRIAL_META] = True
        request.meta["validators"] = {}
        logger.info("%s %s: an application shell without an article; rendering it", item.watch_id, item.url)
        self.crawler.engine.crawl(request)
        raise DropItem(f"{item.url}: rendered instead", log_level="DEBUG")

    def _judge(self, item: PageFetch, url: str, problem: str | None) -> None:
        site = host_site(url)
        if item.error is not None or item.status != 200:
            # The page did not load in the browser: nothing was learnt about the site's pages.
            why = item.error or f"HTTP {item.status}"
            failed = self.choice.count_failed_trial(url, why)
            if failed < MAX_FAILED_TRIALS:
                logger.info(
                    "%s: the rendered page did not load (%s); tried again at a later check", site, why
                )
                return
            reason = f"the rendered page did not load in {failed} trials (last: {why})"
            self.choice.remember(url, STATIC, item.watch_id, reason)
            logger.info("%s stays static: %s", site, reason)
            return
        if problem is None and item.rendered:
            reason = (
                "its pages are application shells: the static page gave no article, the rendered page did"
            )
            self.choice.remember(url, BROWSER, item.watch_id, reason)
            logger.info("%s is read in a browser from now on (%s)", site, reason)
            return
        why = problem or "no article"
        self.choice.remember(url, STATIC, item.watch_id, f"the rendered page gave no article either ({why})")
        logger.info("%s stays static: the rendered page gave no article either (%s)", site, why)


def render_choice(settings, store: Store | None) -> RenderChoice:
    """The crawl's :class:`RenderChoice`: the config's site rules, the stored decisions, the settings."""
    from crawler.config import load_config, site_rules

    config = settings.get("EDITWATCH_CONFIG")
    if config is None:  # started by `scrapy crawl`: read editwatch.toml itself
        config = load_config()
    return RenderChoice(
        site_rules(config),
        store,
        automatic=settings.getbool(SETTING, True),
        browser_path=settings.get("EDITWATCH_BROWSER_PATH") or "",
    )


def render_problem(item: PageFetch) -> str | None:
    """Why a fetch gave no article, as far as the page alone tells (None: it gave one)."""
    from crawler.snapshot.judging import page_quality_problem

    if item.error:
        return item.error
    if item.status != 200:
        return f"HTTP {item.status}"
    return item.extraction_error or page_quality_problem(item.article)
