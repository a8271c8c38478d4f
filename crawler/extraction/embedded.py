"""Layer 4: the article in the page's embedded state blob, for application shells whose HTML shows no story.

Next.js, Nuxt, Apollo, Fusion and hand-rolled apps ship the story as JSON inside the page
(:mod:`crawler.extraction.scriptdata` finds and parses it). The article is located by what
article data looks like anywhere, not by one site's key names: an object with a headline-like
string and a body made of paragraphs (a list of text/paragraph elements, an ``articleBody`` or
``body`` string, HTML strings). The object with the most paragraph text wins; one whose headline
is the page's own headline wins over any other. Only that object is read, so the blob's other
parts (request IDs, timestamps, ads config, a "most read" list) never reach the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.byline import names_from_sources
from crawler.extraction.dates import parse_date
from crawler.extraction.reconcile import MIN_BODY_WORDS, coverage
from crawler.extraction.scriptdata import StateBlob, StateScript, parse_blobs
from crawler.extraction.text import clean_text
from crawler.extraction.vocabulary.scripts import count_words

# A visible body this long is the article: the blobs are not even parsed.
LOOK_BELOW_WORDS = 150
MAX_DEPTH = 40
MAX_NODES = 300_000
# Keys (lowercased, without ``_`` and ``-``) under which a string is the article's body, and under which
# a headline sits, in order of preference.
_BODY_KEYS = re.compile(
    r"^(?:article|story|full|post|main)?(?:body|content|text|html|story)(?:html|text|rendered|json)?$|^rendered$|^paragraphs$"
)
_HEADLINE_KEYS = ("headline", "headlines", "title", "heading", "name")
_AUTHOR_KEYS = (
    "author",
    "authors",
    "byline",
    "bylines",
    "credits",
    "writer",
    "writers",
    "creator",
    "creators",
)
_NAME_KEYS = ("name", "displayname", "fullname", "byline", "title", "by")
_TEXT_KEYS = ("content", "text", "value", "html", "body", "children", "spans", "items", "rendered")
_TYPE_KEYS = ("type", "typename", "kind", "blocktype", "nodetype", "tag")
# Element types whose text is the story's, as tokens of the type's name ("ParagraphBlock", "core/heading").
_PARAGRAPH_TYPES = {"text", "block", "paragraph", "para", "p", "richtext", "heading", "header", "subheading", "subhead",
                    "h2", "h3", "h4", "h5", "blockquote", "quote", "list", "listitem", "li"}  # fmt: skip
_NOT_STORY_TYPES = {"pull", "ad", "ads", "advert", "advertisement", "promo", "related", "embed", "image",
                    "video", "caption", "newsletter", "raw", "interstitial", "oembed", "gallery"}  # fmt: skip
_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What JSON can carry (``"\\ud800"``, ``"\\u0000"``) but no page's text holds: lone surrogates, C0
# controls other than line breaks and tabs, U+FFFE and U+FFFF (as the HTML parse drops them).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class EmbeddedArticle:
    """The article found in a state blob; ``source`` names the blob and the path (``__NEXT_DATA__ props.article``)."""

    source: str
    headline: str | None
    body: list[str]
    byline: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None

    @property
    def words(self) -> int:
        return sum(count_words(p) for p in self.body)


def find_embedded_article(
    scripts: list[StateScript], visible: list[str], headline: str | None, site_names: list[str] = ()
) -> EmbeddedArticle | None:
    """The embedded article, when it should stand in for the visible body; ``None`` otherwise.

    It does when the page shows no body, or when it has at least twice the visible words and
    either contains the visible text (a teaser) or carries the page's own headline.
    """
    visible_words = sum(count_words(p) for p in visible)
    if not scripts or visible_words >= LOOK_BELOW_WORDS:
        return None
    found = best_article(parse_blobs(scripts), headline, site_names)
    if found is None or found.words < MIN_BODY_WORDS:
        return None
    if visible_words < MIN_BODY_WORDS:
        return found
    if found.words < 2 * visible_words:
        return None
    if coverage("\n".join(visible), "\n".join(found.body)) >= 0.5 or _same_headline(found.headline, headline):
        return found
    return None


def best_article(
    blobs, page_headline: str | None = None, site_names: list[str] = ()
) -> EmbeddedArticle | None:
    """The article-like object with the most paragraph text among the blobs (the page's headline first)."""
    best: tuple[tuple[bool, int], EmbeddedArticle] | None = None
    for blob in blobs:
        for path, node, title, body in _candidates(blob):
            words = sum(count_words(p) for p in body)
            rank = (_same_headline(title, page_headline), words)
            if best is None or rank > best[0]:
                source = f"{blob.name} {path}".strip()
                best = rank, EmbeddedArticle(source, title, body)
                best[1].byline = names_from_sources(_names(_first(node, _AUTHOR_KEYS)), list(site_names))
                best[1].published, best[1].modified = _dates(node)
    return best[1] if best else None


def _candidates(blob: StateBlob):
    """``(path, node, headline, paragraphs)`` for each object with a headline and a body, depth first."""
    stack = [(blob.value, "", 0)]
    seen = 0
    while stack and seen < MAX_NODES:
        node, path, depth = stack.pop()
        seen += 1
        if depth >= MAX_DEPTH:
            continue
        if isinstance(node, dict):
            title = _headline(node)
            if title:
                body = _body(node)
                if body:
                    yield path, node, title, body
            children = [(v, f"{path}.{k}" if path else str(k)) for k, v in node.items()]
        elif isinstance(node, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(node)]
        else:
            continue
        for value, child_path in reversed(children):
            if isinstance(value, (dict, list)):
                stack.append((value, child_path, depth + 1))


def _key(name: object) -> str:
    return str(name).lower().replace("_", "").replace("-", "")


def _first(node: dict, keys: tuple[str, ...]) -> object:
    """The value of the first of ``keys`` (compared lowercased, without ``_``/``-``) the object has."""
    folded = {_key(k): v for k, v in node.items()}
    for key in keys:
        if folded.get(key) not in (None, "", [], {}):
            return folded[key]
    return None


def _headline(node: dict) -> str | None:
    """A one-line headline-like string (``{"basic": ...}``/``{"rendered": ...}`` wrappers opened)."""
    value = _first(node, _HEADLINE_KEYS)
    if isinstance(value, dict):
        value = next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str) or "\n" in value.strip() or len(value) > 400:
        return None
    text = _html_text(value)
    return text if len(text) >= 3 else None


def _body(node: dict, depth: int = 0) -> list[str]:
    """The object's paragraphs: the fullest of its body strings and element lists."""
    best: list[str] = []
    if depth > 3:
        return best
    for name, value in node.items():
        paragraphs: list[str] = []
        if isinstance(value, list):
            paragraphs = _element_paragraphs(value, _BODY_KEYS.match(_key(name)) is not None)
        elif _BODY_KEYS.match(_key(name)):
            if isinstance(value, str):
                paragraphs = _string_paragraphs(value)
            elif isinstance(value, dict):  # {"rendered": "<p>…"}, {"json": [...]}
                paragraphs = _body(value, depth + 1)
        if sum(map(len, paragraphs)) > sum(map(len, best)):
            best = paragraphs
    return best


def _element_paragraphs(elements: list, body_key: bool) -> list[str]:
    """Paragraphs of a list of content elements (or, under a body key, of plain strings)."""
    paragraphs: list[str] = []
    for element in elements:
        if isinstance(element, str) and body_key:
            paragraphs.extend(_string_paragraphs(element))
        elif isinstance(element, dict) and _is_story_element(element, body_key):
            paragraphs.extend(_string_paragraphs(_inline_text(element, 0)))
    return paragraphs


def _is_story_element(element: dict, body_key: bool) -> bool:
    kind = _first(element, _TYPE_KEYS)
    if not isinstance(kind, str):
        return body_key  # untyped elements count only in a list the object calls its body
    tokens = {t.lower() for t in _TOKEN.findall(kind)}
    return bool(tokens & _PARAGRAPH_TYPES) and not tokens & _NOT_STORY_TYPES


def _inline_text(node: object, depth: int) -> str:
    """The text of an element: its text string, its inline children's text joined, a list's items by line."""
    if isinstance(node, str):
        return node
    if depth > 6:
        return ""
    if isinstance(node, list):
        return "".join(_inline_text(child, depth + 1) for child in node)
    if isinstance(node, dict):
        items = _first(node, ("items",))
        if isinstance(items, list):
            return "\n".join(_inline_text(item, depth + 1) for item in items)
        return _inline_text(_first(node, _TEXT_KEYS), depth + 1)
    return ""


def _string_paragraphs(text: str) -> list[str]:
    """A body string as paragraphs: HTML block by block, plain text by line."""
    text = _NOT_TEXT.sub("", text)
    if "<" in text and ">" in text:
        try:
            root = lxml_html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return []
        blocks = [b for b in root.iter(*_BLOCKS) if not any(a.tag in _BLOCKS for a in b.iterancestors())]
        if blocks:
            return [p for p in (clean_text(b.text_content()) for b in blocks) if p]
        return [p for p in (clean_text(line) for line in root.text_content().split("\n")) if p]
    return [p for p in (clean_text(line) for line in text.split("\n")) if p]


def _html_text(text: str) -> str:
    text = _NOT_TEXT.sub("", text)
    if "<" in text or "&" in text:
        try:
            return clean_text(lxml_html.fragment_fromstring(text, create_parent="div").text_content())
        except (etree.ParserError, ValueError):
            pass
    return clean_text(text)


def _names(value: object, depth: int = 0) -> list[str]:
    """Author names from a string, ``{"name": ...}``, ``{"by": [...]}`` or a list of those."""
    if depth > 4:
        return []
    if isinstance(value, str):
        return [_NOT_TEXT.sub("", value)] if len(value) <= 200 else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item, depth + 1)]
    if isinstance(value, dict):
        return _names(_first(value, _NAME_KEYS + _AUTHOR_KEYS), depth + 1)
    return []


def _dates(node: dict) -> tuple[str | None, str | None]:
    """Published and modified dates: ISO strings under date-like keys of the object (or of its ``dates``)."""
    published: list[tuple[int, str]] = []
    modified: list[tuple[int, str]] = []
    items = list(node.items())
    for name, value in list(items):
        if isinstance(value, dict) and "date" in _key(name):
            items.extend(value.items())
    for name, value in items:
        if not isinstance(value, str) or not _ISO_DAY.search(value):
            continue
        key = _key(name)
        date = parse_date(value)
        if not date:
            continue
        if "modif" in key or "updat" in key or "revis" in key or "edited" in key:
            modified.append((0 if "modif" in key else 1, date))
        elif "first" in key and ("publish" in key or "pub" in key):
            published.append((0, date))
        elif "publish" in key or "pubdate" in key:
            published.append((1, date))
        elif key in ("date", "created", "createdat", "datecreated", "displaydate", "published"):
            published.append((2, date))
    return (min(published)[1] if published else None, min(modified)[1] if modified else None)


def _same_headline(found: str | None, page: str | None) -> bool:
    if not found or not page:
        return False
    a, b = found.casefold(), page.casefold()
    return a == b or (min(len(a), len(b)) >= 20 and (a in b or b in a))


def adopt_embedded(article, embedded: EmbeddedArticle) -> None:
    """Take the embedded article's fields where the shell gave none, or only a guess (``<title>``, the page)."""
    article.sources["body"] = f"embedded: {embedded.source}"
    if embedded.headline and article.sources.get("headline") in (None, "none", "title"):
        article.headline, article.sources["headline"] = embedded.headline, "embedded"
    if embedded.byline and article.sources.get("byline") in (None, "page"):
        article.byline, article.sources["byline"] = embedded.byline, "embedded"
    for name in ("published", "modified"):
        value = getattr(embedded, name)
        if value and article.sources.get(name) in (None, "page"):
            setattr(article, name, value)
            article.sources[name] = "embedded"
