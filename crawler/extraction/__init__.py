"""Article extraction: HTML in, :class:`Article` out. Pure functions; no network, no database.

The page is parsed once and every layer reads the same tree:

1. per-site rules from the user's config, when one matches the URL (:mod:`.rules`);
2. JSON-LD (:mod:`.jsonld`), then OpenGraph and ``<meta>`` (:mod:`.meta`), then the
   visible page, for headline, byline and dates;
3. the visible body (:mod:`.body`), located in the cleaned tree; JSON-LD
   ``articleBody`` is compared with it and used only when the page shows nothing
   (:mod:`.reconcile`); trafilatura is the last resort when neither yields a body;
4. the article in an application shell's embedded state blob (:mod:`.embedded`, found
   by :mod:`.scriptdata`), when the visible page shows no body or only a fraction of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.extraction.article import Article
    from crawler.extraction.comparison import comparison_form, content_hash
    from crawler.extraction.extract import ExtractionError, extract_article, parse_html
    from crawler.extraction.rules import SiteRules

__all__ = [
    "Article",
    "ExtractionError",
    "SiteRules",
    "comparison_form",
    "content_hash",
    "extract_article",
    "parse_html",
]

# Each name is imported from its module on first use (PEP 562), so that importing one light
# module of this package, such as .comparison for `editwatch diff`, does not import lxml and
# the extractor with it.
_HOMES = {
    "Article": "article",
    "ExtractionError": "extract",
    "SiteRules": "rules",
    "comparison_form": "comparison",
    "content_hash": "comparison",
    "extract_article": "extract",
    "parse_html": "extract",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
