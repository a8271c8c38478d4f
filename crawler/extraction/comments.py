"""Reader-comment sections, recognised so that no comment is ever read as the article.

Comments change between any two requests: one comment taken for a paragraph is an
edit that never happened. Class and id words (``comments``, ``disqus``) are read with
the rest of the furniture in :mod:`.boilerplate`; this module finds the threads those
words miss, by what the page says about them:

- an ``aria-label``, ``data-testid`` or ``data-component`` that names comments
  (``aria-label="Article Comments"``, ``data-testid="comments-section"``);
- schema.org microdata: ``itemtype`` ``Comment`` or ``UserComments``, ``itemprop="comment"``;
- a heading that opens the section and names it ("12 Comments", "Comments (3)",
  "Reader comments", "Join the discussion", "Leave a reply", "Kommentare",
  "5 Comentarios", "I commenti dei lettori"): sites whose class names are build
  hashes (``Thread__3fa9c1``) still title the thread for their readers.

The heading must come first in what it labels; a subheading in the middle of a
story ("Reactions", "Public comments") labels nothing here.

A thread nothing names is still recognisable by its shape, which :mod:`.body` checks
beside the story: items alike, each with a short line naming someone and when
("riverside_dad · 7 minutes ago", "Jane says: March 3, 2024 at 10:15 am") and the
comment's text (:func:`is_authored_line`).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.extraction.vocabulary.comment_words import THREAD_WORDS as _THREAD_WORDS
from crawler.extraction.vocabulary.times import CLOCK, DAY, NEAR_DAYS, RELATIVE_TIME

# Elements that can hold a thread (a <p> or <span> labelled "comments" is a button's text).
_SECTION_TAGS = {"div", "section", "aside", "article", "ol", "ul", "dl", "form", "footer", "li"}
# Never removed whatever they say: the page itself and its main regions.
_NEVER = {"html", "body", "main"}
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")

_COMMENT_HEADING = re.compile(
    # "Comments", "12 Comments", "Comments (12)", "Reader comments", "I commenti dei lettori"
    rf"(?:\d[\d.,]*\s*)?(?:(?:reader|readers'?|user|your|latest|newest|top|all|show|view|read|see|"
    rf"i|die|les|los|alle|neueste)\s+)*(?:{_THREAD_WORDS})"
    r"(?:\s+(?:dei lettori|des lecteurs|de los lectores|der leser|til denne saken|"
    r"on this (?:story|article|post)))?\s*(?:\(\s*\d[\d.,]*\s*\)|:?\s*\d[\d.,]*)?"
    # WordPress: "3 Responses to “Title”", "One thought on “Title”"
    r"|(?:\d+|one)\s+(?:responses?|replies|thoughts?)\s+(?:on|to)\b.*"
    r"|(?:join|start)\s+the\s+(?:discussion|conversation|debate)\b.*"
    r"|(?:leave|post|add|write)\s+a\s+(?:comment|reply)\b.*"
    r"|partecipa alla discussione|lascia un commento|laisser un commentaire|"
    r"(?:deja|escribe)\s+(?:un|tu)\s+comentario|schreiben sie einen kommentar\b.*|"
    r"kommentar\s+(?:abgeben|schreiben|hinzufügen)\b.*",
    re.IGNORECASE,
)
# Attribute values that name a thread: whole words, so "commentary" and "commented" do not count.
# A label readers hear says "Comments" (a lone "Comment" is an opinion column); a test id may say
# "comment-list".
_COMMENT_LABEL = re.compile(
    rf"(?<![^\W_])(?:commenting|{_THREAD_WORDS}|discussion|disqus)(?![^\W_])", re.IGNORECASE
)
_COMMENT_ID = re.compile(
    rf"(?<![^\W_])(?:comments?|commenting|{_THREAD_WORDS}|discussion|disqus|coral)(?![^\W_])", re.IGNORECASE
)
_COMMENT_ITEMTYPE = re.compile(r"schema\.org/(?:User)?Comments?/?$", re.IGNORECASE)
# When a comment was posted: a relative time, a nearby day, a clock time or a date.
_WHEN = re.compile(rf"{RELATIVE_TIME.pattern}|{NEAR_DAYS}|{CLOCK}|{DAY}", re.IGNORECASE)
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")


def comment_sections(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The elements of ``root`` that are reader-comment threads (or parts of one), outermost first.

    An element holding an ``<h1>`` is never one: the article's own wrapper may say
    ``comments-enabled``.
    """
    found: list[lxml_html.HtmlElement] = []
    for element in root.iter(*_SECTION_TAGS):
        if _labelled_as_comments(element) and element.find(".//h1") is None:
            found.append(element)
    for heading in root.iter(*_HEADINGS):
        text = " ".join(heading.text_content().split())
        if text and len(text) <= 120 and _COMMENT_HEADING.fullmatch(text.strip(" :")):
            section = _section_headed_by(heading)
            if section is not None:
                found.append(section)
    return _outermost(found)


def is_authored_line(text: str) -> bool:
    """Whether a comment's short header or footer line says who and when ("Li Chen 3 hours ago").

    A time alone ("10:15") is a timeline's stamp, not a comment's: a name must be there too.
    """
    if len(text) > 80 or not _WHEN.search(text):
        return False
    return bool(_NAME_WORD.search(_WHEN.sub(" ", text)))


def _labelled_as_comments(element: lxml_html.HtmlElement) -> bool:
    itemtype = element.get("itemtype")
    if itemtype and any(_COMMENT_ITEMTYPE.search(value) for value in itemtype.split()):
        return True
    if element.get("itemprop") in ("comment", "comments"):
        return True
    label = element.get("aria-label")
    if label and _COMMENT_LABEL.search(label):
        return True
    return any(_COMMENT_ID.search(element.get(name) or "") for name in ("data-testid", "data-component"))


def _section_headed_by(heading: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The smallest element that ``heading`` opens and that holds more than the heading itself.

    Climbs from the heading while nothing precedes it in the ancestor's text: past a
    header block ("12 Comments · Sort by newest") to the section around the thread.
    """
    heading_length = len(heading.text_content().strip())
    node = heading
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in _NEVER or not isinstance(parent.tag, str):
            break
        if parent.find(".//h1") is not None or _text_before(parent, heading):
            break
        node = parent
        if node.tag in _SECTION_TAGS and _holds_more_than(node, heading_length):
            return node
    return node if node is not heading and node.tag in _SECTION_TAGS else None


def _holds_more_than(element: lxml_html.HtmlElement, heading_length: int) -> bool:
    """Whether an element holds real content besides its heading (comments, a form, a list)."""
    if element.find(".//p") is not None or element.find(".//li") is not None:
        return True
    if element.find(".//form") is not None:
        return True
    return len(element.text_content().strip()) - heading_length > 80


def _text_before(ancestor: lxml_html.HtmlElement, heading: lxml_html.HtmlElement) -> bool:
    """Whether any text comes before ``heading`` inside ``ancestor`` (the tree is already cleaned)."""
    path = set(heading.iterancestors())
    for node in ancestor.iter():
        if node is heading:
            return False
        if isinstance(node.tag, str) and node.text and node.text.strip():
            return True
        # A tail follows its element's subtree: before the heading unless the heading is inside.
        if node is not ancestor and node not in path and node.tail and node.tail.strip():
            return True
    return False


def _outermost(elements: list[lxml_html.HtmlElement]) -> list[lxml_html.HtmlElement]:
    """Drop the elements that lie inside another one of the list (and duplicates)."""
    chosen = set(elements)
    result = []
    for element in elements:
        if element in result:
            continue
        if any(ancestor in chosen for ancestor in element.iterancestors()):
            continue
        result.append(element)
    return result
