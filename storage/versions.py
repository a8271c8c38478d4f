"""Versions: each distinct state of an article, with its raw page stored once, compressed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage import blobs
from storage.errors import NotFound

# A page is stored against at most this many pages in a row: reading it undoes as many deltas.
MAX_DELTA_CHAIN = 16
# The headlines a newsroom edits separately besides the chosen one (see the migration that added
# them): "" when the page had none, None when unknown (a version stored before they were read).
HEADLINE_VARIANTS = ("page_headline", "search_headline", "social_headline", "title")

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store


@dataclass(frozen=True)
class Version:
    """One stored version of an article: what the page said, normalized."""

    id: int
    watch_id: int
    number: int
    fetched_at: str
    url: str | None
    content_hash: str
    headline: str | None
    byline: list[str]
    published: str | None
    modified: str | None
    body: list[str]
    extractor: str | None
    page_hash: str | None
    page_headline: str | None = None
    search_headline: str | None = None
    social_headline: str | None = None
    title: str | None = None
    source: str = "live"  # live | archive (recovered from a web archive; fetched_at is the capture time)
    archive_url: str | None = None  # where an archived capture was replayed from

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Version:
        return cls(
            id=row["id"],
            watch_id=row["watch_id"],
            number=row["number"],
            fetched_at=row["fetched_at"],
            url=row["url"],
            content_hash=row["content_hash"],
            headline=row["headline"],
            byline=json.loads(row["byline"] or "[]"),
            published=row["published"],
            modified=row["modified"],
            body=json.loads(row["body"] or "[]"),
            extractor=row["extractor"],
            page_hash=row["page_hash"],
            **{name: row[name] for name in HEADLINE_VARIANTS},
            source=row["source"],
            archive_url=row["archive_url"],
        )

    def article_fields(self) -> dict:
        """The normalized article as a plain dict (the shape ``show --json`` prints)."""
        return {
            "headline": self.headline,
            **{name: getattr(self, name) for name in HEADLINE_VARIANTS},
            "byline": list(self.byline),
            "published": self.published,
            "modified": self.modified,
            "body": list(self.body),
        }


@dataclass
class NewVersion:
    """A version about to be stored; its number is assigned inside the transaction."""

    fetched_at: str
    url: str | None
    content_hash: str
    headline: str | None
    byline: list[str]
    published: str | None
    modified: str | None
    body: list[str]
    extractor: str | None
    raw_page: bytes | None = field(default=None, repr=False)
    page_headline: str | None = None  # "" when the page had none; None when not read
    search_headline: str | None = None
    social_headline: str | None = None
    title: str | None = None
    # The HTTP response the raw page came in: status and [name, value] header pairs, as received.
    response_status: int | None = None
    response_headers: list[tuple[str, str]] | None = field(default=None, repr=False)
    source: str = "live"
    archive_url: str | None = None


class VersionRepository:
    """Queries and writes on ``versions`` and ``pages``."""

    def __init__(self, store: Store):
        self.store = store

    def latest(self, watch_id: int) -> Version | None:
        """The newest version of a watch, if it has any."""
        row = self.store.conn.execute(
            "SELECT * FROM versions WHERE watch_id = ? ORDER BY number DESC LIMIT 1", (watch_id,)
        ).fetchone()
        return Version.from_row(row) if row else None

    def get(self, watch_id: int, number: int) -> Version:
        """Version ``number`` of a watch, or :class:`NotFound`."""
        row = self.store.conn.execute(
            "SELECT * FROM versions WHERE watch_id = ? AND number = ?", (watch_id, number)
        ).fetchone()
        if row is None:
            raise NotFound(f"watch {watch_id} has no version {number}")
        return Version.from_row(row)

    def by_id(self, version_id: int) -> Version | None:
        """The version with this row ID, if it still exists."""
        row = self.store.conn.execute("SELECT * FROM versions WHERE id = ?", (version_id,)).fetchone()
        return Version.from_row(row) if row else None

    def all(self, watch_id: int) -> list[Version]:
        """Every version of a watch, oldest first."""
        rows = self.store.conn.execute(
            "SELECT * FROM versions WHERE watch_id = ? ORDER BY number", (watch_id,)
        )
        return [Version.from_row(r) for r in rows]

    def headlines(self, watch_id: int) -> list[dict]:
        """Number, time, hash, headline and source of every version (no bodies), oldest first."""
        rows = self.store.conn.execute(
            "SELECT number, fetched_at, content_hash, headline, source FROM versions"
            " WHERE watch_id = ? ORDER BY number",
            (watch_id,),
        )
        return [dict(r) for r in rows]

    def recent_headlines(self, watch_id: int, limit: int = 12) -> list[str]:
        """The headlines of the newest ``limit`` versions, oldest first."""
        rows = self.store.conn.execute(
            "SELECT headline FROM versions WHERE watch_id = ? ORDER BY number DESC LIMIT ?", (watch_id, limit)
        )
        return [r[0] or "" for r in rows][::-1]

    def recent_headline_variants(self, watch_id: int, limit: int = 12) -> dict[str, list[str]]:
        """Each headline variant of the newest ``limit`` versions, oldest first; unknown ones left out."""
        rows = self.store.conn.execute(
            f"SELECT {', '.join(HEADLINE_VARIANTS)} FROM versions WHERE watch_id = ?"
            " ORDER BY number DESC LIMIT ?",
            (watch_id, limit),
        ).fetchall()
        return {
            name: [row[name] for row in reversed(rows) if row[name] is not None] for name in HEADLINE_VARIANTS
        }

    def count(self, watch_id: int) -> int:
        """How many versions a watch has."""
        return self.store.conn.execute(
            "SELECT COUNT(*) FROM versions WHERE watch_id = ?", (watch_id,)
        ).fetchone()[0]

    def raw_page(self, version: Version) -> bytes | None:
        """The page as fetched for this version, decompressed."""
        if not version.page_hash:
            return None
        return self._page_bytes(self.store.conn, version.page_hash)

    def response(self, version: Version) -> tuple[int | None, list[tuple[str, str]] | None]:
        """The HTTP status and headers the version's page came in (``None`` where they were not kept)."""
        row = self.store.conn.execute(
            "SELECT response_status, response_headers FROM versions WHERE id = ?", (version.id,)
        ).fetchone()
        if row is None or row["response_headers"] is None:
            return (row["response_status"] if row else None), None
        return row["response_status"], [(str(n), str(v)) for n, v in json.loads(row["response_headers"])]

    def _page_bytes(self, conn: sqlite3.Connection, page_hash: str) -> bytes | None:
        """A stored page's bytes, undoing its chain of deltas (at most :data:`MAX_DELTA_CHAIN` long)."""
        chain = []
        while page_hash is not None:
            row = conn.execute("SELECT codec, data, base FROM pages WHERE hash = ?", (page_hash,)).fetchone()
            if row is None:
                return None
            chain.append(row)
            page_hash = row["base"]
        data = None
        for row in reversed(chain):
            data = blobs.decompress(row["data"], row["codec"], base=data)
        return data

    def _base_page(
        self, conn: sqlite3.Connection, watch_id: int, url: str | None
    ) -> tuple[str, bytes] | None:
        """The page to compress a new page against: the watch's latest, else the newest of its site."""
        row = conn.execute(
            "SELECT page_hash FROM versions WHERE watch_id = ? AND page_hash IS NOT NULL"
            " ORDER BY number DESC LIMIT 1",
            (watch_id,),
        ).fetchone()
        if row is None and url:
            origin = _origin(url)
            # A few of the site's watches (found through the URL index), their newest page.
            row = conn.execute(
                "SELECT page_hash FROM versions WHERE watch_id IN (SELECT id FROM watches"
                " WHERE url >= ? AND url < ? AND id != ? LIMIT 20) AND page_hash IS NOT NULL"
                " ORDER BY id DESC LIMIT 1",
                (origin, origin + "\uffff", watch_id),
            ).fetchone()
        if row is None or self._chain_length(conn, row["page_hash"]) >= MAX_DELTA_CHAIN:
            return None
        data = self._page_bytes(conn, row["page_hash"])
        return (row["page_hash"], data) if data is not None else None

    def _chain_length(self, conn: sqlite3.Connection, page_hash: str | None) -> int:
        length = 0
        while page_hash is not None and length < MAX_DELTA_CHAIN:
            row = conn.execute("SELECT base FROM pages WHERE hash = ?", (page_hash,)).fetchone()
            page_hash = row["base"] if row else None
            length += 1
        return length

    def first(self, watch_id: int) -> Version | None:
        """The oldest version of a watch, if it has any."""
        row = self.store.conn.execute(
            "SELECT * FROM versions WHERE watch_id = ? ORDER BY number LIMIT 1", (watch_id,)
        ).fetchone()
        return Version.from_row(row) if row else None

    def insert_earlier(
        self, conn: sqlite3.Connection, watch_id: int, versions: list[NewVersion]
    ) -> list[Version]:
        """Store ``versions`` (oldest first) before every stored version of a watch; call inside a transaction.

        They become versions 1 to N; the stored versions, and the changes that name
        them, move up by N, so that numbers keep following the history's order.
        """
        shift = len(versions)
        if shift == 0:
            return []
        # Through negative numbers: "number + N" in place would collide with the unique index midway.
        conn.execute("UPDATE versions SET number = -number WHERE watch_id = ?", (watch_id,))
        conn.execute("UPDATE versions SET number = -number + ? WHERE watch_id = ?", (shift, watch_id))
        conn.execute(
            "UPDATE changes SET from_version = from_version + ?, to_version = to_version + ? WHERE watch_id = ?",
            (shift, shift, watch_id),
        )
        return [self.insert(conn, watch_id, new, number=n) for n, new in enumerate(versions, start=1)]

    def insert(
        self, conn: sqlite3.Connection, watch_id: int, new: NewVersion, *, number: int | None = None
    ) -> Version:
        """Store ``new`` as the next version of a watch (or as ``number``); call inside a transaction."""
        page_hash = None
        if new.raw_page is not None:
            page_hash = blobs.digest(new.raw_page)
            if conn.execute("SELECT 1 FROM pages WHERE hash = ?", (page_hash,)).fetchone() is None:
                base = self._base_page(conn, watch_id, new.url)
                if base is None:
                    codec, base_hash, data = blobs.CODEC, None, blobs.compress(new.raw_page)
                else:
                    codec, base_hash = blobs.DELTA_CODEC, base[0]
                    data = blobs.compress(new.raw_page, base=base[1])
                conn.execute(
                    "INSERT INTO pages (hash, codec, size, data, base) VALUES (?, ?, ?, ?, ?)",
                    (page_hash, codec, len(new.raw_page), data, base_hash),
                )
        if number is None:
            number = conn.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE watch_id = ?", (watch_id,)
            ).fetchone()[0]
        cursor = conn.execute(
            "INSERT INTO versions (watch_id, number, fetched_at, url, content_hash, headline,"
            " byline, published, modified, body, extractor, page_hash,"
            " page_headline, search_headline, social_headline, title,"
            " source, archive_url, response_status, response_headers)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                watch_id,
                number,
                new.fetched_at,
                new.url,
                new.content_hash,
                new.headline,
                json.dumps(new.byline, ensure_ascii=False),
                new.published,
                new.modified,
                json.dumps(new.body, ensure_ascii=False),
                new.extractor,
                page_hash,
                *(getattr(new, name) for name in HEADLINE_VARIANTS),
                new.source,
                new.archive_url,
                new.response_status,
                _json_or_none(new.response_headers),
            ),
        )
        row = conn.execute("SELECT * FROM versions WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return Version.from_row(row)


def _json_or_none(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _origin(url: str) -> str:
    """``scheme://host[:port]/`` of a URL: the prefix every page of its site shares."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/"
