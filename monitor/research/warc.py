"""``editwatch export --format warc``: every stored capture as WARC records, for archives and replay tools.

Each version whose raw page is stored becomes a WARC ``response`` record: the
page's bytes as fetched, inside the HTTP status and headers it came with, dated
with its capture time (``fetched_at``). A ``metadata`` record after it
(``WARC-Concurrent-To`` the response) ties the capture to the watch, its
version number, content hash and the summary of what changed in it. pywb,
ReplayWeb.page and the Internet Archive's tools read the result.

Two things are not as they went over the wire, and the records say so: the body
is stored decoded (so ``Content-Encoding``/``Transfer-Encoding`` are dropped and
``Content-Length`` is the stored length), and pages fetched before editwatch kept
response headers get reconstructed ones (marked in their metadata record).
"""

from __future__ import annotations

import http
from collections.abc import Iterable
from email.utils import format_datetime
from io import BytesIO
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage import Store, Version, Watch, clock
from storage.checks import VERSION_EVENTS

# Framing headers that described the bytes on the wire, not the decoded body that is stored.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}

NOTE = (
    "Written by editwatch: one response record per stored version of each watched article, "
    "followed by a metadata record (application/warc-fields) naming its watch, version number, "
    "content hash and change summary. Bodies are stored decoded: Content-Encoding and "
    "Transfer-Encoding are removed and Content-Length is the stored length. Pages fetched before "
    "editwatch kept response headers carry reconstructed headers (status 200, Content-Type, "
    "Content-Length, Date), marked 'editwatch-headers: reconstructed' in their metadata record. "
    "Versions recovered from a web archive have source 'archive' and their replay address as archive-url."
)


def write_warc(store: Store, watches: Iterable[Watch], out: BinaryIO, *, gzip: bool = True) -> int:
    """Write every stored capture of ``watches`` to ``out`` as WARC records; returns how many captures."""
    from importlib.metadata import version as package_version

    writer = WARCWriter(out, gzip=gzip)
    info = {
        "software": f"editwatch/{package_version('editwatch')}",
        "format": "WARC File Format 1.0",
        "description": NOTE,
    }
    writer.write_record(writer.create_warcinfo_record("editwatch-export.warc", info))
    count = 0
    for watch in watches:
        summaries = {c.to_version: c for c in store.changes.for_watch(watch.id) if c.event in VERSION_EVENTS}
        for version in store.versions.all(watch.id):
            raw = store.versions.raw_page(version)
            if raw is None:
                continue  # stored before raw pages were kept: nothing to replay
            status, headers = store.versions.response(version)
            http_headers, kept = _http_headers(status, headers, raw, version)
            target = version.url or watch.url
            date = _warc_date(version.fetched_at)
            response = writer.create_warc_record(
                target,
                "response",
                payload=BytesIO(raw),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(response)
            fields = _metadata(watch, version, summaries.get(version.number), kept)
            metadata = writer.create_warc_record(
                target,
                "metadata",
                payload=BytesIO(fields),
                warc_content_type="application/warc-fields",
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            writer.write_record(metadata)
            count += 1
    return count


def _http_headers(
    status: int | None, headers: list[tuple[str, str]] | None, raw: bytes, version: Version
) -> tuple[StatusAndHeaders, bool]:
    """The status line and headers to replay ``raw`` with, and whether they are the ones received."""
    status = status or 200
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    kept = headers is not None
    if headers is None:
        moment = clock.from_text(version.fetched_at)
        headers = [("Content-Type", _content_type(raw))]
        if moment is not None:
            headers.append(("Date", format_datetime(moment, usegmt=True)))
    pairs = [(n, v) for n, v in headers if n.lower() not in _WIRE_HEADERS]
    pairs.append(("Content-Length", str(len(raw))))
    return StatusAndHeaders(f"{status} {reason}", pairs, protocol="HTTP/1.1"), kept


def _content_type(raw: bytes) -> str:
    """A Content-Type for a page whose headers were not kept: UTF-8 when it decodes as such."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "text/html"  # the page's own <meta charset> says which
    return "text/html; charset=utf-8"


def _metadata(watch: Watch, version: Version, change, kept: bool) -> bytes:
    """The capture's ``application/warc-fields`` block: one ``name: value`` per line."""
    fields = {
        "editwatch-watch": watch.id,
        "editwatch-version": version.number,
        "content-hash": version.content_hash,
        "fetched-at": version.fetched_at,
        "source": version.source,
        "archive-url": version.archive_url,
        "headline": version.headline,
        "change": change.summary if change is not None else "first version",
        "changed-fields": ", ".join(change.fields) if change is not None else None,
        "words-added": change.words_added if change is not None else None,
        "words-removed": change.words_removed if change is not None else None,
        "editwatch-headers": "as received" if kept else "reconstructed",
    }
    lines = [f"{name}: {_one_line(value)}" for name, value in fields.items() if value is not None]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _warc_date(fetched_at: str) -> str:
    """A stored timestamp as WARC-Date (UTC, to the second)."""
    moment = clock.from_text(fetched_at)
    if moment is None:
        return fetched_at
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
