"""Listings for people: articles with their latest change, and the newest changes with their article."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Store

# The newest version's headline of the watch in the outer query.
_LATEST_HEADLINE = "(SELECT headline FROM versions v WHERE v.watch_id = w.id ORDER BY number DESC LIMIT 1)"


class OverviewRepository:
    """Read-only queries joining watches, versions and changes for the CLI and the web viewer."""

    def __init__(self, store: Store):
        self.store = store

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict]:
        """Watches with their newest headline and last change, most recently changed first.

        Watches that never changed follow, newest first.
        """
        rows = self.store.conn.execute(
            "SELECT w.id, w.url, w.label, w.state, w.added_at, w.last_checked_at, w.failure_reason,"
            " (SELECT COUNT(*) FROM versions v WHERE v.watch_id = w.id) AS versions,"
            f" {_LATEST_HEADLINE} AS headline,"
            " c.id AS change_id, c.detected_at AS changed_at, c.event, c.summary,"
            " c.from_version, c.to_version, c.words_added, c.words_removed"
            " FROM watches w"
            " LEFT JOIN changes c ON c.id = (SELECT MAX(id) FROM changes WHERE watch_id = w.id)"
            " ORDER BY c.id IS NULL, c.id DESC, w.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [dict(r) for r in rows]

    def count_articles(self) -> int:
        """How many watches there are."""
        return self.store.conn.execute("SELECT COUNT(*) FROM watches").fetchone()[0]

    def recent_changes(self, limit: int = 50, watch_id: int | None = None) -> list[dict]:
        """The newest changes (of one watch, or of all), newest first, with the article's URL and headline.

        ``headline`` is the headline of the version the change led to, or the
        newest one for lifecycle events; ``diff`` is the stored JSON text.
        """
        where, params = ("WHERE c.watch_id = ?", (watch_id, limit)) if watch_id else ("", (limit,))
        rows = self.store.conn.execute(
            "SELECT c.id, c.watch_id, c.event, c.from_version, c.to_version, c.detected_at,"
            " c.summary, c.fields, c.diff, c.words_added, c.words_removed, w.url, w.label,"
            f" COALESCE(v.headline, {_LATEST_HEADLINE}) AS headline"
            " FROM changes c JOIN watches w ON w.id = c.watch_id"
            " LEFT JOIN versions v ON v.watch_id = c.watch_id AND v.number = c.to_version"
            f" {where} ORDER BY c.id DESC LIMIT ?",
            params,
        )
        return [dict(r) for r in rows]
