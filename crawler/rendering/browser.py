"""How the browser is started and how long a page may take: scrapy-playwright's settings from editwatch's.

The browser is Debian's ``chromium`` (``[fetch] browser_path``), never one Playwright
downloads: headless, without its own network chatter (component updates, sync, safe
browsing), which would only cost time and CPU on every start.
"""

from __future__ import annotations

import contextlib
from typing import Any

from scrapy.settings import BaseSettings

DEFAULT_BROWSER_PATH = "/usr/bin/chromium"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    # One renderer process for all of a site's pages, not one per page: most of a rendered check's CPU
    # and memory was a renderer starting and filling its heap.
    "--process-per-site",
    "--renderer-process-limit=2",
    "--disable-site-isolation-trials",
    "--blink-settings=imagesEnabled=false",
    # Fewer processes, and less work per page: the compositor in the browser process, no zygote,
    # no experiments from field trials, no back-forward cache for pages nobody goes back to.
    "--in-process-gpu",
    "--disable-field-trial-config",
    "--disable-back-forward-cache",
    "--disable-ipc-flooding-protection",
    "--enable-low-end-device-mode",
    "--disable-breakpad",
    "--disable-lcd-text",
    "--disable-partial-raster",
    "--force-device-scale-factor=1",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,InterestFeedContentSuggestions,IsolateOrigins,site-per-process",
]


def playwright_settings(settings: BaseSettings) -> dict[str, Any]:
    """scrapy-playwright's settings for editwatch's ``EDITWATCH_BROWSER_*`` ones: one context of N pages."""
    timeout_ms = int(settings.getfloat("EDITWATCH_BROWSER_TIMEOUT", 20) * 1000)
    return {
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": settings.get("EDITWATCH_BROWSER_PATH") or DEFAULT_BROWSER_PATH,
            "headless": True,
            "args": CHROMIUM_FLAGS,
            "timeout": timeout_ms,
        },
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": max(1, settings.getint("EDITWATCH_BROWSER_PAGES", 4)),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_ms,
        "PLAYWRIGHT_CONTEXTS": {},
        # Service workers would fetch outside the page's routes; checks carry nothing between fetches.
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": "scrapy_playwright.headers.use_scrapy_headers",
    }


def context_options(settings: BaseSettings) -> dict[str, Any]:
    """The browser context every rendered page opens in."""
    return {
        "user_agent": settings.get("USER_AGENT"),
        "service_workers": "block",
        "ignore_https_errors": not settings.getbool("DOWNLOAD_VERIFY_CERTIFICATES", True),
        "java_script_enabled": True,
    }


async def settle(page: Any, timeout_ms: float) -> None:
    """Wait until the page has made no request for half a second (its article fetched and shown),
    at most ``timeout_ms``: a page that keeps polling is read as it is by then."""
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
