"""What counts as a watchable URL."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")


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
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
