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

# A long number in a path is usually the CMS's article ID, and so is a path segment of letters
# and digits that is no word (``Ard8wM``, ``AST1F4445T1FUTIL02SM``): two URLs that share one name
# one article whatever their slugs say (a slug often follows the headline when it is rewritten).
_ARTICLE_ID = re.compile(r"(?<![0-9])[0-9]{5,}(?![0-9])")
_OPAQUE_ID = re.compile(
    r"(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{5,}|[A-Za-z]*[a-z][A-Z][A-Za-z]*"
)
# Paths of a script that serves many articles by its query (``article.php?id=...``).
_SCRIPT = re.compile(r"(?:^/?|/|\.(?:php|aspx?|jsp|cfm|cgi|pl))$", re.IGNORECASE)


def redirect_destination(requested: str, final: str) -> str | None:
    """What kind of page a redirect away from the article led to, if it is not an article.

    ``"the front page"`` or ``"a section page, URL"`` (a parent of the article's path, or a
    tag, topic or section address); ``None`` for a redirect to another article (a move).
    """
    if is_front_page(final) and not is_front_page(requested):
        return "the front page"
    if _is_section_of(final, requested):
        return f"a section page, {final}"
    return None


def _segments(url: str) -> list[str]:
    return [s.lower() for s in urlsplit(url).path.split("/") if s]


def _is_section_of(url: str, article_url: str) -> bool:
    """Whether ``url`` is a listing above or beside the article: a parent path, or a tag/section
    address, that does not look like an article itself (``/news/story/amp`` → ``/news/story`` is
    the same story)."""
    target, source = _segments(url), _segments(article_url)
    if not target or looks_like_article(url):
        return False
    if len(target) < len(source) and source[: len(target)] == target:
        return True
    return any(s in NON_ARTICLE_SEGMENTS for s in target)


def same_article(url: str, known: Iterable[str]) -> bool:
    """Whether ``url`` names the article known by any of ``known``.

    The same address; the same path on another host of the site (``m.``, ``amp.``); the
    AMP edition of it; or the same long numeric article ID in the path.
    """
    article_id = _article_id(url)
    path = _article_path(url)
    for other in known:
        if same_article_url(url, other) or (path != "/" and path == _article_path(other)):
            return True
        if article_id and article_id == _article_id(other):
            return True
    return False


def _article_id(url: str) -> str | None:
    """The last ID in a URL's path (a long number, or a segment of letters and digits that is no
    word): the article's own; IDs before it name a journal, a section or a date."""
    found = None
    for segment in urlsplit(url).path.split("/"):
        stem = segment.rsplit(".", 1)[0]
        found = stem if _OPAQUE_ID.fullmatch(stem) else (_ARTICLE_ID.findall(segment) or [found])[-1]
    return found


def _article_path(url: str) -> str:
    """The article's address on any of its hosts: the path without AMP markers, and the query
    only where a script serves articles by it (elsewhere ``?r=rss`` or ``?ref=...`` says how a
    reader came, not which article)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s and s != "amp"]
    if segments:
        segments[-1] = segments[-1].removesuffix(".amp")
    path = "/" + "/".join(segments)
    if not _SCRIPT.search(path):
        return path
    query = "&".join(
        sorted(p for p in parts.query.split("&") if p and p.split("=")[0] not in ("amp", "outputType"))
    )
    return path + (f"?{query}" if query else "")


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
