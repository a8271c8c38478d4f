"""Site blocks: short blocks seen inside article containers, tallied per site, shape and watch.

The crawler records what each full extraction saw (:meth:`SiteBlockRepository.observe`)
and reads back, once per site, the shapes that are evidence of chrome
(:meth:`SiteBlockRepository.evidence`): seen on several watches of the site, or
changing between fetches of one watch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage import clock

if TYPE_CHECKING:
    from storage.database import Store

# Shapes per query when a few are asked for by name (SQLite's variable limit is far above).
_CHUNK = 500


@dataclass(frozen=True)
class BlockEvidence:
    """What a site's tally shows: shapes with the watches they were seen on, and shapes that changed."""

    watches: dict[str, frozenset[int]]
    changing: frozenset[str]


class SiteBlockRepository:
    """Queries and writes on ``site_blocks``."""

    def __init__(self, store: Store):
        self.store = store

    def evidence(
        self, site: str, min_watches: int, min_variants: int = 2, shapes: Iterable[str] | None = None
    ) -> BlockEvidence:
        """Shapes of ``site`` seen on at least ``min_watches`` watches, or that took ``min_variants``
        texts on one.

        One indexed query for the whole site; ``shapes`` narrows it to those shapes
        (to refresh what a new observation may have changed).
        """
        wanted = list(dict.fromkeys(shapes)) if shapes is not None else None
        rows: list = []
        chunks = (
            [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)] if wanted is not None else [None]
        )
        for chunk in chunks:
            if chunk == []:
                continue
            only = f" AND shape IN ({', '.join('?' * len(chunk))})" if chunk else ""
            rows.extend(
                self.store.conn.execute(
                    "SELECT shape, watch_id, variants FROM site_blocks WHERE site = ? AND shape IN"
                    f" (SELECT shape FROM site_blocks WHERE site = ?{only}"
                    " GROUP BY shape HAVING COUNT(*) >= ? OR MAX(variants) >= ?)",
                    (site, site, *(chunk or ()), min_watches, min_variants),
                ).fetchall()
            )
        watches: dict[str, set[int]] = {}
        changing: set[str] = set()
        for shape, watch_id, variants in rows:
            watches.setdefault(shape, set()).add(watch_id)
            if variants >= min_variants:
                changing.add(shape)
        return BlockEvidence(
            {shape: frozenset(ids) for shape, ids in watches.items() if len(ids) >= min_watches},
            frozenset(changing),
        )

    def observe(self, site: str, watch_id: int, blocks: Iterable[tuple[str, str]]) -> None:
        """Record that a fetch of ``watch_id`` showed these ``(shape, text_key)`` blocks."""
        now = clock.now_text()
        rows = [(site, shape, watch_id, text_key, now) for shape, text_key in dict(blocks).items()]
        if not rows:
            return
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO site_blocks (site, shape, watch_id, text_key, variants, seen_at)"
                " VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (site, shape, watch_id) DO UPDATE SET"
                " variants = variants + (text_key != excluded.text_key),"
                " text_key = excluded.text_key, seen_at = excluded.seen_at",
                rows,
            )
