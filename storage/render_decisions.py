"""Which sites are read in a browser, as the crawler decided from their pages (``render_decisions``),
and the trials in the browser that decided nothing yet (``render_trials``)."""

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

    def failed_trials(self, site: str) -> int:
        """How many trials of the site in the browser did not load its page, since its last decision."""
        rows = self.store.query("SELECT failed FROM render_trials WHERE site = ?", (site,))
        return rows[0]["failed"] if rows else 0

    def count_failed_trial(self, site: str, error: str) -> int:
        """Count one more trial of the site whose page did not load; the count so far."""
        with self.store.transaction() as conn:
            row = conn.execute(
                "INSERT INTO render_trials (site, failed, last_error, last_tried_at) VALUES (?, 1, ?, ?)"
                " ON CONFLICT (site) DO UPDATE SET failed = failed + 1, last_error = excluded.last_error,"
                " last_tried_at = excluded.last_tried_at RETURNING failed",
                (site, error, clock.now_text()),
            ).fetchall()[0]
        return row[0]

    def decide(self, site: str, mode: str, watch_id: int | None, reason: str) -> RenderDecision:
        """Record how the site is fetched from now on, replacing an earlier decision (and its trials)."""
        decided_at = clock.now_text()
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM render_trials WHERE site = ?", (site,))
            conn.execute(
                "INSERT INTO render_decisions (site, mode, decided_at, watch_id, reason) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (site) DO UPDATE SET mode = excluded.mode, decided_at = excluded.decided_at,"
                " watch_id = excluded.watch_id, reason = excluded.reason",
                (site, mode, decided_at, watch_id, reason),
            )
        return RenderDecision(site, mode, decided_at, watch_id, reason)
