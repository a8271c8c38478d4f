"""The JSON documents of the README's contract (``list``, ``show``, ``diff``, ``status``), built once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.diffing.engine import ArticleDiff
    from storage import Store
    from storage.versions import Version
    from storage.watches import Watch


def watch_list(store: Store, state: str | None = None) -> list[dict[str, Any]]:
    """``list --json``: every watch, or those in ``state``."""
    rows = store.watches.summaries()
    return [
        {
            "id": r["id"],
            "url": r["url"],
            "label": r["label"],
            "state": r["state"],
            "interval": r["interval_seconds"],
            "versions": r["versions"],
            "last_checked": r["last_checked_at"],
            "headline": r["headline"],
            "reason": r["failure_reason"] if r["state"] == "failing" else None,
        }
        for r in rows
        if state is None or r["state"] == state
    ]


def version_document(watch: Watch, version: Version) -> dict[str, Any]:
    """``show --json``: one stored version of an article."""
    return {
        "watch_id": watch.id,
        "url": watch.url,
        "version": version.number,
        "fetched_at": version.fetched_at,
        "content_hash": version.content_hash,
        "extractor": version.extractor,
        **version.article_fields(),
    }


def diff_document(watch: Watch, from_: int, to: int, result: ArticleDiff) -> dict[str, Any]:
    """``diff --format json``: the changes between two versions."""
    return {
        "url": watch.url,
        "watch_id": watch.id,
        "from": from_,
        "to": to,
        "summary": result.summary,
        "fields": result.fields,
        "words_added": result.words_added,
        "words_removed": result.words_removed,
        "changes": [c.to_dict() for c in result.changes],
    }


def status_document(store: Store, db_path: str) -> dict[str, Any]:
    """``status --json``: the daemon, watches by state, what is due, recent errors, failing watches."""
    from monitor.daemon.lock import DaemonLock

    holder = DaemonLock(db_path).holder_info()
    pid, since = holder if holder else (None, None)
    return {
        "database": db_path,
        "daemon": {"running": holder is not None, "pid": pid if pid and pid > 0 else None, "since": since},
        "watches": store.watches.count_by_state(),
        "due": store.watches.count_due(),
        "next_due_at": store.watches.next_due_at(),
        "last_success_at": store.checks.last_success_at(),
        "recent_errors": store.checks.recent_errors(10),
        "failing": store.watches.failing(20),
        "alerts": store.alerts.summary(),
        "sources": store.sources.overview(),
        "rendering": [
            {"site": d.site, "mode": d.mode, "decided_at": d.decided_at, "reason": d.reason}
            for d in store.render_decisions.all()
        ],
    }
