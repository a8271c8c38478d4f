"""Removing what is never article text: scripts, navigation, widgets, share bars, captions, ads.

Works in place on the parsed page, once, before the body is located. Elements are
recognized by tag, by visibility attributes, and by class or id words that mark
page furniture on news sites everywhere (``related``, ``newsletter``, ``share``,
``caption``...). A marked element that holds much of the page's paragraph text
is kept: the mark was a layout hint (``article--with-sidebar``), not furniture.
Reader comments go whatever their length (a long thread holds much paragraph
text too), found by class words here and by labels and headings in :mod:`.comments`.
"""

from __future__ import annotations

import functools
import re

from lxml import html as lxml_html

from crawler.extraction.comments import comment_sections
from crawler.extraction.vocabulary.consent import CONSENT_CLASS_WORDS

DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "button",
    "select", "textarea", "input", "option", "nav", "footer", "aside", "figure", "figcaption", "picture",
    "video", "audio", "dialog", "menu", "label", "link", "meta", "map", "math", "source", "track",
}  # fmt: skip

# Words in class or id values that mark furniture (matched against the parts of each
# class name split at "-", "_" and camelCase humps).
_FURNITURE_PARTS = {
    "related", "recommended", "recommendation", "recommendations", "recirculation", "newsletter",
    "newsletters", "promo", "promotion", "share", "sharing", "sharebar", "shares", "social", "socials",
    "comments", "comment", "advert", "advertisement", "advertising", "ads", "ad", "adslot", "adunit",
    "dfp", "banner", "cookie", "cookies", "consent", "subscribe", "subscription", "breadcrumb",
    "breadcrumbs", "tags", "sidebar", "widget", "popup", "modal", "signup", "outbrain", "taboola",
    "caption", "credit", "credits", "copyright", "toolbar", "byline", "author", "authors", "meta",
    "timestamp", "dateline", "date", "trending", "popular", "mostread", "readmore", "gallery",
    "slideshow", "carousel", "player", "rating", "poll", "survey", "donate", "donation", "sponsor",
    "sponsored", "partner", "affiliate", "footer", "nav", "navigation", "menu", "skip", "offscreen", "tooltip", "overlay", "cta", "teaserlist", "recirc", "disqus", "openweb", "spotim",
    "print", "sronly", "visuallyhidden", "login", "bio", "follow", "embed", "video",
    "podcast", "audio", "icon", "badge", "kicker", "overline", "tweet", "twitter", "instagram",
    "tiktok",
}  # fmt: skip
# Consent walls (CONSENT_CLASS_WORDS) hold long legal text; they go whatever their size.
# Comment platforms and threads: furniture whatever their size (unless holding the headline).
_COMMENT_PARTS = {"comment", "comments", "commentlist", "disqus", "openweb", "spotim"}
_FURNITURE_PHRASES = re.compile(
    r"more-?(?:stories|articles|news|from|on)|read-?(?:more|also|next)|most-?(?:read|popular|viewed)|"
    r"see-?also|also-?read|sr-only|screen-?reader|visually-?hidden|u-hidden|is-hidden|d-none",
    re.IGNORECASE,
)
_STATE_FLAG = re.compile(r"^(?:has|with|without|no|show|hide|is|can)(?:[-_]|[A-Z])")
# "comments-enabled", "comments-closed": a state of the article, not a widget
_STATE_SUFFIX = re.compile(r"[-_](?:enabled|disabled|allowed|open|closed)$", re.IGNORECASE)
_HUMPS = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# A marked element holding this much paragraph text is a content wrapper, not furniture.
_KEEP_PARAGRAPHS, _KEEP_CHARS = 4, 700


def _mark(element: lxml_html.HtmlElement) -> str | None:
    """ "consent", "comments", "furniture" or None, from the element's class and id."""
    value = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not value.strip():
        return None
    return _mark_of(value)


@functools.lru_cache(maxsize=4096)
def _mark_of(value: str) -> str | None:
    # Pages repeat the same class strings hundreds of times: decide each once.
    parts = set()
    comments = consent = False
    for token in value.split():
        if _STATE_FLAG.match(token):  # "hasCaption", "with-sidebar": a state, not a widget
            continue
        token_parts = {part.lower() for part in _HUMPS.split(token) if part}
        consent = consent or bool(token_parts & CONSENT_CLASS_WORDS)  # an open consent wall is one still
        if not _STATE_SUFFIX.search(token):
            comments = comments or bool(token_parts & _COMMENT_PARTS)
            parts.update(token_parts)
    if consent:
        return "consent"
    if comments:
        return "comments"
    if _FURNITURE_PHRASES.search(value) or "hidden" in value.split() or parts & _FURNITURE_PARTS:
        return "furniture"
    return None


def _hidden(element: lxml_html.HtmlElement) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _holds_article_text(element: lxml_html.HtmlElement) -> bool:
    paragraphs = element.findall(".//p")
    if len(paragraphs) < _KEEP_PARAGRAPHS:
        return False
    return sum(len(p.text_content()) for p in paragraphs) >= _KEEP_CHARS


def remove_boilerplate(root: lxml_html.HtmlElement) -> None:
    """Drop furniture from the tree in place (the text of removed elements' tails is kept)."""
    doomed = []
    stack = list(reversed(root))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):
            doomed.append(element)  # comments and processing instructions
            continue
        if tag in DROP_TAGS:
            doomed.append(element)
            continue
        if tag == "header" and element.find(".//h1") is None:
            doomed.append(element)
            continue
        if tag not in ("body", "html", "h1"):
            # A hidden paragraph is kept: sites hide the paywalled part of a story they still serve.
            mark = _mark(element) or ("hidden" if tag != "p" and _hidden(element) else None)
            if mark == "consent" or (
                mark
                and (mark == "comments" or not _holds_article_text(element))
                and element.find(".//h1") is None
            ):
                doomed.append(element)
                continue
        stack.extend(reversed(element))
    for element in doomed:
        remove_keeping_tail(element)
    # Threads named only by a label or a heading; read once the furniture is gone, so that a
    # heading's "first in its section" is judged on visible text.
    for element in comment_sections(root):
        remove_keeping_tail(element)


def remove_keeping_tail(element: lxml_html.HtmlElement) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
