"""What a rendered page may load: its own site's documents, scripts and data, and only where robots.txt allows.

A rendered check must stay cheap and must reach no more than a static check could:
images, media, fonts and styles do not change the article's text and are never fetched;
third-party hosts (ads, analytics, embeds) are refused, and so are the site's URLs that
its robots.txt disallows; and with ``[fetch] block_private_addresses`` only the page's
own host, whose address the crawler checked, is reached.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from crawler.fetch_policy import refusal

# Playwright's resource types that can carry the article's text or the code that shows it.
LOADED_TYPES = frozenset({"document", "script", "xhr", "fetch"})


def site_of(host: str) -> str:
    """The site a host belongs to for loading subrequests: the host without a leading ``www.``."""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(host: str, page_host: str) -> bool:
    """Whether ``host`` is the page's own host, its ``www.`` twin, or one of its subdomains."""
    site = site_of(page_host)
    host = host.lower().rstrip(".")
    return site_of(host) == site or host.endswith("." + site)


def subrequest_refusal(
    url: str,
    resource_type: str,
    page_url: str,
    *,
    child_frame: bool = False,
    block_private: bool = False,
    robots_allow: Callable[[str], bool] | None = None,
) -> str | None:
    """Why a rendered page's request for ``url`` is aborted; ``None`` when it may load."""
    if resource_type not in LOADED_TYPES:
        return f"{resource_type} not loaded"
    if resource_type == "document" and child_frame:
        return "frames not loaded"
    if refusal(url):
        return "only http and https are fetched"
    host = urlsplit(url).hostname or ""
    page_host = urlsplit(page_url).hostname or ""
    if not same_site(host, page_host):
        return f"third-party host {host}"
    if block_private and host != page_host:
        # Only the page's host had its address checked ([fetch] block_private_addresses).
        return f"{host} is not the page's host (block_private_addresses)"
    if robots_allow is not None and not robots_allow(url):
        return "disallowed by robots.txt"
    return None
