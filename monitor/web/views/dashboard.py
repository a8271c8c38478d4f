"""The dashboard (``/dashboard``): latest edits across all watches, filterable by site, label and
category; failing watches and why; the daemon and what is due. Its JSON twins: ``/api/status``
(``status --json``) and ``/api/changes`` (the same filtered edits)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request

from monitor.actions import BadInput
from monitor.actions.documents import status_document
from monitor.changes.timeline import categories
from monitor.diffing.engine import CATEGORIES
from monitor.web.responses import api, page

router = APIRouter()
SCANNED = 1000  # recent changes looked through for the filters
SHOWN = 50
DUE_SHOWN = 20  # watches due now, oldest first: a long list means the daemon is behind or stopped


def latest_edits(store, site: str = "", label: str = "", category: str = "") -> list[dict]:
    """Edits, newest first, of watches on ``site``, with ``label``, with a change of ``category``."""
    site, label, category = site.strip().lower(), label.strip(), category.strip().lower()
    if category and category not in CATEGORIES:
        raise BadInput(f"unknown category {category!r}; choose from {', '.join(CATEGORIES)}")
    edits = []
    for row in store.overview.recent_changes(SCANNED):
        if row["event"] != "edit":
            continue
        host = (urlsplit(row["url"]).hostname or "").lower()
        terms = categories(json.loads(row["diff"] or "[]"))
        if site and host != site and not host.endswith("." + site):
            continue
        if label and row["label"] != label:
            continue
        if category and category not in terms:
            continue
        edits.append({
            "change_id": row["id"], "watch_id": row["watch_id"], "url": row["url"], "site": host,
            "label": row["label"], "headline": row["headline"], "from": row["from_version"],
            "to": row["to_version"], "detected_at": row["detected_at"], "summary": row["summary"],
            "categories": terms, "words_added": row["words_added"], "words_removed": row["words_removed"],
        })  # fmt: skip
        if len(edits) == SHOWN:
            break
    return edits


def _filters(store) -> dict:
    rows = store.watches.summaries()
    return {
        "sites": sorted({urlsplit(r["url"]).hostname or "" for r in rows} - {""}),
        "labels": sorted({r["label"] for r in rows if r["label"]}),
    }


@router.api_route("/dashboard", methods=["GET", "HEAD"], include_in_schema=False)
def dashboard_page(request: Request, site: str = "", label: str = "", category: str = ""):
    """Everything at a glance."""
    store = request.app.state.database.reader()
    return page(
        request, "dashboard.html", daemon_status=status_document(store, store.path),
        edits=latest_edits(store, site, label, category), due=store.watches.overdue(limit=DUE_SHOWN), chosen={"site": site, "label": label, "category": category},
        categories=CATEGORIES,
        **_filters(store),
    )  # fmt: skip


@router.get("/api/status", summary="Daemon, watches by state, what is due (`status --json`)", tags=["status"])
def status_json(request: Request):
    """``{"database", "daemon": {"running", "pid", "since"}, "watches", "due", "next_due_at", ..., "failing"}``."""
    store = request.app.state.database.reader()
    return api(status_document(store, store.path))


@router.get("/api/changes", summary="Latest edits across all watches, filtered", tags=["status"])
def changes_json(
    request: Request,
    site: str = Query("", description="a host, e.g. example.com (its subdomains too)"),
    label: str = Query(""),
    category: str = Query("", description="headline, byline, dates, edit, addition, deletion, move, ..."),
):
    """``[{"change_id", "watch_id", "url", "site", "label", "headline", "from", "to", "summary", "categories", ...}]``."""
    return api(latest_edits(request.app.state.database.reader(), site, label, category))
