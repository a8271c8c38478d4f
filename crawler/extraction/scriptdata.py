"""The JSON state blobs an application shell embeds in its scripts, found and parsed without running them.

Two shapes carry them: a data script (``<script id="__NEXT_DATA__" type="application/json">``,
Nuxt's ``__NUXT_DATA__``) and an assignment in an inline script (``window.__INITIAL_STATE__ = {...};``,
``Fusion.globalContent={...}``, ``window.__APOLLO_STATE__ = JSON.parse("...")``). An assigned value
is read only when it is JSON: the decoder stops at the end of the balanced object (braces inside
strings and escaped quotes included), and a literal JSON cannot read (``undefined``, a function,
a single-quoted string) is skipped. Nothing is ever evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import html as lxml_html

# Larger blobs are refused unread: no article needs them, and parsing them would cost seconds.
MAX_BLOB_CHARS = 5_000_000
# Script types that hold data rather than code (JSON-LD has its own layer).
_DATA_TYPES = {"application/json", "text/json"}
_CODE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
# ``= {`` / ``= [`` / ``= JSON.parse("`` (the value starts at the match's end). The dotted name before it
# is read backwards from there: a regex that matched the name first would take quadratic time over a
# long run of word characters.
_ASSIGNMENT = re.compile(r"=\s*(?:(JSON\.parse\(\s*)(?=\")|(?=[{\[]))")
_NAME = re.compile(r"(?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*")
_MAX_NAME = 200
_NAME_PREFIX = re.compile(r"^(?:window|self|globalThis|document)\.")
_DECODER = json.JSONDecoder()


@dataclass
class StateScript:
    """One script that may carry a state blob: its name (``__NEXT_DATA__``) and its text."""

    name: str
    text: str
    is_data: bool  # a data script (the whole text is JSON), not code with assignments in it


@dataclass
class StateBlob:
    """A parsed state blob and where it came from."""

    name: str
    value: object


def state_scripts(tree: lxml_html.HtmlElement) -> list[StateScript]:
    """The page's inline data scripts and inline code scripts that assign an object, in page order.

    Read before the body search removes scripts from the tree; only the text is kept, unparsed.
    """
    found = []
    for script in tree.iter("script"):
        if script.get("src"):
            continue
        kind = (script.get("type") or "").strip().lower()
        text = script.text or ""
        if kind in _DATA_TYPES:
            name = script.get("id") or script.get("data-target") or "application/json"
            found.append(StateScript(name.strip(), text, True))
        elif kind in _CODE_TYPES and "=" in text and ("{" in text or "JSON.parse" in text):
            found.append(StateScript("script", text, False))
    return found


def parse_blobs(scripts: list[StateScript]) -> Iterator[StateBlob]:
    """The JSON objects the scripts carry (data scripts whole, code scripts by assignment)."""
    for script in scripts:
        if len(script.text) > MAX_BLOB_CHARS:
            continue
        if script.is_data:
            value = parse_json(script.text)
            if is_flattened(value):
                value = unflatten(value)
            if isinstance(value, (dict, list)):
                yield StateBlob(script.name, resolve_references(value))
            continue
        for name, value in assigned_objects(script.text):
            yield StateBlob(name, resolve_references(value))


def parse_json(text: str) -> object | None:
    """``text`` as JSON, or ``None`` when it is not JSON or too large to read."""
    if len(text) > MAX_BLOB_CHARS:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def assigned_objects(code: str) -> Iterator[tuple[str, object]]:
    """``(name, value)`` for each ``name = <JSON object or array>`` in a script's code.

    ``name = JSON.parse("...")`` counts when the string literal is JSON and its content is too.
    Values that are not JSON are skipped, each at the cost of one failed decode.
    """
    if len(code) > MAX_BLOB_CHARS:
        return
    position = 0
    while True:
        match = _ASSIGNMENT.search(code, position)
        if match is None:
            return
        position = match.end()
        name = _name_before(code, match.start())
        if name is None:  # ``==``, ``<=``, a property in a literal: not an assignment
            continue
        value, end = read_literal(code, match.end())
        if value is None:
            continue
        position = end
        if isinstance(value, str):  # the argument of JSON.parse
            value = parse_json(value)
        if isinstance(value, (dict, list)) and value:
            yield _NAME_PREFIX.sub("", name), value


def _name_before(code: str, end: int) -> str | None:
    """The dotted name that ends (before blanks) at ``code[end]``, if one does."""
    stop = end
    while stop > 0 and code[stop - 1] in " \t\r\n":
        stop -= 1
    start = stop
    while start > max(0, stop - _MAX_NAME) and (code[start - 1].isalnum() or code[start - 1] in "_$."):
        start -= 1
    name = code[start:stop]
    return name if _NAME.fullmatch(name) else None


def read_literal(code: str, start: int) -> tuple[object | None, int]:
    """The JSON value that starts at ``code[start]`` and where it ends; ``(None, start)`` when it is not JSON.

    The decoder finds the end of the balanced object itself, strings and escapes included.
    """
    if start >= len(code) or code[start] not in '{["':
        return None, start
    try:
        return _DECODER.raw_decode(code, start)
    except (ValueError, RecursionError):
        return None, start


# devalue's wrappers (Nuxt 3's ``__NUXT_DATA__``) around the value they hold.
_WRAPPERS = {"Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef", "Object"}


def is_flattened(value: object) -> bool:
    """Whether a JSON array is devalue's flat form (Nuxt 3): its first entry refers to others by index."""
    if not isinstance(value, list) or len(value) < 2:
        return False
    head = value[0]
    if isinstance(head, list) and len(head) == 2 and head[0] in _WRAPPERS:
        return isinstance(head[1], int) and 0 < head[1] < len(value)
    if not isinstance(head, dict) or not head:
        return False
    return all(isinstance(r, int) and not isinstance(r, bool) and r < len(value) for r in head.values())


def unflatten(values: list, max_depth: int = 60) -> object:
    """devalue's flat array as the nested value it encodes (every value there is an index into the array)."""
    built: dict[int, object] = {}

    def build(index: object, depth: int) -> object:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(values):
            return None  # negative indexes stand for undefined, holes, NaN and infinities
        if index in built or depth > max_depth:
            return built.get(index)
        value = values[index]
        if isinstance(value, dict):
            out: object = {}
            built[index] = out
            out.update((k, build(v, depth + 1)) for k, v in value.items())
        elif isinstance(value, list) and value and isinstance(value[0], str):
            tag = value[0]  # a typed value: ["Reactive", i], ["Date", "2026-…"], ["Set", …]
            out = build(value[1], depth + 1) if tag in _WRAPPERS and len(value) == 2 else None
            out = value[1] if tag == "Date" and len(value) == 2 else out
            built[index] = out
        elif isinstance(value, list):
            out = []
            built[index] = out
            out.extend(build(v, depth + 1) for v in value)
        else:
            out = value
            built[index] = out
        return out

    return build(0, 0)


def resolve_references(value: object) -> object:
    """A normalized cache (Apollo's ``{"Article:1": {...}, "Paragraph:7": {...}}``) with each
    ``{"__ref": "Paragraph:7"}`` replaced, in place, by the entry it names; other values as they are.

    The result may hold cycles; whoever walks it bounds the walk.
    """
    if not isinstance(value, dict) or not any(
        isinstance(v, dict) and "__typename" in v for v in value.values()
    ):
        return value
    stack: list = [value]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for key, child in list(node.items() if isinstance(node, dict) else enumerate(node)):
            ref = child.get("__ref") if isinstance(child, dict) and len(child) == 1 else None
            if isinstance(ref, str) and isinstance(value.get(ref), dict):
                node[key] = value[ref]
            elif isinstance(child, (dict, list)):
                stack.append(child)
    return value
