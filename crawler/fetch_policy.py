"""What editwatch may fetch: http and https only and, when asked, only public addresses.

Two parts, because one is not enough:

- :class:`FetchPolicyMiddleware`, a downloader middleware, sees every request the
  crawler makes (articles, sources, robots.txt, each hop of a redirect, each
  ``<meta refresh>``) and refuses, with a message, a scheme other than http(s) or
  a host that is or resolves to a private, loopback or link-local address.
- the crawler's DNS resolver (:class:`crawler.resolver.ExpiringResolver`) refuses to
  hand such an address to a connection at all, so a name that resolves to a public
  address for the check and to a private one for the connection (DNS rebinding) is
  refused too.

``[fetch] block_private_addresses = true`` turns the address check on: for
deployments that watch URLs other people submit, where a URL must not reach the
machine's own network (a router's admin page, a cloud metadata service at
169.254.169.254). It is off by default: editwatch's own tests and demo serve on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

FETCHED_SCHEMES = ("http", "https")
SETTING = "EDITWATCH_BLOCK_PRIVATE_ADDRESSES"


class FetchRefused(IgnoreRequest):
    """A request editwatch will not make; the message says why, in words for the check's error."""


class PrivateAddressRefused(DNSLookupError):
    """A host name resolved to an address that ``block_private_addresses`` forbids."""


def address_kind(address: str) -> str | None:
    """What an IP address is when it must not be fetched ("a loopback address"...); ``None`` when it is
    public or not an IP address at all."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_unspecified:
        return "the unspecified address"  # 0.0.0.0 reaches this machine
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or ip.is_reserved or not ip.is_global:
        return "not a public address"
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def refusal(url: str, redirected_from: str | None = None) -> str | None:
    """Why ``url`` must never be fetched, whatever the settings (its scheme); ``None`` if it may be."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in FETCHED_SCHEMES:
        return None
    via = f" (redirected from {redirected_from})" if redirected_from else ""
    return f"refused to fetch {url[:80]}{via}: only http and https are fetched"


class FetchPolicyMiddleware:
    """Refuse requests to other schemes than http(s), and to private addresses when so configured.

    Settings: ``EDITWATCH_BLOCK_PRIVATE_ADDRESSES`` (``[fetch] block_private_addresses``).
    """

    def __init__(self, block_private: bool):
        self.block_private = block_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchPolicyMiddleware:
        return cls(crawler.settings.getbool(SETTING))

    async def process_request(self, request: Request) -> None:
        redirects = request.meta.get("redirect_urls") or []
        previous = redirects[-1] if redirects else None
        problem = refusal(request.url, previous)
        if problem:
            raise FetchRefused(problem)
        if not self.block_private:
            return None
        host = urlparse_cached(request).hostname or ""
        kind = address_kind(host)
        problem = f"{host} is {kind}" if kind else None
        if not _is_ip(host):
            from twisted.internet import reactor

            try:
                # The crawler's own caching resolver: the connection is given the same answer.
                await maybe_deferred_to_future(reactor.resolve(host))
            except PrivateAddressRefused as exc:
                # The reason alone, not Twisted's "DNS lookup failed: {reason}."
                problem = str(getattr(exc, "osError", None) or (exc.args[0] if exc.args else "") or exc)
            except Exception:
                return None  # not resolvable: the download reports that in its own words
        if problem:
            via = f" (redirected from {previous})" if previous else ""
            raise FetchRefused(
                f"refused to fetch {request.url[:80]}{via}: {problem} ([fetch] block_private_addresses)"
            )
        return None
