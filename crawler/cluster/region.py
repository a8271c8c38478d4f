"""The worker's extraction step: a page whose article region is unchanged is settled here.

The coordinator's task carries the region fingerprint learnt when the latest version
was shown. A page whose region has that fingerprint shows that version: the worker
marks it ``same_region_as`` it and drops the page, so that most checks travel back as
a few hundred bytes and cost the coordinator one small transaction. Any other page
(an edit, a new layout, a region too old to trust, a redirect) goes back whole and
is extracted by the coordinator, whose database holds what the site has shown to be
chrome (a tally its every extraction updates): the single writer keeps that history.
"""

from __future__ import annotations

from crawler.cluster.protocol import ClusterFetch
from crawler.extraction.region import RegionRecipe, extractor_signature, region_fingerprint
from crawler.pipelines.article import FULL_EXTRACTION_EVERY
from storage import clock


class SameRegionPipeline:
    """Mark a fetch whose article region matches the task's fingerprint, and drop its page."""

    def process_item(self, item):
        if not isinstance(item, ClusterFetch) or item.error or item.html is None or item.status != 200:
            return item
        region = item.task.region if item.task else None
        if not region or (item.final_url and item.final_url != item.url):
            return item
        try:
            recipe = RegionRecipe.from_json(region["recipe"])
        except (KeyError, ValueError, TypeError):
            return item
        learned_at = clock.from_text(region.get("learned_at"))
        if learned_at is None or clock.utcnow() - learned_at > FULL_EXTRACTION_EVERY:
            return item
        if recipe.signature != extractor_signature() + (item.task.rules_key if item.task else ""):
            return item
        if region_fingerprint(item.html, recipe) != region.get("fingerprint"):
            return item
        item.same_region_as = region.get("content_hash")
        item.html = item.raw = item.headers = None
        return item
