"""Article regions: per watch, where its article sits on the page and that region's last fingerprint.

Written in the check's own transaction by :meth:`CheckRepository.record`; read
before extraction, to skip it when the page's article region is the one that
showed the latest version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from storage.database import Store


@dataclass(frozen=True)
class LearnedRegion:
    """A watch's article region as the last full extraction found it."""

    content_hash: str  # the version the region showed
    recipe: str
    fingerprint: str
    learned_at: str


class RegionRepository:
    """Queries and writes on ``article_regions``."""

    def __init__(self, store: Store):
        self.store = store

    def for_check(self, watch_id: int) -> LearnedRegion | None:
        """The watch's region, if it still shows its latest version and the watch is simply active.

        One query: a check of an unchanged article makes few round trips.
        """
        return self.for_checks([watch_id]).get(watch_id)

    def for_checks(self, watch_ids: list[int]) -> dict[int, LearnedRegion]:
        """:meth:`for_check` for many watches in one query a few hundred at a time (those without one left out)."""
        found: dict[int, LearnedRegion] = {}
        for start in range(0, len(watch_ids), 500):
            chunk = watch_ids[start : start + 500]
            rows = self.store.conn.execute(
                "SELECT r.watch_id, r.content_hash, r.recipe, r.fingerprint, r.learned_at FROM article_regions r"
                " JOIN watches w ON w.id = r.watch_id"
                f" WHERE r.watch_id IN ({','.join('?' * len(chunk))}) AND w.state = 'active' AND r.content_hash ="
                " (SELECT content_hash FROM versions WHERE watch_id = r.watch_id ORDER BY number DESC LIMIT 1)",
                chunk,
            )
            found.update((row[0], LearnedRegion(*row[1:])) for row in rows)
        return found

    def save(self, conn: sqlite3.Connection, watch_id: int, region: LearnedRegion) -> None:
        """Remember a watch's region; call inside the check's transaction."""
        conn.execute(
            "INSERT INTO article_regions (watch_id, content_hash, recipe, fingerprint, learned_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (watch_id) DO UPDATE SET content_hash = excluded.content_hash,"
            " recipe = excluded.recipe, fingerprint = excluded.fingerprint, learned_at = excluded.learned_at",
            (watch_id, region.content_hash, region.recipe, region.fingerprint, region.learned_at),
        )
