"""Text runs: the page as a reader meets it, one stretch of text at a time.

One walk over the (already cleaned) page turns it into text runs: each paragraph,
list item, subheading or stretch of loose text, with the element that holds it and
how much of it is link text.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from crawler.extraction.text import clean_text

BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th", "h1"}
CONTAINER_TAGS = {
    "div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr",
    "header", "form", "details", "summary", "center", "body", "html", "hgroup", "address", "fieldset",
}  # fmt: skip
_BREAK = "\x1e"  # stands for <br> while text is gathered


@dataclass
class Run:
    """One stretch of text with the element that holds it."""

    text: str
    element: lxml_html.HtmlElement
    tag: str  # the block tag that holds the text (or the container's tag for loose text)
    links: int  # characters of link text


def _inline_text(element: lxml_html.HtmlElement, inside_link: bool) -> tuple[str, int]:
    """Text of an inline element (``<br>`` marked) and how much of it is link text."""
    links = 0
    text_parts: list[str] = []

    def visit(node: lxml_html.HtmlElement, in_link: bool) -> None:
        nonlocal links
        if not isinstance(node.tag, str):
            return
        if node.tag == "br":
            text_parts.append(_BREAK)
            return
        is_link = in_link or node.tag == "a"
        if node.text:
            text_parts.append(node.text)
            if is_link:
                links += len(node.text)
        for child in node:
            visit(child, is_link)
            if child.tail:
                text_parts.append(child.tail)
                if is_link:
                    links += len(child.tail)

    visit(element, inside_link)
    return "".join(text_parts), links


def _has_block(element: lxml_html.HtmlElement) -> bool:
    for node in element.iterdescendants():
        tag = node.tag
        if isinstance(tag, str) and (tag in BLOCK_TAGS or tag in CONTAINER_TAGS):
            return True
    return False


def text_runs(root: lxml_html.HtmlElement) -> list[Run]:
    """The page as text runs, in document order."""
    runs: list[Run] = []

    def flush(buffer: list[str], links: int, owner: lxml_html.HtmlElement, tag: str) -> None:
        text = "".join(buffer)
        pieces = [clean_text(p) for p in text.split(_BREAK)]
        pieces = [p for p in pieces if p]
        total = sum(len(p) for p in pieces) or 1
        for piece in pieces:
            runs.append(Run(piece, owner, tag, int(links * len(piece) / total)))

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag
        run_tag = tag if tag in BLOCK_TAGS else "div"
        buffer: list[str] = [node.text or ""]
        links = len(node.text or "") if tag == "a" else 0
        for child in node:
            child_tag = child.tag
            if not isinstance(child_tag, str):
                buffer.append(child.tail or "")
                continue
            if child_tag == "br":
                buffer.append(_BREAK)
            elif child_tag in BLOCK_TAGS or child_tag in CONTAINER_TAGS or _has_block(child):
                flush(buffer, links, node, run_tag)
                buffer, links = [], 0
                walk(child)
            else:
                child_text, child_links = _inline_text(child, tag == "a")
                buffer.append(child_text)
                links += child_links
            buffer.append(child.tail or "")
        flush(buffer, links, node, run_tag)

    walk(root)
    return runs
