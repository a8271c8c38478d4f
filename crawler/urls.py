"""What counts as a watchable URL."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")
# Letters, digits, hyphens and dots once internationalized names are encoded (underscores occur
# in real host names, if not in the standard).
_HOST_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")


class InvalidURL(ValueError):
    """A URL editwatch will not fetch; the message says why."""


def validate_url(text: str) -> str:
    """Return ``text`` as a normalized http(s) URL, or raise :class:`InvalidURL`.

    Scheme and host are lowercased and the fragment dropped: none of them
    name a different article.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidURL("empty URL")
    if any(ch.isspace() for ch in text):
        raise InvalidURL(f"invalid URL {text!r}: contains whitespace")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidURL(f"invalid URL {text!r}: contains control characters")
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError for a malformed port
    except ValueError as exc:
        raise InvalidURL(f"invalid URL {text!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise InvalidURL(f"invalid URL {text!r}: no scheme (expected http:// or https://)")
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidURL(f"unsupported URL scheme {scheme!r} in {text!r}: only http and https are fetched")
    host = (parts.hostname or "").lower()
    if not host or host.startswith(".") or ".." in host:
        raise InvalidURL(f"invalid URL {text!r}: no host")
    if port == 0:
        raise InvalidURL(f"invalid URL {text!r}: port 0")
    if ":" not in host and not _HOST_NAME.fullmatch(_ascii_host(host)):
        raise InvalidURL(f"invalid URL {text!r}: {host!r} is not a host name")
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return "%"  # cannot be encoded: not a host name


# Query parameters that say how a reader arrived, not which article they read.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "smid",
        "smtyp",
        "taid",
        "_ga",
        "_gl",
        "__twitter_impression",
        "at_medium",
        "at_campaign",
        "ito",
        "xtor",
        "ncid",
        "sr_share",
        "s_cid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "mbid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "__hs")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter only tracks the visit (``utm_source``, ``fbclid``...)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=65536)  # sources list the same URLs poll after poll
def canonicalize_url(text: str) -> str:
    """The one spelling of an article URL, so that one article gets one watch.

    On top of :func:`validate_url` (http/https only; scheme and host lowercased;
    fragment dropped): tracking parameters are removed, the default port dropped,
    the remaining query parameters sorted and percent-escapes normalized (w3lib's
    ``canonicalize_url``, as Scrapy uses for its duplicate filter).
    """
    # Imported here: w3lib.url imports urllib.request (ssl, http.client, email), a cost every
    # command that only names the module's InvalidURL would pay.
    from w3lib.url import canonicalize_url as w3lib_canonicalize_url

    url = validate_url(text)
    parts = urlsplit(url)
    pairs = [pair for pair in parts.query.split("&") if pair and not is_tracking_param(pair.split("=", 1)[0])]
    netloc = parts.netloc
    if parts.port is not None and _DEFAULT_PORTS.get(parts.scheme) == parts.port:
        netloc = netloc.rsplit(":", 1)[0]
    url = urlunsplit((parts.scheme, netloc, parts.path, "&".join(pairs), ""))
    return w3lib_canonicalize_url(url, keep_fragments=False)


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on the same site (hosts equal, ignoring a leading ``www.``)."""
    return _site_host(a) == _site_host(b)


def site_key(url: str) -> str:
    """The site a URL belongs to, as its articles' shared chrome is learned by: host and port, no ``www.``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def _site_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _comparable(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    query = "&".join(
        sorted(
            pair for pair in parts.query.split("&") if pair and not is_tracking_param(pair.split("=", 1)[0])
        )
    )
    return host, path, query


def same_article_url(a: str, b: str) -> bool:
    """Whether two URLs name the same page: they may differ in scheme, a ``www.``, a trailing
    slash, the fragment and tracking parameters (``utm_*``, ``fbclid``...)."""
    return a == b or _comparable(a) == _comparable(b)


def is_front_page(url: str) -> bool:
    """Whether a URL is a site's front page (where sites often send readers of a pulled story)."""
    path = urlsplit(url).path.lower()
    return path in ("", "/", "/index.html", "/index.htm", "/index.php", "/home")
