"""The headline: JSON-LD, then the head's titles, then the visible ``<h1>``, cleaned of site names.

Titles often carry the site's name (``"… | The Nation"``, ``"… - Golem.de"``); it is
removed when it matches the site name the page declares, or when what is left is
exactly another source's headline.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.extraction.jsonld import StructuredData
from crawler.extraction.meta import MetaData
from crawler.extraction.text import clean_text
from crawler.extraction.vocabulary.sites import names_of_site

_SEPARATOR = r"\s*(?:\||-|–|—|::|·|•|»|/|\*|｜|ㅣ|：)\s*"
# Before another source's exact headline, a comma also ends it ("Title, Tageszeitung junge Welt, 26.04.2024").
_SUFFIX_SEPARATOR = r"\s*(?:\||-|–|—|::|·|•|»|/|\*|｜|ㅣ|：|,)\s*"
_MAX_SUFFIX = 60


def visible_text(element: lxml_html.HtmlElement) -> str:
    """An element's text with a space between parts, so ``<span>Kicker</span>Title`` reads as two words."""
    return clean_text(" ".join(element.itertext()))


_SEPARATORS = re.compile(_SEPARATOR + "$")
_LEADING_SEPARATOR = re.compile("^" + _SEPARATOR)


def _strip_site(value: str, site_names: list[str], others: list[str]) -> str:
    for other in others:
        if other and other != value and value.startswith(other):
            rest = value[len(other) :]
            if len(rest) <= _MAX_SUFFIX and re.match(_SUFFIX_SEPARATOR + r"\S", rest):
                return other
    folded = value.casefold()
    for site in site_names:
        site_folded = site.casefold() if site else ""
        if not site_folded or site_folded == folded:
            continue
        if folded.endswith(site_folded):  # "Title | Site"
            head = value[: len(value) - len(site)]
            match = _SEPARATORS.search(head)
            if match and match.start() > 0:
                return head[: match.start()]
        if folded.startswith(site_folded):  # "Site: Title"
            match = _LEADING_SEPARATOR.match(value[len(site) :]) or re.match(r"\s*:\s*", value[len(site) :])
            if match and len(value) > len(site) + match.end():
                return value[len(site) + match.end() :]
    return value


def _h1_candidates(tree: lxml_html.HtmlElement) -> list[str]:
    found = []
    for node in tree.iter("h1"):
        text = clean_text(node.text_content())
        if text and len(text) < 400:
            found.append(text)
            spaced = visible_text(node)
            if spaced != text:
                found.append(spaced)
    return found


def _truncated(short: str, full: str) -> bool:
    short = short.rstrip(" .…")
    return len(short) >= 20 and len(full) > len(short) and full.startswith(short)


def choose_headline(
    structured: StructuredData | None, meta: MetaData, tree: lxml_html.HtmlElement
) -> tuple[str | None, str]:
    """The headline and the layer it came from."""
    h1s = _h1_candidates(tree)
    sources: list[tuple[str, str]] = []
    if structured and structured.headline:
        sources.append(("json-ld", structured.headline))
    sources.extend((f"meta {key}", value) for key, value in meta.headlines.items())
    site_names = names_of_site(meta.site_names, structured.publisher if structured else None)
    others = [value for _, value in sources] + h1s
    cleaned = [(source, _strip_site(value, site_names, others)) for source, value in sources]
    # An <h1> counts only when it is the article's: it matches some other source, or nothing else exists.
    if h1s:
        keys = {value.casefold() for _, value in cleaned}
        matching = [h for h in h1s if h.casefold() in keys]
        if matching:
            cleaned.append(("h1", matching[0]))
        elif not cleaned:
            cleaned.append(("h1", h1s[0]))
    if meta.title:
        cleaned.append(("title", _strip_site(meta.title, site_names, others)))
    for index, (source, value) in enumerate(cleaned):
        if not value:
            continue
        # A JSON-LD headline cut at a length limit: the head or the <h1> has the whole of it.
        for longer_source, longer in cleaned[index + 1 :] + [("h1", h) for h in h1s]:
            if _truncated(value, longer):
                return longer, longer_source
        return value, source
    return None, "none"


_WORDS = re.compile(r"\w+")
# Where a site's own name or a teaser sits, not the story's headline.
_CHROME = {"nav", "footer", "aside"}
_STORY = {"article", "main"}


def page_headline(tree: lxml_html.HtmlElement, others: list[str]) -> tuple[str | None, str]:
    """The page's main visible ``<h1>`` as a reader sees it, and how it was recognized.

    ``others`` are the page's other headlines (JSON-LD, ``<meta>``, ``<title>``). Among
    several ``<h1>``, the one that says what another source says wins; then one outside
    navigation, footers and asides (and outside a page header that is not the story's);
    then one inside ``<article>`` or ``<main>``; then the one sharing most words with the
    other sources; then the first. Hidden ones (``hidden``, ``aria-hidden``,
    ``display:none``) come after visible ones, but still count: script often unhides them.
    """
    keys = {other.casefold() for other in others if other}
    known_words = set(_WORDS.findall(" ".join(others).casefold()))
    best: tuple[tuple, str, str] | None = None
    for index, node in enumerate(tree.iter("h1")):
        text = visible_text(node)
        if not text or len(text) >= 400:
            continue
        above = {a.tag for a in node.iterancestors() if isinstance(a.tag, str)}
        in_story = bool(above & _STORY)
        in_chrome = bool(above & _CHROME) or ("header" in above and not in_story)
        matches = text.casefold() in keys or clean_text(node.text_content()).casefold() in keys
        words = set(_WORDS.findall(text.casefold()))
        overlap = len(words & known_words) / len(words) if words else 0.0
        rank = (matches, not _hidden(node), not in_chrome, in_story, overlap, -index)
        if best is None or rank > best[0]:
            how = "h1" if matches else "h1 (differs from the other headlines)"
            best = (rank, text, how)
    return (best[1], best[2]) if best else (None, "none")


def _hidden(node: lxml_html.HtmlElement) -> bool:
    for element in (node, *node.iterancestors()):
        style = (element.get("style") or "").replace(" ", "").lower()
        if (
            element.get("hidden") is not None
            or element.get("aria-hidden") == "true"
            or "display:none" in style
        ):
            return True
    return False


def headline_variants(
    structured: StructuredData | None, meta: MetaData, tree: lxml_html.HtmlElement
) -> dict[str, tuple[str | None, str]]:
    """Each headline a newsroom edits separately, as served, and its source.

    Keys are :data:`crawler.extraction.comparison.HEADLINE_VARIANTS`. No site name is
    removed: whether a ``<title>`` suffix is the site's chrome is decided by comparing
    versions, not here.
    """
    search = structured.headline_property if structured else None
    social, social_source = meta.social_headline
    others = [value for value in (search, *meta.headlines.values(), meta.title) if value]
    return {
        "page_headline": page_headline(tree, others),
        "search_headline": (search, "json-ld headline" if search else "none"),
        "social_headline": (social, social_source),
        "title": (meta.title, "title" if meta.title else "none"),
    }
