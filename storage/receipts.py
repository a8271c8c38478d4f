"""Whether a check was recorded already: how the coordinator recognises a result delivered twice."""

from __future__ import annotations

from storage.database import Store


def check_recorded(store: Store, watch_id: int, checked_at: str) -> bool:
    """Whether the watch has a check made at exactly ``checked_at`` (a fetch's own timestamp)."""
    row = store.conn.execute(
        "SELECT 1 FROM checks WHERE watch_id = ? AND checked_at = ? LIMIT 1", (watch_id, checked_at)
    ).fetchone()
    return row is not None
