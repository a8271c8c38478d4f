"""The list of watched articles (``/``) and its JSON twin, ``list --json`` (``/api/watches``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from monitor.actions.documents import watch_list
from monitor.web import pages
from monitor.web.responses import api, page
from monitor.web.views.params import positive_number

router = APIRouter()
STATES = ("active", "failing", "removed", "retired", "paused")


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def index_page(request: Request, page_number: str | None = Query(None, alias="page")):
    """Watched articles, the most recently changed first."""
    store = request.app.state.database.reader()
    return page(request, "index.html", **pages.index(store, positive_number("page", page_number) or 1))


@router.get("/api/watches", summary="List watches (the shape of `list --json`)", tags=["watches"])
def watches_json(
    request: Request, state: str | None = Query(None, description="active, failing, removed or retired")
):
    """Every watch: ``[{"id", "url", "label", "state", "interval", "versions", "last_checked", "headline", "reason"}]``."""
    if state is not None and state not in STATES:
        raise pages.BadRequest(f"unknown state {state!r}: choose one of {', '.join(STATES)}")
    return api(watch_list(request.app.state.database.reader(), state))
