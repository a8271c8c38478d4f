"""Text as pages give it, made readable: bytes decoded, entities resolved, mojibake repaired.

These helpers keep what the page says (they never fold typography; that is the
comparison form's job, see :mod:`crawler.extraction.comparison`).
"""

from __future__ import annotations

import codecs
import html
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Labels that browsers treat as windows-1252 (the WHATWG encoding standard).
_LATIN1_LABELS = {
    "iso-8859-1",
    "iso8859-1",
    "latin-1",
    "latin1",
    "us-ascii",
    "ascii",
    "windows-1252",
    "cp1252",
}
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# UTF-8 read as windows-1252: "Ã¤" for "ä", "â€™" for "’".
_MOJIBAKE = re.compile(
    "[ÂÃÅÆâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # not tab, line breaks or NEL (spaces)


def decode_page(data: bytes, declared: str | None = None) -> str:
    """Decode a page: byte-order mark, then UTF-8 when the bytes are valid UTF-8, then the
    declared charset (HTTP header, then ``<meta charset>``), then windows-1252.

    Valid UTF-8 wins over any label: pages whose server or template mislabels
    them are common, and other encodings almost never form valid UTF-8 by chance.
    """
    return decode_page_as(data, declared)[0]


def decode_page_as(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """:func:`decode_page`, and the codec that decoded the page (Python's name: ``utf-8``, ``cp1252``...).

    A label that does not fit the bytes is not obeyed: a page declared UTF-8 whose bytes are
    not UTF-8 (a CMS that serves Latin-1 under ``charset=utf-8``) is read as what its bytes
    are (the ``<meta>`` label when that names another charset, else windows-1252 for the bytes
    that are not UTF-8), never as replacement characters.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), codecs.lookup(encoding).name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:8192])
    for label in (declared, match.group(1).decode("ascii") if match else None):
        codec = _codec_for(label)
        if codec is None or codec == "utf-8":
            continue  # unknown, or UTF-8 that the bytes have just shown not to be
        return data.decode(codec, errors="replace"), codec
    if _UTF8_SEQUENCE.search(data):
        # Mostly UTF-8 with stray single-byte characters (a template in UTF-8, text pasted in
        # Latin-1): each part read as what it is.
        return data.decode("utf-8", errors=_LATIN1_FALLBACK), "utf-8"
    return data.decode("cp1252", errors="replace"), "cp1252"


def _codec_for(label: str | None) -> str | None:
    """Python's codec name for a charset label, windows-1252 for the labels browsers read as it."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _read_as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """A decode error handler: bytes that are not UTF-8 read as windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="replace"), error.end


_LATIN1_FALLBACK = "editwatch-windows-1252"
codecs.register_error(_LATIN1_FALLBACK, _read_as_windows_1252)
# A multi-byte UTF-8 sequence: evidence that the page is UTF-8 where it is not broken.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as windows-1252 somewhere upstream (``"StÃ¤rke"`` → ``"Stärke"``)."""
    if not _MOJIBAKE.search(text):
        return text
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return text  # real non-Latin text: not mojibake
            raw.append(ord(char))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def clean_text(text: str | None) -> str:
    """One line of readable text: entities resolved (even double-escaped ones), mojibake repaired,
    control characters dropped, spaces collapsed."""
    if not text:
        return ""
    for _ in range(2):
        if "&" in text and _ENTITY.search(text):
            text = html.unescape(text)
    text = repair_mojibake(text)
    # After the repair, which needs them: no text of a page may carry ESC or other controls to a
    # terminal (JSON-LD's "\u001b" and &#27; decode to one, and would reach `editwatch show`).
    # Spaces collapsed by split and join: the same whitespace as the regex \s, several times faster.
    return " ".join(_CONTROLS.sub("", text).split())
