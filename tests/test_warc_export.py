"""WARC export of live checks, reconstructed headers for older pages, and reading archives' CDX answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archives import ArchiveEndpoints, ArchiveError, original_headers, parse_cdx
from monitor.demo.site import NewsSite
from storage import NewVersion, Store, clock
from tests.conftest import Workspace


def _records(path: Path) -> list:
    with path.open("rb") as handle:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]


def test_live_checks_keep_their_response_headers_for_the_warc(workspace: Workspace):
    with NewsSite(seed=1, etags=True) as site:
        url = site.url(next(iter(site.stories)))
        workspace.run("add", url)
        workspace.run("check")
    out = workspace.path / "out.warc"
    workspace.run("export", "--format", "warc", "-o", str(out))

    with Store(workspace.db) as store:
        version = store.versions.latest(1)
        raw = store.versions.raw_page(version)
        status, headers = store.versions.response(version)
    etag = next(value for name, value in headers if name.lower() == "etag")
    assert status == 200 and etag.startswith('"')

    records = _records(out)
    assert [r[0] for r in records] == ["warcinfo", "response", "metadata"]
    _, warc, http, body = records[1]
    assert body == raw
    assert http.get_statuscode() == "200"
    assert http.get_header("ETag") == etag and http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("Content-Length") == str(len(raw))
    assert warc.get_header("WARC-Target-URI") == url
    assert warc.get_header("WARC-Date") == clock.from_text(version.fetched_at).strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata = records[2][3].decode()
    assert records[2][1].get_header("WARC-Concurrent-To") == warc.get_header("WARC-Record-ID")
    assert f"content-hash: {version.content_hash}" in metadata
    assert "editwatch-version: 1" in metadata and "editwatch-headers: as received" in metadata


def test_pages_stored_without_headers_get_reconstructed_ones_and_say_so(workspace: Workspace):
    page = "<html><head><title>Vote</title></head><body><p>Le conseil a voté.</p></body></html>".encode()
    with Store(workspace.db) as store:
        watch, _ = store.watches.add("https://news.example/vote")
        with store.transaction() as conn:
            store.versions.insert(conn, watch.id, NewVersion(
                fetched_at="2025-06-01T10:20:30.123456+00:00", url=watch.url, content_hash="h1",
                headline="Vote", byline=[], published=None, modified=None, body=["Le conseil a voté."],
                extractor="test", raw_page=page,
            ))  # fmt: skip
    out = workspace.path / "old.warc.gz"
    workspace.run("export", "1", "--format", "warc", "-o", str(out))
    records = _records(out)
    assert "reconstructed" in records[0][3].decode()  # the warcinfo record's note
    _, warc, http, body = records[1]
    assert body == page and warc.get_header("WARC-Date") == "2025-06-01T10:20:30Z"
    assert http.get_statuscode() == "200"
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("Date") == "Sun, 01 Jun 2025 10:20:30 GMT"
    assert "editwatch-headers: reconstructed" in records[2][3].decode()
    assert out.read_bytes()[:2] == b"\x1f\x8b"  # gzipped, record by record


def test_cdx_answers_of_the_wayback_machine_and_pywb_list_the_same_captures():
    wayback = (
        b'[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],'
        b'["com,example)/story","20240302080000","https://example.com/story","text/html","200","B","9"],'
        b'["com,example)/story","20240301080000","https://example.com/story","text/html","404","A","9"]]'
    )
    pywb = (
        b'{"urlkey": "com,example)/story", "timestamp": "20240301080000", "url": "https://example.com/story",'
        b' "mime": "text/html", "status": "404", "digest": "A"}\n'
        b'{"urlkey": "com,example)/story", "timestamp": "20240302080000", "url": "https://example.com/story",'
        b' "mime": "text/html", "status": "200", "digest": "B"}\n'
    )
    assert parse_cdx(wayback) == parse_cdx(pywb)
    first, second = parse_cdx(pywb)
    assert (first.status, second.status) == (404, 200)
    assert second.captured_at == datetime(2024, 3, 2, 8, tzinfo=UTC)
    assert parse_cdx(b"") == [] and parse_cdx(b"[]") == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Service unavailable</html>",
        b"\xff\xfe\x00garbage",
        b'[["timestamp"],["yesterday"]]',
        b'{"url": 1}',
    ],
)
def test_a_cdx_answer_that_is_not_one_is_refused(body: bytes):
    with pytest.raises(ArchiveError):
        parse_cdx(body)


def test_archive_endpoints_and_the_captures_own_headers():
    wayback = ArchiveEndpoints.from_urls(None)
    assert wayback.replay == "https://web.archive.org/web/"
    pywb = ArchiveEndpoints.from_urls("http://127.0.0.1:8080/news/cdx")
    (capture,) = parse_cdx(b'{"timestamp": "20240301080000", "url": "https://example.com/s?a=1"}')
    assert (
        pywb.raw_capture_url(capture)
        == "http://127.0.0.1:8080/news/20240301080000id_/https://example.com/s?a=1"
    )
    assert "url=https%3A%2F%2Fexample.com%2Fs%3Fa%3D1" in pywb.listing_url(capture.original)
    replayed = [
        ("Content-Type", "text/html"),
        ("Memento-Datetime", "Fri, 01 Mar 2024 08:00:00 GMT"),
        ("Date", "Wed, 02 Dec 2026 00:50:20 GMT"),  # the replay's, not the capture's
        ("X-Archive-Orig-Server", "nginx"),
        ("Server", "wayback"),
        ("Link", '<https://example.com/s>; rel="original"'),
    ]
    assert original_headers(replayed, capture.captured_at) == [
        ("Content-Type", "text/html"),
        ("Server", "nginx"),
    ]
    # A pywb collection's own address, and the Wayback Machine's home, name their CDX API too.
    assert ArchiveEndpoints.from_urls("http://127.0.0.1:8080/news/") == pywb
    assert ArchiveEndpoints.from_urls("https://web.archive.org/") == wayback
    with pytest.raises(ValueError, match="--replay"):
        ArchiveEndpoints.from_urls("http://127.0.0.1:8080/")
    custom = ArchiveEndpoints.from_urls("http://127.0.0.1:8080/", replay="http://127.0.0.1:8081/replay")
    assert custom.replay == "http://127.0.0.1:8081/replay/"
