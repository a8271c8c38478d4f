"""The daemon discovers: a site publishing a story every second or two, polled through its feeds,
sitemap and section page, ends up with exactly one watch per story, each with its first version."""

from __future__ import annotations

import json
import time

from monitor.demo.site import NewsSite
from storage import Store
from tests.daemon_process import wait_for

STORIES = 8


def _watched(db) -> dict[str, int]:
    """Watched URL -> number of versions."""
    with Store(db) as store:
        return {r["url"]: r["versions"] for r in store.watches.summaries()}


def test_every_published_story_becomes_one_watch_with_its_first_version(workspace, start_daemon):
    with NewsSite(seed=3) as site:
        with workspace.store() as store:  # (`sources add` has its own tests)
            for path, every in (("feed.xml", 1), ("atom.xml", 2), ("sitemap.xml", 2), ("news", 1)):
                store.sources.add(f"{site.base_url}/{path}", interval_seconds=every, label="kxyz")
        daemon = start_daemon()
        published = []
        for n in range(1, STORIES + 1):
            extra = {}
            if n % 3 == 0:  # also at a short URL, which the section page (and sometimes the feed) links
                short = f"/news/{40000 + n}"
                extra = {
                    "aliases": (short,),
                    "listed_url": {"section": short, "rss": short if n % 2 else None},
                }
            published.append(site.publish(n, **extra))  # aliases= and listed_url=
            time.sleep(1.2)
        urls = [site.url(story.slug) for story in published]
        wait_for(
            "a first version of every story",
            lambda: all(_watched(workspace.db).get(url, 0) >= 1 for url in urls),
            timeout=40,
        )
        # Nothing new any more: the feed answers the daemon's conditional GETs with 304.
        wait_for("a 304 for the feed", lambda: site.not_modified["feed.xml"] > 0, timeout=10)
        assert daemon.stop() == 0

    watched = _watched(workspace.db)
    # One watch per story at its canonical URL, plus the 2021 seed story the section page links
    # (undated, so not too old): no watch for a short URL or a tracking-parameter variant.
    assert sorted(watched) == sorted([*urls, site.url("russia-afghan-peace-conference")])
    sources = json.loads(workspace.run("sources", "list", "--json").stdout)
    assert all(s["last_error"] is None for s in sources), sources
    assert sum(s["created"] for s in sources) == len(watched)
    log = daemon.log
    assert "Traceback" not in log and "could not record" not in log
