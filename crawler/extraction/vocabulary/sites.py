"""Whether a text names a web site: a domain ("cbc.ca", "abc.net.au") or the site's own name.

A domain is known by its shape, not by a list of endings: labels of letters, digits and
hyphens joined by dots, the last one alphabetic and 2 to 24 long (every top-level
domain, country codes and the new generic ones alike). The last label is written in
one case ("ndr.de", "BBC.CO.UK"): "Dr.Johnson" is a name typed without a space.
"""

from __future__ import annotations

import re

_DOMAIN = re.compile(r"(?<![\w.-])(?:[\w-]+\.)+(?P<tld>[^\W\d_]{2,24})(?![\w-])")


def _is_top_level(label: str) -> bool:
    return label.islower() or label.isupper()


def is_domain(text: str) -> bool:
    """Whether ``text`` is a domain name and nothing else ("spiegel.de", "news.com.au")."""
    match = _DOMAIN.fullmatch(text.strip())
    return match is not None and _is_top_level(match.group("tld"))


def mentions_domain(text: str) -> bool:
    """Whether ``text`` holds a domain name ("hessenschau.de, Frankfurt, Germany")."""
    return any(_is_top_level(match.group("tld")) for match in _DOMAIN.finditer(text))


def names_of_site(page_names: list[str], publisher: str | None) -> list[str]:
    """The names a page gives its site: ``og:site_name`` and the like, then the JSON-LD publisher."""
    return [*page_names, publisher] if publisher else list(page_names)


def names_a_site(text: str, site_names: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether ``text`` is or holds the site's own name or a web address rather than a person's name."""
    folded = text.casefold()
    return any(site.casefold() in folded for site in site_names if site) or mentions_domain(text)
