"""Compression of raw pages: zstd, so a 50 KB article costs a few KB on disk."""

from __future__ import annotations

import hashlib

import zstandard

CODEC = "zstd"
_LEVEL = 12


def digest(data: bytes) -> str:
    """Content address of a raw page (hex SHA-256)."""
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes) -> bytes:
    """Compress raw page bytes for storage."""
    return zstandard.ZstdCompressor(level=_LEVEL).compress(data)


def decompress(data: bytes, codec: str = CODEC) -> bytes:
    """Undo :func:`compress`; ``codec`` names how the blob was written."""
    if codec == "identity":
        return data
    if codec != CODEC:
        raise ValueError(f"unknown blob codec {codec!r}")
    return zstandard.ZstdDecompressor().decompress(data)
