"""Faults the demo site can inject per story: what the open web does to a long-running watcher.

``NewsSite.set_fault(slug, kind)`` serves a story through one of :data:`FAULTS`
from then on, and ``set_fault(slug, None)`` serves it healthy again. The fault
suite (``tests/test_faults.py``, ``benchmarks/faults.py``) checks that none of
them makes a version or an alert, that each is recorded as a failed check, and
that the recovery is silent. Two faults live outside the site: a TLS error (a
site started with ``tls=`` and a self-signed certificate, see :mod:`monitor.demo.tls`)
and an unresolvable host name.
"""

from __future__ import annotations

import asyncio
import random

# kind -> what a reader of the fault table is told
FAULTS = {
    "http_500": "HTTP 500 Internal Server Error",
    "http_503": "HTTP 503 Service Unavailable",
    "http_429": "HTTP 429 Too Many Requests, Retry-After: 1",
    "slow": "no answer for longer than the download timeout",
    "stalled": "half the page, then silence",
    "reset": "connection reset (TCP RST) before any answer",
    "truncated": "Content-Length promises the page; the connection closes halfway",
    "random_bytes": "50 KB of random bytes as text/html",
    "huge": "a 20 MB page (no Content-Length)",
    "wrong_charset": "windows-1252 bytes declared as UTF-8",
    "mislabeled_charset": "windows-1252 bytes declared as windows-1251",
    "lossy_charset": "ISO-8859-1 bytes declared as UTF-8, characters it lacks (’ “ ” —) sent as ?",
    "mojibake": "UTF-8 encoded twice (é served as Ã©), declared UTF-8",
    "redirect_loop": "302 redirects in a loop",
}

SLOW_SECONDS = 30.0
HUGE_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


def head(status: int, reason: str, content_type: str, length: int | None, extra: dict[str, str]) -> bytes:
    """An HTTP/1.1 response head; no ``Content-Length`` when ``length`` is None (the body ends at close)."""
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}"]
    lines.append(f"Content-Length: {length}" if length is not None else "Connection: close")
    lines.extend(f"{k}: {v}" for k, v in extra.items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reencode(page: bytes, kind: str) -> tuple[str, bytes]:
    """The healthy UTF-8 ``page`` as a charset fault serves it: (Content-Type, bytes)."""
    text = page.decode("utf-8")
    if kind == "wrong_charset":
        return "text/html; charset=utf-8", text.encode("cp1252", errors="xmlcharrefreplace")
    if kind == "lossy_charset":
        # A CMS that writes its UTF-8 text out as Latin-1 and keeps the UTF-8 label.
        return "text/html; charset=utf-8", text.encode("latin-1", errors="replace")
    if kind == "mislabeled_charset":
        data = text.encode("cp1252", errors="xmlcharrefreplace")
        data = data.replace(b'<meta charset="utf-8">', b'<meta charset="windows-1251">')
        return "text/html; charset=windows-1251", data
    if kind == "mojibake":
        # A server that believes its UTF-8 is windows-1252 and "converts" it to UTF-8 again.
        doubled = "".join(
            chr(b) if 0x80 <= b < 0xA0 and _undefined(b) else bytes([b]).decode("cp1252") for b in page
        )
        return "text/html; charset=utf-8", doubled.encode("utf-8")
    raise ValueError(f"not a charset fault: {kind}")


def _undefined(byte: int) -> bool:
    try:
        bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return True
    return False


async def serve_fault(kind: str, writer: asyncio.StreamWriter, page: bytes, url: str) -> bool:
    """Answer one request for a faulty story; ``page`` is what a healthy answer would carry.

    Returns whether the connection may serve another request.
    """
    if kind == "http_500":
        body = b"<html><body><h1>Internal Server Error</h1></body></html>"
        writer.write(head(500, "Internal Server Error", "text/html", len(body), {}) + body)
    elif kind == "http_503":
        body = b"<html><body><h1>Service Unavailable</h1></body></html>"
        writer.write(head(503, "Service Unavailable", "text/html", len(body), {}) + body)
    elif kind == "http_429":
        body = b"<html><body><h1>Too Many Requests</h1></body></html>"
        writer.write(head(429, "Too Many Requests", "text/html", len(body), {"Retry-After": "1"}) + body)
    elif kind == "slow":
        await asyncio.sleep(SLOW_SECONDS)
        writer.write(head(200, "OK", "text/html; charset=utf-8", len(page), {}) + page)
    elif kind == "stalled":
        writer.write(head(200, "OK", "text/html; charset=utf-8", len(page), {}) + page[: len(page) // 2])
        await writer.drain()
        await asyncio.sleep(SLOW_SECONDS)
        return False
    elif kind == "truncated":
        writer.write(head(200, "OK", "text/html; charset=utf-8", len(page), {}) + page[: len(page) // 2])
        await writer.drain()
        return False
    elif kind == "random_bytes":
        noise = random.Random(len(url)).randbytes(50_000)
        writer.write(head(200, "OK", "text/html", len(noise), {}) + noise)
    elif kind == "huge":
        writer.write(head(200, "OK", "text/html; charset=utf-8", None, {}))
        writer.write(page[: page.find(b"<body") + 6] if b"<body" in page else b"<html><body>")
        filler = b"<p>" + b"lorem ipsum dolor sit amet " * (_CHUNK // 27) + b"</p>\n"
        sent = 0
        while sent < HUGE_BYTES:
            writer.write(filler)
            sent += len(filler)
            await writer.drain()
        writer.write(b"</body></html>")
        await writer.drain()
        return False
    elif kind in ("wrong_charset", "lossy_charset", "mislabeled_charset", "mojibake"):
        content_type, body = reencode(page, kind)
        writer.write(head(200, "OK", content_type, len(body), {}) + body)
    elif kind == "redirect_loop":
        target = url + "?loop=1" if "?loop=1" not in url else url.split("?loop=1")[0]
        writer.write(head(302, "Found", "text/html", 0, {"Location": target}))
    else:
        raise ValueError(f"unknown fault {kind!r}; choose from {', '.join(FAULTS)}")
    await writer.drain()
    return True
