"""Every article that ever contained a phrase (``/search``) and ``search --json`` (``/api/search``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from monitor.web import pages
from monitor.web.responses import api, page

router = APIRouter()


@router.api_route("/search", methods=["GET", "HEAD"], include_in_schema=False)
def search_page(request: Request, q: str = Query("")):
    """Search results with the versions that added and removed the phrase."""
    return page(request, "search.html", **pages.search(request.app.state.database.reader(), q))


@router.get("/api/search", summary="Search every version (`search --json`)", tags=["history"])
def search_json(request: Request, q: str = Query(..., description="a phrase")):
    """``[{"url", "watch_id", "added_in", "removed_in", "versions", "headline", ...}]``."""
    context = pages.search(request.app.state.database.reader(), q)
    if context["problem"]:
        raise pages.BadRequest(context["problem"])
    return api([r.to_dict() for r in context["results"]])
