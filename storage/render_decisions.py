"""Which sites are read in a browser, as the crawler decided from their pages (``render_decisions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage import clock

if TYPE_CHECKING:
    from storage.database import Store

BROWSER = "browser"
STATIC = "static"


@dataclass(frozen=True)
class RenderDecision:
    """How a site's pages are fetched from now on, since when, and which watch's check decided it."""

    site: str
    mode: str  # browser | static
    decided_at: str
    watch_id: int | None
    reason: str


class RenderDecisionRepository:
    """Queries and writes on ``render_decisions``, keyed by site (the host without "www.")."""

    def __init__(self, store: Store):
        self.store = store

    def get(self, site: str) -> RenderDecision | None:
        """The site's decision, if one was made."""
        rows = self.store.query(
            "SELECT site, mode, decided_at, watch_id, reason FROM render_decisions WHERE site = ?", (site,)
        )
        return RenderDecision(**dict(rows[0])) if rows else None

    def all(self) -> list[RenderDecision]:
        """Every decision, most recent first."""
        rows = self.store.query(
            "SELECT site, mode, decided_at, watch_id, reason FROM render_decisions ORDER BY decided_at DESC"
        )
        return [RenderDecision(**dict(row)) for row in rows]

    def for_watch(self, watch_id: int) -> list[RenderDecision]:
        """The decisions a check of this watch made."""
        rows = self.store.query(
            "SELECT site, mode, decided_at, watch_id, reason FROM render_decisions WHERE watch_id = ?",
            (watch_id,),
        )
        return [RenderDecision(**dict(row)) for row in rows]

    def decide(self, site: str, mode: str, watch_id: int | None, reason: str) -> RenderDecision:
        """Record how the site is fetched from now on, replacing an earlier decision."""
        decided_at = clock.now_text()
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO render_decisions (site, mode, decided_at, watch_id, reason) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (site) DO UPDATE SET mode = excluded.mode, decided_at = excluded.decided_at,"
                " watch_id = excluded.watch_id, reason = excluded.reason",
                (site, mode, decided_at, watch_id, reason),
            )
        return RenderDecision(site, mode, decided_at, watch_id, reason)
