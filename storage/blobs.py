"""Compression of raw pages: zstd, and zstd against a similar page, so that a page costs what is new in it.

Two fetches of a news page share nearly everything (the template, the menus, the
site's scripts, most of the article), so a raw page is compressed with an earlier
page as zstd's dictionary: the watch's previous version, or for its first version a
page of the same site. A 50 KB page then costs a few hundred bytes to a few KB.
"""

from __future__ import annotations

import hashlib

import zstandard

CODEC = "zstd"
DELTA_CODEC = "zstd-delta"  # compressed with another page (``pages.base``) as dictionary
# zstd's default level: higher levels cost milliseconds per page and save little here.
_LEVEL = 3


def digest(data: bytes) -> str:
    """Content address of a raw page (hex SHA-256)."""
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes, base: bytes | None = None) -> bytes:
    """Compress raw page bytes for storage, against ``base`` when given (see :data:`DELTA_CODEC`)."""
    if base is None:
        return zstandard.ZstdCompressor(level=_LEVEL).compress(data)
    dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    return zstandard.ZstdCompressor(level=_LEVEL, dict_data=dictionary).compress(data)


def decompress(data: bytes, codec: str = CODEC, base: bytes | None = None) -> bytes:
    """Undo :func:`compress`; ``codec`` names how the blob was written, ``base`` is its dictionary page."""
    if codec == "identity":
        return data
    if codec == DELTA_CODEC:
        if base is None:
            raise ValueError("a delta-compressed page needs its base page")
        dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(data)
    if codec != CODEC:
        raise ValueError(f"unknown blob codec {codec!r}")
    return zstandard.ZstdDecompressor().decompress(data)
