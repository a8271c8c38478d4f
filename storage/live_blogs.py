"""Live blogs followed by choice: checked on their own interval until their time is up, then retired."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage import clock

if TYPE_CHECKING:
    from storage.database import Store


class LiveBlogRepository:
    """Queries and writes on ``live_blogs``."""

    def __init__(self, store: Store):
        self.store = store

    def follow(self, watch_id: int, reason: str, until: str, interval_seconds: int) -> bool:
        """Follow a watch as a live blog until ``until``, every ``interval_seconds`` unless it has its own.

        Returns False when it is already followed (its end is not pushed back).
        """
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO live_blogs (watch_id, reason, followed_since, follow_until)"
                " VALUES (?, ?, ?, ?)",
                (watch_id, reason, clock.now_text(), until),
            )
            if cursor.rowcount:
                conn.execute(
                    "UPDATE watches SET interval_seconds = ? WHERE id = ? AND interval_seconds IS NULL",
                    (interval_seconds, watch_id),
                )
            return cursor.rowcount == 1

    def get(self, watch_id: int) -> dict | None:
        """The live-blog entry of a watch, if it is followed as one."""
        row = self.store.conn.execute("SELECT * FROM live_blogs WHERE watch_id = ?", (watch_id,)).fetchone()
        return dict(row) if row else None

    def end_due(self, now: str | None = None) -> list[tuple[int, str]]:
        """Retire the live blogs whose time is up; returns their (watch ID, URL)."""
        now = now or clock.now_text()
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT l.watch_id, w.url FROM live_blogs l JOIN watches w ON w.id = l.watch_id"
                " WHERE l.ended_at IS NULL AND l.follow_until <= ?",
                (now,),
            ).fetchall()
            for watch_id, _ in rows:
                conn.execute("UPDATE live_blogs SET ended_at = ? WHERE watch_id = ?", (now, watch_id))
                conn.execute(
                    "UPDATE watches SET state = 'retired', next_check_at = NULL WHERE id = ?", (watch_id,)
                )
        return [(r[0], r[1]) for r in rows]
