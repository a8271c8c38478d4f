"""Layer 3: the visible article body, located and cleaned by trafilatura."""

from __future__ import annotations

import trafilatura
from lxml import html as lxml_html


def visible_paragraphs(tree: lxml_html.HtmlElement, url: str | None = None) -> list[str]:
    """The paragraphs a reader sees in the article body (navigation, ads and widgets removed)."""
    text = trafilatura.extract(
        tree,
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        fast=True,
    )
    if not text:
        return []
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
