"""Whether a served page is still the watched article, judged by evidence about its identity.

A page is another page when the site says so: it redirected to its front page
or to a section, or the page names another address as its own (``rel=canonical``,
``og:url``, JSON-LD ``url`` or ``@id``). How much of the text changed is never
evidence: breaking stories are rewritten wholesale under a new headline, and
that rewrite is the edit our users care about most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from crawler.discovery.pages import NON_ARTICLE_SEGMENTS, looks_like_article
from crawler.extraction.article import Article
from crawler.urls import is_front_page, same_article_url, same_site

# A long number in a path is usually the CMS's article ID: two URLs that share it name one
# article whatever their slugs say (a slug often follows the headline when it is rewritten).
_ARTICLE_ID = re.compile(r"(?<![0-9])[0-9]{5,}(?![0-9])")


def redirect_destination(requested: str, final: str) -> str | None:
    """What kind of page a redirect away from the article led to, if it is not an article.

    ``"the front page"`` or ``"a section page"`` (a parent of the article's path, or a
    tag, topic or section address); ``None`` for a redirect to another article (a move).
    """
    if is_front_page(final) and not is_front_page(requested):
        return "the front page"
    if _is_section_of(final, requested):
        return "a section page"
    return None


def _segments(url: str) -> list[str]:
    return [s.lower() for s in urlsplit(url).path.split("/") if s]


def _is_section_of(url: str, article_url: str) -> bool:
    """Whether ``url`` is a listing above or beside the article: a parent path, or a tag/section address."""
    target, source = _segments(url), _segments(article_url)
    if not target or len(target) >= len(source):
        return bool(target) and any(s in NON_ARTICLE_SEGMENTS for s in target) and not looks_like_article(url)
    return source[: len(target)] == target


def same_article(url: str, known: Iterable[str]) -> bool:
    """Whether ``url`` names the article known by any of ``known``.

    The same address; the same path on another host of the site (``m.``, ``amp.``); the
    AMP edition of it; or the same long numeric article ID in the path.
    """
    ids = set(_ARTICLE_ID.findall(urlsplit(url).path))
    path = _article_path(url)
    for other in known:
        if same_article_url(url, other) or (path != "/" and path == _article_path(other)):
            return True
        if ids and ids & set(_ARTICLE_ID.findall(urlsplit(other).path)):
            return True
    return False


def _article_path(url: str) -> str:
    """Path and query without AMP markers, the way the article is addressed on any of its hosts."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s and s != "amp"]
    if segments:
        segments[-1] = segments[-1].removesuffix(".amp")
    query = "&".join(
        sorted(p for p in parts.query.split("&") if p and p.split("=")[0] not in ("amp", "outputType"))
    )
    return "/" + "/".join(segments) + (f"?{query}" if query else "")


def identity_problem(article: Article, known: Iterable[str]) -> str | None:
    """What the page is instead of the article, when its own address says it is another page.

    ``known`` are the article's addresses (the watched URL, where it was served from,
    its aliases); the first is the watched URL. Another article on the same site is
    named by any one declaration; a front or section page only when every declaration (two at least)
    names one and the page has no JSON-LD article: a template whose ``og:url`` is the
    site's home page is a common misconfiguration, not a sign of a different page.
    """
    known = list(known)
    declared = article.declared_urls
    # Another site's address is a syndicated copy's credit to the original publisher, not another page.
    others = {
        source: url
        for source, url in declared.items()
        if not same_article(url, known) and (not known or same_site(url, known[0]))
    }
    if not others:
        return None
    listings = {}
    for source, url in others.items():
        if is_front_page(url) or (known and _is_section_of(url, known[0])):
            listings[source] = url
        else:
            return f"the page is another article: {_name(source)} names {url}"
    if len(listings) == len(declared) >= 2 and article.structured_type is None:
        source, url = next(iter(listings.items()))
        what = "the site's front page" if is_front_page(url) else "a section or listing page"
        return f"the page is {what}: {_name(source)} names {url}"
    return None


def _name(source: str) -> str:
    return {"canonical": "canonical URL", "og:url": "og:url", "json-ld url": "JSON-LD url"}.get(
        source, "JSON-LD @id"
    )
