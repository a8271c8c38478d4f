"""The shortcuts that make checks cheap must never hide an edit or lose a page.

- the article region's fingerprint ignores chrome but changes with every kind of edit;
- a page whose region matches is recorded as unchanged without being extracted;
- raw pages stored as zstd deltas read back byte for byte, even after the page they
  were compressed against lost its own watch;
- a check of many watches split over worker processes records and reports every one;
- garbage collection is tuned while the crawler runs, and left as it was after.
"""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from crawler.extraction.region import RegionRecipe, learn_region, region_fingerprint
from crawler.items import PageFetch
from crawler.pipelines.article import ExtractArticlePipeline
from monitor.changes.pipeline import RecordCheckPipeline
from monitor.daemon.crawl import check_watches
from monitor.daemon.schedule import SchedulePolicy
from monitor.demo.site import EDIT_KINDS, NewsSite
from monitor.demo.templates import TEMPLATES
from storage import CheckResult, NewVersion, Store, clock


def _page(site: NewsSite, slug: str) -> str:
    return site._page(f"/{slug}", {})[2].decode()


@pytest.mark.parametrize("template", TEMPLATES)
def test_region_fingerprint_ignores_chrome_and_sees_every_edit(template: str) -> None:
    site = NewsSite.generated(len(TEMPLATES), seed=3)
    slug = next(s.slug for s in site.stories.values() if s.template == template)
    for kind in EDIT_KINDS:
        page = _page(site, slug)
        learned = learn_region(page, extract_article(page, site.url(slug)))
        assert learned is not None, f"{template}: no region learnt"
        recipe, fingerprint = learned
        assert RegionRecipe.from_json(recipe.to_json()) == recipe
        # The chrome changes on every request; the article's region does not.
        for _ in range(3):
            assert region_fingerprint(_page(site, slug), recipe) == fingerprint
        site.edit(slug, kind)
        edited = _page(site, slug)
        assert region_fingerprint(edited, recipe) != fingerprint, f"{template}: {kind} unseen"
        # Learning the edited page from where the region was gives what a fresh search gives.
        article = extract_article(edited, site.url(slug))
        assert learn_region(edited, article, hint=recipe) == learn_region(edited, article)


def test_no_region_without_the_article_on_the_page() -> None:
    site = NewsSite.generated(1, seed=3)
    slug = next(iter(site.stories))
    page = _page(site, slug)
    article = extract_article(page, site.url(slug))
    article.body = [*article.body, "A paragraph this page does not show anywhere at all."]
    assert learn_region(page, article) is None


def _fetch(site: NewsSite, slug: str, watch_id: int) -> PageFetch:
    raw = site._page(f"/{slug}", {})[2]
    url = site.url(slug)
    item = PageFetch(watch_id=watch_id, url=url, fetched_at=clock.now_text(), final_url=url, status=200)
    item.raw, item.html = raw, raw.decode()
    return item


def test_unchanged_region_skips_extraction_until_the_article_changes(tmp_path) -> None:
    site = NewsSite.generated(2, seed=5)
    slug = next(iter(site.stories))
    db = tmp_path / "editwatch.db"
    store = Store(db)
    watch, _ = store.watches.add(site.url(slug))
    extract = ExtractArticlePipeline(store=Store(db))
    record = RecordCheckPipeline(Store(db), SchedulePolicy())

    first = record.process_item(extract.process_item(_fetch(site, slug, watch.id)))
    assert first.outcome == "new_version" and store.regions.for_check(watch.id) is not None

    again = extract.process_item(_fetch(site, slug, watch.id))
    assert again.article is None and again.same_region_as == store.versions.latest(watch.id).content_hash
    assert record.process_item(again).outcome == "unchanged"

    site.edit(slug, "insert_paragraph")
    edited = extract.process_item(_fetch(site, slug, watch.id))
    assert edited.same_region_as is None and edited.article is not None
    assert record.process_item(edited).outcome == "new_version"
    # The region now stands for the new version: the next fetch is cheap again.
    assert extract.process_item(_fetch(site, slug, watch.id)).same_region_as is not None
    outcomes = [c["outcome"] for c in store.checks.recent(watch.id)]
    assert outcomes == ["new_version", "unchanged", "new_version"]

    # A region read with the request (many at once) is the one used: read as none, the page is extracted.
    regions = store.regions.for_checks([watch.id])
    carried = _fetch(site, slug, watch.id)
    carried.region_read, carried.stored_region = True, regions.get(watch.id)
    assert extract.process_item(carried).same_region_as == store.versions.latest(watch.id).content_hash
    unread = _fetch(site, slug, watch.id)
    unread.region_read = True
    assert extract.process_item(unread).same_region_as is None and unread.article is not None


def _version(page: bytes, url: str) -> NewVersion:
    return NewVersion(
        fetched_at=clock.now_text(),
        url=url,
        content_hash=page.hex()[-16:],
        headline="Headline",
        byline=[],
        published=None,
        modified=None,
        body=["Body."],
        extractor="page",
        raw_page=page,
    )


def test_pages_are_deltas_that_read_back_after_their_base_is_gone(tmp_path) -> None:
    site = NewsSite.generated(2, seed=9)
    one, two = list(site.stories)
    with Store(tmp_path / "editwatch.db") as store:
        first, _ = store.watches.add(site.url(one) + "?a")
        second, _ = store.watches.add(site.url(one) + "?b")
        pages = [_page(site, one).encode(), _page(site, two).encode(), _page(site, one).encode()]
        results = [
            store.checks.record(
                CheckResult(w.id, clock.now_text(), "new_version", new_version=_version(p, w.url))
            )
            for w, p in ((first, pages[0]), (second, pages[1]), (second, pages[2]))
        ]
        codecs = [
            store.query("SELECT codec FROM pages WHERE hash = ?", (r.version.page_hash,))[0][0]
            for r in results
        ]
        assert codecs == [
            "zstd",
            "zstd-delta",
            "zstd-delta",
        ]  # the second watch's first page: against the site's
        sizes = [
            store.query("SELECT length(data) FROM pages WHERE hash = ?", (r.version.page_hash,))[0][0]
            for r in results
        ]
        assert sizes[2] < sizes[0] / 5
        store.watches.remove(first.id)
        for result, page in zip(results[1:], pages[1:], strict=True):
            assert store.versions.raw_page(result.version) == page


def test_a_parallel_check_records_and_reports_every_watch(tmp_path) -> None:
    with NewsSite.generated(6, sites=3, seed=2) as site:
        db = tmp_path / "editwatch.db"
        with Store(db) as store:
            ids = [store.watches.add(site.url(slug))[0].id for slug in site.stories]
        reported = []
        config = {"fetch": {"delay_seconds": 0, "retries": 0, "timeout_seconds": 30}}
        check_watches(
            str(db), config, ids, lambda item: reported.append((item.watch_id, item.outcome)), workers=2
        )
        assert sorted(reported) == [(i, "new_version") for i in ids]
        with Store(db) as store:
            assert sum(store.versions.count(i) for i in ids) == len(ids)


def test_garbage_collection_is_tuned_while_checking_and_restored_after(tmp_path) -> None:
    import gc

    with NewsSite.generated(2, sites=1, seed=4) as site:
        db = tmp_path / "editwatch.db"
        with Store(db) as store:
            ids = [store.watches.add(site.url(slug))[0].id for slug in site.stories]
        before = (gc.get_threshold(), gc.get_freeze_count())
        during = []
        check_watches(
            str(db),
            {"fetch": {"delay_seconds": 0}},
            ids,
            lambda item: during.append((gc.get_threshold()[0], gc.get_freeze_count() > 0, item.outcome)),
            workers=1,
        )
        # Start-up's objects frozen and young collections rarer during the crawl; all as it was after.
        assert during == [(10_000, True, "new_version")] * len(ids)
        assert (gc.get_threshold(), gc.get_freeze_count()) == before
