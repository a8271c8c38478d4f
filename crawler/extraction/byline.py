"""The byline as a list of person names.

Raw bylines come as ``"By Jane Doe and John Roe"``, ``"Von A und B, dpa"``,
``"jane.doe@paper.com"``, ``"Reporter Name (jdo)"`` or the site's own name. This
module splits and cleans them with generic rules (no per-publisher knowledge), and
finds the visible byline on the page when the head has none.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.extraction.text import clean_text
from crawler.extraction.vocabulary.bylines import BYLINE_PREFIX
from crawler.extraction.vocabulary.scripts import has_east_asian
from crawler.extraction.vocabulary.sites import is_domain

_SPLIT = re.compile(
    r"\s*(?:,|;|&|\||/|·|、|，|\+|\band\b|\bund\b|\bog\b|\boch\b|\bet\b|\by\b|\be\b|\bi\b|\ben\b|\bund\b|\bu\.\b)\s*",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_ROLE_SUFFIX = re.compile(r"\s*(?:기자|특파원|記者|特派員|编辑|記者|記)\s*$")
_DIGIT = re.compile(r"\d")
# Words that show a text is a role, a label or a sentence rather than a name.
_NOT_NAME_WORDS = {
    "reporter", "reporterin", "correspondent", "editor", "editors", "staff", "writer", "journalist",
    "redakteur", "redakteurin", "korrespondent", "korrespondentin", "autor", "autorin", "author", "authors",
    "contributor", "columnist", "photographer", "posts", "more", "follow", "share", "updated", "published",
    "aktualisiert", "veröffentlicht", "min", "minutes", "read", "lesezeit", "uhr", "am", "um", "on", "at",
    "the", "of", "in", "for", "with", "about", "latest", "news", "email", "twitter", "facebook",
    "instagram", "linkedin", "view", "all", "articles", "profile", "bio", "foto", "photo", "bild",
    "image", "quelle", "source", "credit", "mehr", "alle", "artikel", "von", "by",
}  # fmt: skip
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin", "al", "el", "ibn", "zu", "ter", "dos", "das", "y"}  # fmt: skip
_BYLINE_CLASS = re.compile(r"author|byline|autor|verfasser|reporter", re.IGNORECASE)
_NOT_BYLINE_CLASS = re.compile(
    r"bio|desc|image|img|avatar|photo|picture|date|time|social|follow|more|about", re.IGNORECASE
)


def split_names(raw: str, site_names: list[str] = (), keep_domains: bool = False) -> list[str]:
    """The person names in one raw byline string, in order, without prefixes, roles or addresses."""
    text = clean_text(raw)
    text = _PARENTHESES.sub(" ", text)
    text = _EMAIL.sub(" , ", text)
    text = _URL.sub(" , ", text)
    sites = {s.casefold() for s in site_names if s}
    names: list[str] = []
    for part in _SPLIT.split(text):
        part = BYLINE_PREFIX.sub("", part.strip(" .:-–—\u200b"))
        part = _ROLE_SUFFIX.sub("", part).strip(" .:-–—\u200b")
        if not part or part.casefold() in sites or (is_domain(part) and not keep_domains):
            continue
        if part not in names:
            names.append(part)
    return names


def is_person_name(name: str) -> bool:
    """Whether a cleaned byline part reads like a person's name (strict, for text found in the page body)."""
    if _DIGIT.search(name) or len(name) > 60:
        return False
    words = name.split()
    if not 1 <= len(words) <= 5:
        return False
    if any(w.casefold().strip(".,:") in _NOT_NAME_WORDS for w in words):
        return False
    if has_east_asian(name):  # CJK and Hangul names have no capitals
        return len(name) <= 12
    if len(words) == 1 and not name.isupper():
        return False
    return all(w[0].isupper() or w.casefold() in _PARTICLES or not w[0].isalpha() for w in words)


def names_from_sources(values: list[str], site_names: list[str], organizations: bool = False) -> list[str]:
    """Clean names from structured sources (JSON-LD, meta): split, de-duplicated, the site's own name dropped.

    With ``organizations``, names such as ``"ndr.de"`` are kept: the newsroom is the author.
    """
    names: list[str] = []
    for value in values:
        for name in split_names(value, site_names, keep_domains=organizations):
            if _DIGIT.search(name) and not any(c.isalpha() for c in name):
                continue
            if len(name.split()) > 6:
                continue
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def visible_byline(
    tree: lxml_html.HtmlElement, site_names: list[str], near_headline: bool = False
) -> list[str]:
    """Names in the first visible byline element (``rel=author``, ``itemprop=author``, ``class~=byline``).

    With ``near_headline``, only the headline's surroundings are searched (cheaper; where bylines sit).
    """
    root = tree.find("body")
    if near_headline:
        root = _headline_surroundings(tree)
    if root is None:
        return []
    for element in _byline_elements(root):
        names: list[str] = []
        for chunk in _chunks(element):
            for name in split_names(chunk, site_names):
                if is_person_name(name) and name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
        if names and len(names) <= 12:
            return names
    return []


def prefixed_byline(tree: lxml_html.HtmlElement, site_names: list[str]) -> list[str]:
    """Names in an unmarked byline line near the headline: "By A and B", "By A | Updated 14:05".

    Many layouts put the byline in a plain paragraph of the article. Such a line opens with a
    byline word and holds nothing but person names and stamps (a time, a date); any other word
    ("By the end of the week, …") makes it a sentence of the story.
    """
    from crawler.extraction.stamps import read_stamp

    headline = next(tree.iter("h1"), None)
    if headline is None:
        return []
    for element in headline.xpath("following::*[position() <= 40]"):
        if not isinstance(element.tag, str) or element.tag not in _LINE_TAGS:
            continue
        text = clean_text(element.text_content())
        if not text or len(text) > 120 or not BYLINE_PREFIX.match(text):
            continue
        names: list[str] = []
        for part in _PARTS.split(text):
            if read_stamp(part) is not None:
                continue
            found = split_names(part, site_names)
            if not found or not all(is_person_name(name) for name in found):
                names = []  # a sentence, not a byline
                break
            names.extend(n for n in found if n.casefold() not in {m.casefold() for m in names})
        if names:
            return names
    return []


_PARTS = re.compile(r"\s*[|·•]\s*")
_LINE_TAGS = {"p", "div", "span", "strong", "em", "b", "address", "small", "li"}
_ATTRIBUTE_STEMS = re.compile("uthor|yline|utor|erfasser|eporter")


def _byline_elements(root: lxml_html.HtmlElement):
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or tag in ("script", "style", "meta", "link", "img"):
            continue
        get = element.get
        attributes = f"{get('class') or ''} {get('id') or ''}"
        rel_or_prop = f"{get('rel') or ''} {get('itemprop') or ''}"
        if not _ATTRIBUTE_STEMS.search(attributes) and "author" not in rel_or_prop:
            continue
        marked = "author" in rel_or_prop.lower()
        if not marked:
            marked = bool(_BYLINE_CLASS.search(attributes)) and not _NOT_BYLINE_CLASS.search(attributes)
        if marked and len(element.text_content()) < 300 and not _in_figure(element):
            yield element


def _headline_surroundings(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return None
    region = headline
    for _ in range(3):
        parent = region.getparent()
        if parent is None or parent.tag in ("body", "html", "main"):
            break
        region = parent
    return region


def _in_figure(element: lxml_html.HtmlElement) -> bool:
    """Photo credits name agencies and photographers, not the story's authors."""
    return any(a.tag in ("figure", "figcaption", "picture") for a in element.iterancestors())


def _chunks(element: lxml_html.HtmlElement) -> list[str]:
    """The element's text pieces, split where the markup splits them (so names run together stay apart)."""
    chunks: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        if node.tag == "meta" and node.get("itemprop") == "name" and node.get("content"):
            chunks.append(node.get("content"))
        if node.text:
            chunks.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                walk(child)
            if child.tail:
                chunks.append(child.tail)

    walk(element)
    return [c for c in (clean_text(c) for c in chunks) if c]


_SKIPPED = {"time", "script", "style", "button", "svg", "noscript"}
