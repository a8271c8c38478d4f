"""Whether a page is an application shell: a mount point and script bundles, with next to no text of its own.

Such a page shows its article only once its scripts have run. The signs are the same
whatever framework built it: the visible text is a few words ("Loading…", a menu), the
body holds little more than an empty element the scripts fill (``<div id="root">``,
``<div id="__next">``, ``<app-root>``), and the scripts are there, as files or as large
inline code. A news page served as HTML has paragraphs of text and fails the first test.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

# More visible text than this is a page, not a shell (an article's first paragraph is longer).
SHELL_MAX_TEXT = 400
# A page with this many paragraph tags is not a shell: checked on the raw text before parsing.
_PARAGRAPHS = re.compile(r"<p[\s>]", re.IGNORECASE)
SHELL_MAX_PARAGRAPHS = 8
# Inline code at least this long counts as a bundle.
INLINE_BUNDLE_CHARS = 2000
_INVISIBLE = {"script", "style", "noscript", "template", "head", "link", "meta", "svg"}


def looks_like_app_shell(page: str) -> bool:
    """Whether ``page`` (HTML text) looks like an application shell whose article only scripts can show."""
    if len(_PARAGRAPHS.findall(page, 0, 500_000)) > SHELL_MAX_PARAGRAPHS:
        return False
    try:
        tree = lxml_html.document_fromstring(page)
    except Exception:
        return False
    body = tree.find("body")
    if body is None:
        return False
    if len(_visible_text(body)) > SHELL_MAX_TEXT:
        return False
    return _has_bundles(tree) and _has_mount_point(body)


def _visible_text(element: lxml_html.HtmlElement) -> str:
    parts: list[str] = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _INVISIBLE or any(a.tag in _INVISIBLE for a in node.iterancestors()):
            pass
        elif node.text:
            parts.append(node.text.strip())
        if node is not element and node.tail and node.getparent().tag not in _INVISIBLE:
            parts.append(node.tail.strip())
    return " ".join(p for p in parts if p)


def _has_bundles(tree: lxml_html.HtmlElement) -> bool:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if kind and "javascript" not in kind and kind != "module":
            continue  # JSON data, templates
        if script.get("src") or len(script.text or "") >= INLINE_BUNDLE_CHARS:
            return True
    return False


def _has_mount_point(body: lxml_html.HtmlElement) -> bool:
    """An element the scripts fill: among the body's few visible children, one with an id or a custom tag."""
    children = [c for c in body if isinstance(c.tag, str) and c.tag not in _INVISIBLE]
    if not children or len(children) > 6:
        return False
    return any(c.get("id") or "-" in c.tag or c.tag in ("div", "main") for c in children)
