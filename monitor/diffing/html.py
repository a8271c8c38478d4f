"""Diffs as HTML fragments: word marks as ``<del>``/``<ins>``, every piece of article text escaped.

Article text is untrusted (it was scraped): everything here goes through
:func:`markupsafe.escape` and comes out as :class:`markupsafe.Markup`, which
Jinja2 templates insert as is. Used by the web viewer, the HTML export, the
Atom feeds, and by anything else that wants a change as HTML (alert e-mails).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from monitor.diffing.engine import REFLOWS, Change
from monitor.diffing.view import change_label, paragraph_words

_SAFE_SCHEMES = ("http://", "https://")


def words_html(ops: Iterable[Sequence[str]] | None, side: str | None = None) -> Markup:
    """Word operations as HTML; ``side="old"`` keeps only deletions, ``"new"`` only insertions."""
    parts = []
    for op, text in ops or []:
        if op == "equal":
            parts.append(escape(text))
        elif op == "delete" and side != "new":
            parts.append(Markup("<del>%s</del>") % text)
        elif op == "insert" and side != "old":
            parts.append(Markup("<ins>%s</ins>") % text)
    return Markup("").join(parts)


def safe_href(url: object) -> str | None:
    """``url`` if it is an http(s) address, else None: ``javascript:`` and friends never become links."""
    text = str(url or "").strip()
    return text if text.lower().startswith(_SAFE_SCHEMES) else None


def highlight_html(text: str, phrase: str) -> Markup:
    """``text`` escaped, with each occurrence of ``phrase``'s words (any punctuation between) in ``<mark>``."""
    words = re.findall(r"[^\W_]+", phrase)
    if not words:
        return escape(text)
    pattern = re.compile(r"[\W_]+".join(re.escape(w) for w in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup("<mark>%s</mark>") % match.group(0))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return "(none)" if value in (None, "") else str(value)


def change_html(change: Change) -> Markup:
    """One change as a self-contained HTML paragraph: its label, then the text with words marked."""
    label = Markup('<strong class="label">%s:</strong> ') % change_label(change)
    if change.category in REFLOWS:
        # The new paragraphs, each on its own line, with the words that really changed marked.
        body = Markup("<br>").join(words_html(words) for words in paragraph_words(change.words, "new"))
    elif change.words:
        body = words_html(change.words)
    elif change.field != "body":
        body = Markup("<del>%s</del> → <ins>%s</ins>") % (_value(change.before), _value(change.after))
    elif change.category == "move":
        body = escape(change.after)
    elif change.kind == "insert":
        body = Markup("<ins>%s</ins>") % change.after
    else:
        body = Markup("<del>%s</del>") % change.before
    return Markup('<p class="change %s">%s%s</p>') % (change.category, label, body)


def changes_html(changes: Iterable[Change]) -> Markup:
    """A list of changes as HTML paragraphs (what an Atom entry or an e-mail shows)."""
    return Markup("\n").join(change_html(c) for c in changes)
