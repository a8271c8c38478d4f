"""Extraction of one page: the layers of :mod:`crawler.extraction` run in order over one parsed tree."""

from __future__ import annotations

import copy
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.article import Article
from crawler.extraction.body import locate_body
from crawler.extraction.boilerplate import remove_boilerplate
from crawler.extraction.byline import names_from_sources, prefixed_byline, visible_byline
from crawler.extraction.chrome import NO_CHROME, SiteChrome
from crawler.extraction.dates import parse_date
from crawler.extraction.embedded import adopt_embedded, find_embedded_article
from crawler.extraction.headline import choose_headline, headline_variants
from crawler.extraction.jsonld import find_article
from crawler.extraction.meta import read_meta
from crawler.extraction.reconcile import reconcile_body
from crawler.extraction.rules import SiteRule, SiteRules, apply_drops, read_fields
from crawler.extraction.scriptdata import state_scripts
from crawler.extraction.text import decode_page, decode_page_as
from crawler.extraction.vocabulary.sites import names_a_site, names_of_site

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Characters an lxml tree cannot hold (XML 1.0 forbids them): C0 controls other than tab and
# line breaks, lone surrogates, U+FFFE and U+FFFF. Browsers show nothing for them either
# (a form feed is HTML whitespace: it becomes a space).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ExtractionError(Exception):
    """The input cannot be read as an HTML page at all."""


def parse_html(page: str | bytes, content_type: str | None = None) -> lxml_html.HtmlElement:
    """Decode and parse a page leniently; raises :class:`ExtractionError` when nothing usable is there."""
    if isinstance(page, bytes):
        page = decode_page(page, declared_charset(content_type))
    if not page.strip():
        raise ExtractionError("the page is empty")
    page = _NOT_XML.sub("", page).replace("\x0c", " ")
    # lxml refuses text that still declares its encoding (XHTML's <?xml ... encoding="UTF-8"?>).
    page = _XML_DECLARATION.sub("", page, count=1)
    try:
        tree = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from None
    return tree


def declared_charset(content_type: str | None) -> str | None:
    """The ``charset=`` of a Content-Type header, if it names one."""
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    return None


def extract_article(
    page: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    rules: SiteRules | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> Article:
    """Extract headline, byline, dates and body paragraphs from one HTML page.

    ``rules`` are the user's per-site rules; the one matching ``url``, if any, is
    applied first and wins for the fields it finds. ``chrome`` is what the site has
    shown to be chrome inside its article container (learned by the crawler).
    """
    encoding = None
    text = page
    if isinstance(page, bytes):
        text, encoding = decode_page_as(page, declared_charset(content_type))
    tree = parse_html(text)
    article = Article(url=url, complete_page=_ends_properly(page), encoding=encoding)
    rule = rules.for_url(url or _declared_url(tree)) if rules else None
    ruled: dict = {}
    if rule is not None:
        apply_drops(rule, tree)
        ruled = read_fields(rule, tree)
    structured = find_article(tree)
    meta = read_meta(tree)
    article.canonical_url = meta.canonical_url
    article.declared_urls = _declared_urls(meta, structured, url)
    article.is_live_blog = bool(structured and structured.type == "LiveBlogPosting")
    article.structured_type = structured.type if structured else None
    site_names = names_of_site(meta.site_names, structured.publisher if structured else None)

    article.headline, article.sources["headline"] = choose_headline(structured, meta, tree)
    for name, (value, source) in headline_variants(structured, meta, tree).items():
        setattr(article, name, value)
        if value:
            article.sources[name] = source
    _pick_byline(article, structured, meta, tree, site_names)
    _pick_dates(article, structured, meta, tree)
    if rule is not None:
        _apply_rule(article, rule, ruled)
        if ruled.get("body"):
            return article

    # The body search cleans the tree in place (scripts too), so it runs after every layer that reads it.
    scripts = state_scripts(tree)
    _read_body(article, tree, structured, page, chrome, scripts, site_names)
    return article


def _read_body(
    article: Article, tree: lxml_html.HtmlElement, structured, page: str | bytes, chrome: SiteChrome,
    scripts: list, site_names: list[str],
) -> None:  # fmt: skip
    """The body paragraphs: located in the page's container, reconciled with embedded data, JSON-LD and the fallback."""
    body = tree.find("body")
    paragraphs: list[str] = []
    container = None
    if body is not None:
        remove_boilerplate(body)
        try:
            hint = structured.article_body if structured else None
            located = locate_body(
                body, article.headline, hint, article.byline, article.is_live_blog, chrome=chrome
            )
            paragraphs, container = located.paragraphs, located.container
            article.removed, article.blocks = located.removed, located.blocks
            _dates_from_stamps(article, located.stamps)
        except RecursionError:  # absurdly deep markup: leave it to the fallback
            paragraphs, container = [], None
    embedded = find_embedded_article(scripts, paragraphs, article.headline, site_names)
    article_body = structured.article_body if structured else None
    reconcile_body(article, paragraphs, article_body, page, article.url, embedded.body if embedded else None)
    if article.extractor == "embedded":
        adopt_embedded(article, embedded)
    elif article.extractor == "page" and container is not None:
        article.sources["body"] = f"page: {_describe(container)}"  # where to point a per-site rule


def _describe(element: lxml_html.HtmlElement) -> str:
    """An element as a CSS selector a person can read: ``div.article-body``, ``section#story``."""
    if element.get("id"):
        return f"{element.tag}#{element.get('id').strip()}"
    classes = (element.get("class") or "").split()
    return element.tag + "".join(f".{c}" for c in classes[:2])


def _ends_properly(page: str | bytes) -> bool:
    """Whether the HTML reaches its end; a download cut off in transfer stops mid-text or mid-tag.

    Some sites omit the closing tags, so a page that at least ends on a tag counts as whole.
    """
    tail = page[-8192:] if isinstance(page, str) else page[-8192:].decode("latin-1")
    lowered = tail.lower()
    return "</html" in lowered or "</body" in lowered or tail.rstrip().endswith(">")


def _declared_url(tree: lxml_html.HtmlElement) -> str | None:
    """The page's own idea of its address (for saved files): canonical link, then og:url."""
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            return link.get("href").strip()
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name")) == "og:url" and meta.get("content"):
            return meta.get("content").strip()
    return None


def _declared_urls(meta, structured, base: str | None) -> dict[str, str]:
    """The page's own statements of its address, made absolute; values that are not http(s) URLs are left out."""
    found = {
        "canonical": meta.canonical_url,
        "og:url": meta.og_url,
        "json-ld url": structured.url if structured else None,
        # An "@id" is a URL only when it looks like one ("_:b0" and "#article" name nodes, not pages).
        "json-ld @id": structured.id
        if structured and (structured.id or "").startswith(("http", "/"))
        else None,
    }
    declared = {}
    for source, value in found.items():
        if not value:
            continue
        absolute = urljoin(base or "", value.strip())
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            declared[source] = absolute
    return declared


def _apply_rule(article: Article, rule: SiteRule, ruled: dict) -> None:
    """Let the site rule's findings win; say so when a selector found nothing (a redesign?)."""
    for name, value in ruled.items():
        selector = rule.selectors[name].text
        if not value:
            article.warnings.append(
                f"rule {rule.name}: {name} selector {selector!r} matched nothing; used generic extraction"
            )
            continue
        source = f"rule {rule.name}: {selector}"
        if name == "body":
            article.body, article.extractor = value, "rule"
        else:
            setattr(article, "byline" if name == "byline" else name, value)
        article.sources[name] = source


def _pick_byline(article: Article, structured, meta, tree, site_names: list[str]) -> None:
    """People first (JSON-LD, meta, the visible byline); the publishing organization only when no one is named."""
    visible = None
    for source, values in (
        ("json-ld", structured.authors if structured else []),
        ("meta", [v for v in meta.authors if not names_a_site(v, site_names)]),
    ):
        names = names_from_sources(values, site_names)
        if names:
            visible = visible_byline(tree, site_names, near_headline=True) or prefixed_byline(
                tree, site_names
            )
            folded = {n.casefold() for n in visible}
            if len(visible) > len(names) and all(n.casefold() in folded for n in names):
                names, source = visible, "page"  # the page credits more people than the metadata
            article.byline, article.sources["byline"] = names, source
            return
    visible = visible_byline(tree, site_names) or prefixed_byline(tree, site_names)
    if visible:
        article.byline, article.sources["byline"] = visible, "page"
        return
    # No person is named: the newsroom itself is the author ("Associated Press", "BBC News").
    organizations = (structured.author_organizations + structured.authors) if structured else []
    for source, values in (("json-ld", organizations), ("meta", meta.authors)):
        names = names_from_sources(values, [], organizations=True)
        if names:
            article.byline, article.sources["byline"] = names, f"{source} organization"
            return


def _pick_dates(article: Article, structured, meta, tree) -> None:
    visible_published = None
    if not (structured and structured.published) and not meta.published:
        visible_published = _visible_date(tree)
    for field_name, candidates in (
        ("published", [("json-ld", structured and structured.published), ("meta", meta.published),
                       ("page", visible_published)]),
        ("modified", [("json-ld", structured and structured.modified), ("meta", meta.modified)]),
    ):  # fmt: skip
        for source, value in candidates:
            if value:
                setattr(article, field_name, value)
                article.sources[field_name] = source
                break


def _dates_from_stamps(article: Article, stamps: list) -> None:
    """Dates from the container's datelines, for the fields no better source filled."""
    for stamp in stamps:
        for field_name in ("published", "modified"):
            value = getattr(stamp, field_name)
            if value and not getattr(article, field_name):
                setattr(article, field_name, value)
                article.sources[field_name] = "page"


def _visible_date(tree: lxml_html.HtmlElement) -> str | None:
    """The publication date shown on the page: ``itemprop=datePublished``, then the first ``<time>``."""
    for element in tree.xpath('//*[@itemprop="datePublished" or @itemprop="dateCreated"]'):
        value = parse_date(element.get("content") or element.get("datetime") or element.text_content())
        if value:
            return value
    for element in tree.iter("time"):
        value = parse_date(element.get("datetime") or element.text_content())
        if value:
            return value
    return _htmldate(tree)


def _htmldate(tree: lxml_html.HtmlElement) -> str | None:
    """htmldate's reading of URL, text and markup, when the page states no date in markup we know."""
    from htmldate import find_date

    try:  # htmldate may prune the tree it is given
        found = find_date(copy.deepcopy(tree), extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%dT%H:%M:%S%z")  # fmt: skip
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    return parse_date(found[:10] if found.endswith("T00:00:00") else found)
