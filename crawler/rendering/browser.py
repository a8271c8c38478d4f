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

# Playwright 1.65's own --disable-features list: Chromium reads only the last --disable-features, so
# the one below must repeat it (tests/test_rendered_pages.py checks it against the installed driver).
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]
# What headless Chromium 156 runs for nobody: each window's omnibox popups are WebUI pages preloaded
# in a renderer of their own (70 to 80 MB); a spare renderer kept warm; a process per site.
DISABLED_FEATURES = [
    *PLAYWRIGHT_DISABLED_FEATURES,
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "PreloadTopChromeWebUI",
    "SpareRendererForSitePerProcess",
    "site-per-process",
    "IsolateOrigins",
    "Translate",
    # A new frame for every document (its widget, compositor and first frames rastered from
    # nothing, in the renderer and the browser process) cost about a quarter of a rendered check's CPU:
    # a page navigates in the frame it has, as Chromium did before.
    "RenderDocument",
]

# Playwright 1.65's own --enable-features list, repeated for the same reason; then the network service
# in the browser process rather than a process of its own (about 26 MB less, summed over processes).
PLAYWRIGHT_ENABLED_FEATURES = ["CDPScreenshotNewSurface", "SkipListAccountsWithoutGaiaCookies"]
ENABLED_FEATURES = [*PLAYWRIGHT_ENABLED_FEATURES, "NetworkServiceInProcess2"]

# Besides Playwright's own (which already turn off field trials, the back-forward cache, extensions and more).
CHROMIUM_FLAGS = [
    "--disable-features=" + ",".join(DISABLED_FEATURES),
    "--enable-features=" + ",".join(ENABLED_FEATURES),
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # One renderer process for all pages, and few processes in all: a process started per page or
    # per site cost more CPU and memory than the page itself (about 45 MB each).
    "--process-per-site",
    "--renderer-process-limit=1",
    "--disable-site-isolation-trials",
    "--in-process-gpu",
    # The second zygote, kept for unsandboxed utility processes, has none left to start once the
    # network service runs in the browser process: it would hold its own copy of Chromium (about 20 MB).
    "--no-unsandboxed-zygote",
    # Nothing is looked at: no GPU compositing, and no software GPU (SwiftShader) loaded in its place.
    "--disable-gpu-compositing",
    "--disable-software-rasterizer",
    # Less memory per page, and less painting work nobody looks at.
    "--enable-low-end-device-mode",
    "--disable-lcd-text",
    "--disable-partial-raster",
    "--force-device-scale-factor=1",
    # V8 collects a renderer's old generation for the first time only when it reaches its initial
    # limit: on pages that are reused and frozen in turn, dead documents and Playwright's scripts of
    # 40 checks piled up to that first collection (the renderer 170 MB, against 150 MB from 16 MB).
    "--js-flags=--initial-old-space-size=16",
    # Images are never requested (rather than each request stopped on its way out); the rest is
    # Playwright's own --blink-settings, which this one replaces.
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4,"
    "imagesEnabled=false",
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


# The page's size. Nobody looks at it, yet every frame is rastered and composited at this size: at
# Playwright's 1280 x 720 that was a fifth of a rendered check's CPU. As wide as a small desktop
# screen, so that sites lay the page out for a desktop, not a phone; the article is in the document
# whatever its height.
VIEWPORT = {"width": 1024, "height": 360}


def context_options(settings: BaseSettings) -> dict[str, Any]:
    """The browser context every rendered page opens in."""
    return {
        "viewport": VIEWPORT,
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
