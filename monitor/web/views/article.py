"""An article's timeline (``/watch/ID``) and its JSON twin, ``history --json`` (``/api/watches/ID/history``)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from monitor.changes.timeline import timeline
from monitor.web import pages
from monitor.web.responses import api, page

router = APIRouter()


@router.api_route("/watch/{watch_id}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/watch/{watch_id}/", methods=["GET", "HEAD"], include_in_schema=False)
def article_page(request: Request, watch_id: int):
    """Every version and lifecycle event of one article."""
    store = request.app.state.database.reader()
    return page(request, "article.html", **pages.article(store, store.watches.get(watch_id)))


@router.get(
    "/api/watches/{watch_id}/history", summary="Versions and events (`history --json`)", tags=["history"]
)
def history_json(request: Request, watch_id: int):
    """The timeline: versions with their change summaries, and lifecycle events."""
    store = request.app.state.database.reader()
    return api(timeline(store, store.watches.get(watch_id)))
