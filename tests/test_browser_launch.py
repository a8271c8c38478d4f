"""How Chromium is launched for rendered pages: Playwright's own features kept, and few processes."""

from __future__ import annotations

import os

import pytest

from tests.test_rendered_pages import chromium_profiles

pytestmark = pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="needs chromium")


def test_chromium_keeps_every_feature_playwright_turns_off_or_on():
    # Chromium reads only the last --disable-features and --enable-features: ours repeat Playwright's.
    import re
    from pathlib import Path

    import playwright

    from crawler.rendering.browser import CHROMIUM_FLAGS, DISABLED_FEATURES, ENABLED_FEATURES

    bundle = Path(playwright.__file__).parent / "driver/package/lib/coreBundle.js"
    block = bundle.read_text().split("disabledFeatures = [", 1)[1].split("].filter", 1)[0]
    theirs = set(re.findall(r'^\s*"([A-Za-z-]+)"', block, re.MULTILINE))
    assert "PaintHolding" in theirs and not theirs - set(DISABLED_FEATURES)
    assert [f for f in CHROMIUM_FLAGS if f.startswith("--disable-features=")] == [
        "--disable-features=" + ",".join(DISABLED_FEATURES)
    ]
    block = bundle.read_text().split("enabledFeatures = () => [", 1)[1].split("].filter", 1)[0]
    theirs = set(re.findall(r'"([A-Za-z-]+)"', block))
    assert "SkipListAccountsWithoutGaiaCookies" in theirs and not theirs - set(ENABLED_FEATURES)
    assert [f for f in CHROMIUM_FLAGS if f.startswith("--enable-features=")] == [
        "--enable-features=" + ",".join(ENABLED_FEATURES)
    ]


def test_the_browser_runs_its_pages_in_four_processes():
    # The browser (with the network service and the GPU in it), one zygote, the storage service and
    # one renderer for every page: each process more holds its own copy of much of Chromium.
    import asyncio

    from playwright.async_api import async_playwright
    from scrapy.settings import Settings

    from crawler.rendering.browser import playwright_settings

    launch = playwright_settings(Settings())["PLAYWRIGHT_LAUNCH_OPTIONS"]

    async def kinds_with_pages() -> list[str]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch)
            try:
                context = await browser.new_context()
                for n in range(3):
                    page = await context.new_page()
                    await page.set_content(f"<p>page {n}</p>")
                return sorted(chromium_kinds(own_descendants()))
            finally:
                await browser.close()

    assert asyncio.run(kinds_with_pages()) == ["browser", "renderer", "utility storage", "zygote"]


def own_descendants() -> set[int]:
    """This process's descendants."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                pass
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def chromium_kinds(pids: set[int]) -> list[str]:
    """The kind of each Chromium process among ``pids``: its --type (and utility sub-type), or browser."""
    kinds = []
    for pid in chromium_profiles() & pids:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = f.read().replace(b"\0", b" ").decode().split()
        kind = next((a.split("=", 1)[1] for a in args if a.startswith("--type=")), "browser")
        sub = next((a.split("=", 1)[1] for a in args if a.startswith("--utility-sub-type=")), "")
        kinds.append(f"{kind} {sub.split('.')[0]}" if sub else kind)
    return kinds
