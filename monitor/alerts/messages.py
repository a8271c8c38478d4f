"""Alert messages a person can read, in plain text and HTML, from the stored event JSON.

Headline changes read as before → after; a body edit is the edited sentence
cut to a few words of context, removed words marked ``[-…-]`` and added words
``{+…+}`` (struck through and underlined in HTML); a message shows at most
``max_changes`` changes and counts the rest. In HTML every piece of article
text is escaped: pages are untrusted input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from monitor.alerts.settings import AlertSettings
from monitor.diffing.engine import FIELD_NAMES, PARAGRAPH_BREAK, REFLOWS, word_ops
from monitor.diffing.view import reflow_label

TITLES = {
    "edit": "Edited",
    "ab_test": "Headline A/B test",
    "removed": "Removed",
    "restored": "Restored",
    "moved": "Moved",
    "failing": "Failing",
    "test": "Test alert",
}
# Inserted and removed paragraphs are quoted up to this many words.
QUOTE_WORDS = 40
# A snippet keeps at most this many words in all.
SNIPPET_WORDS = 60
_DEL_STYLE = "color:#b31d28;background:#ffeef0;text-decoration:line-through"
_INS_STYLE = "color:#22863a;background:#e6ffed;text-decoration:none"


@dataclass(frozen=True)
class Message:
    """One alert as a person reads it."""

    title: str
    text: str
    html: str


@dataclass(frozen=True)
class _Line:
    label: str
    pieces: list[tuple[str, str]]  # (op, text): op is equal, delete or insert
    marked: bool = True  # False for "before → after" lines, which need no marks


def render_event(event: dict, settings: AlertSettings) -> Message:
    """The message for one event."""
    title = f"{TITLES.get(event['event'], event['event'])}: {event.get('headline') or event.get('url')}"
    lines, left_out = _lines(event, settings)
    link = viewer_link(event, settings)
    text = "\n".join([title, event.get("url") or "", event.get("summary") or "", ""]).rstrip() + "\n"
    if lines:
        text += "\n" + "\n".join(_text_line(line) for line in lines) + "\n"
    if left_out:
        text += f"… and {left_out} more {'change' if left_out == 1 else 'changes'}\n"
    if link:
        text += f"View the changes: {link}\n"
    return Message(
        title=f"editwatch: {title}",
        text=text,
        html=_html_document(title, [_html_event(event, lines, left_out, link, heading=False)]),
    )


def render_digest(events: Sequence[dict], settings: AlertSettings) -> Message:
    """One message for several events (digest mode)."""
    count = len(events)
    title = f"{count} {'change' if count == 1 else 'changes'} to watched articles"
    texts, htmls = [], []
    for event in events:
        lines, left_out = _lines(event, settings)
        link = viewer_link(event, settings)
        head = f"{TITLES.get(event['event'], event['event'])}: {event.get('headline') or event.get('url')}"
        part = f"{head}\n{event.get('url') or ''}\n{event.get('summary') or ''}\n"
        part += "".join(f"  {_text_line(line)}\n" for line in lines)
        if left_out:
            part += f"  … and {left_out} more {'change' if left_out == 1 else 'changes'}\n"
        if link:
            part += f"  View the changes: {link}\n"
        texts.append(part)
        htmls.append(_html_event(event, lines, left_out, link, heading=True))
    text = f"{title}\n\n" + "\n".join(texts)
    return Message(title=f"editwatch: {title}", text=text, html=_html_document(title, htmls))


def render_test(rule_id: int, events: Sequence[str]) -> Message:
    """The message ``editwatch alerts test`` sends."""
    text = (
        f"This is a test alert from editwatch (alert rule {rule_id}).\n"
        f"This channel will be told about: {', '.join(events)}.\n"
    )
    title = "editwatch: test alert"
    html = _html_document("Test alert", [f"<p>{escape(text).replace(chr(10), '<br>')}</p>"])
    return Message(title=title, text=text, html=html)


def viewer_link(event: dict, settings: AlertSettings) -> str | None:
    """The web viewer's page for this event, when ``[alerts] viewer_url`` is set.

    ``viewer_url`` is the base URL of ``editwatch serve`` (an edit links to its diff,
    other events to the article's page) or a template using ``{watch_id}``,
    ``{from_version}``, ``{to_version}`` and ``{change_id}``.
    """
    base = settings.viewer_url
    if not base:
        return None
    keys = ("watch_id", "from_version", "to_version", "change_id")
    values = {k: event.get(k) if event.get(k) is not None else "" for k in keys}
    if "{" in base:
        return base.format_map(values)
    page = f"{base.rstrip('/')}/watch/{values['watch_id']}"
    if values["from_version"] != "" and values["to_version"] != "":
        return f"{page}/diff?from={values['from_version']}&to={values['to_version']}"
    return page


# -- the lines of a message --------------------------------------------------------


def _lines(event: dict, settings: AlertSettings) -> tuple[list[_Line], int]:
    """The lines describing an event's changes, and how many changes were left out."""
    lines = []
    for change in event.get("changes") or []:
        line = _describe(change, settings.context_words)
        if line is not None:
            lines.append(line)
    shown = lines[: settings.max_changes]
    return shown, len(lines) - len(shown)


def _describe(change: dict, context: int) -> _Line | None:
    field, kind = change.get("field"), change.get("kind")
    before, after = change.get("before"), change.get("after")
    if field == "modified":
        return None  # the page's own "updated" stamp: in the JSON, not worth a line
    if field != "body":
        name = {"headline": "Headline", "byline": "Byline", "published": "Published", "url": "Address"}.get(
            field, FIELD_NAMES.get(str(field), str(field)).capitalize()
        )
        if change.get("variants"):
            return _Line(f"{name} variants", [("equal", " / ".join(change["variants"]))])
        return _Line(
            name, [("delete", _plain(before)), ("equal", " → "), ("insert", _plain(after))], marked=False
        )
    number = change.get("paragraph")
    if change.get("category") in REFLOWS:
        return _reflow_line(change, context)
    if change.get("category") == "move":
        return _Line(f"¶{change.get('from_paragraph')} moved to ¶{number}", [("equal", _quote(str(after)))])
    if kind == "edit":
        return _Line(f"¶{number} edited", snippet(str(before), str(after), context))
    if kind == "insert":
        what = "correction added" if change.get("category") == "correction" else "added"
        return _Line(f"¶{number} {what}", [("insert", _quote(str(after)))])
    return _Line(f"¶{number} removed", [("delete", _quote(str(before)))])


def _reflow_line(change: dict, context: int) -> _Line:
    """A split, merge or reflow: its paragraphs, and only the words that really changed."""
    edited = bool(change.get("words_added") or change.get("words_removed"))
    label = reflow_label(
        str(change.get("category")),
        change.get("from_paragraphs") or [change.get("paragraph")],
        change.get("paragraphs") or [change.get("paragraph")],
        edited,
    )
    if not edited:
        return _Line(label, [("equal", "no words changed")], marked=False)
    # The paragraph breaks are in the label: the snippet marks words only.
    before = str(change.get("before")).replace(PARAGRAPH_BREAK, " ")
    after = str(change.get("after")).replace(PARAGRAPH_BREAK, " ")
    return _Line(label, snippet(before, after, context))


def snippet(before: str, after: str, context: int = 12) -> list[tuple[str, str]]:
    """The edited sentence of a paragraph: changed words, with the rest of their sentence around them.

    Context stops at a sentence boundary, or after ``context`` words (marked ``…``).
    """
    ops = word_ops(before, after)
    pieces: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(ops):
        if op != "equal":
            pieces.append((op, text))
            continue
        words = text.split()
        first, last = i == 0, i == len(ops) - 1
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        if first and last:
            pieces.append(("equal", text))
        elif first:
            pieces.append(("equal", _sentence_start(words, context) + trail))
        elif last:
            pieces.append(("equal", lead + _sentence_end(words, context)))
        elif len(words) > 2 * context:
            pieces.append(
                ("equal", lead + " ".join(words[:context]) + " … " + " ".join(words[-context:]) + trail)
            )
        else:
            pieces.append(("equal", text))
    return _cap(pieces, SNIPPET_WORDS)


def _ends_sentence(word: str) -> bool:
    return word.rstrip("\"'”’)»").endswith((".", "!", "?"))


def _sentence_start(words: list[str], limit: int) -> str:
    """The words before an edit back to the start of its sentence (at most ``limit``)."""
    kept: list[str] = []
    for word in reversed(words):
        if _ends_sentence(word):
            return " ".join(kept)
        if len(kept) == limit:
            return "… " + " ".join(kept)
        kept.insert(0, word)
    return " ".join(kept)


def _sentence_end(words: list[str], limit: int) -> str:
    """The words after an edit up to the end of its sentence (at most ``limit``)."""
    kept: list[str] = []
    for word in words:
        if len(kept) == limit:
            return " ".join(kept) + " …"
        kept.append(word)
        if _ends_sentence(word):
            break
    return " ".join(kept) + (" …" if len(kept) < len(words) and not _ends_sentence(kept[-1]) else "")


def _cap(pieces: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    total = 0
    for op, text in pieces:
        words = text.split()
        if total + len(words) > limit:
            room = max(limit - total, 0)
            if room:
                kept.append((op, " ".join(words[:room])))
            kept.append(("equal", " …"))
            break
        kept.append((op, text))
        total += len(words)
    return kept


def _quote(text: str) -> str:
    words = text.split()
    return " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value) if value else "(none)"


def _text_line(line: _Line) -> str:
    out = []
    for op, text in line.pieces:
        if line.marked and op == "delete":
            out.append(f"[-{text}-]")
        elif line.marked and op == "insert":
            out.append(f"{{+{text}+}}")
        else:
            out.append(text)
    return f"{line.label}: {''.join(out)}"


# -- HTML --------------------------------------------------------------------------


def _html_line(line: _Line) -> str:
    out = []
    for op, text in line.pieces:
        safe = escape(text)
        # The marks stay in the HTML too: the plain-text part of an email is derived from it.
        if line.marked and op == "delete":
            out.append(f'<del style="{_DEL_STYLE}">[-{safe}-]</del>')
        elif line.marked and op == "insert":
            out.append(f'<ins style="{_INS_STYLE}">{{+{safe}+}}</ins>')
        else:
            out.append(safe)
    return f"<li><strong>{escape(line.label)}:</strong> {''.join(out)}</li>"


def _html_event(event: dict, lines: list[_Line], left_out: int, link: str | None, *, heading: bool) -> str:
    url = event.get("url") or ""
    title = f"{TITLES.get(event['event'], event['event'])}: {event.get('headline') or url}"
    parts = [f"<h3>{escape(title)}</h3>"] if heading else []
    parts.append(f"<p>{_html_link(url, url)}<br>{escape(event.get('summary') or '')}</p>")
    if lines:
        parts.append("<ul>" + "".join(_html_line(line) for line in lines) + "</ul>")
    if left_out:
        parts.append(f"<p>… and {left_out} more {'change' if left_out == 1 else 'changes'}</p>")
    if link:
        # The address is the label: the plain-text part of an email keeps labels, not links.
        parts.append(f"<p>View the changes: {_html_link(link, link)}</p>")
    return "\n".join(parts)


def _html_link(url: str, label: str) -> str:
    if urlsplit(url).scheme not in ("http", "https"):
        return escape(label)  # never a javascript: or data: link
    return f'<a href="{escape(url, quote=True)}">{escape(label)}</a>'


def _html_document(title: str, sections: list[str]) -> str:
    body = "\n<hr>\n".join(sections)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        f'<body style="font-family:sans-serif;line-height:1.4">\n<h2>{escape(title)}</h2>\n{body}\n</body></html>'
    )
