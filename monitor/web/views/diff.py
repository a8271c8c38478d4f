"""The changes between two versions (``/watch/ID/diff``), inline or side by side, and ``diff --format json``."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from monitor.actions.documents import diff_document
from monitor.web import pages
from monitor.web.responses import api, page
from monitor.web.views.params import positive_number

router = APIRouter()


def _context(request: Request, watch_id: int, from_: str | None, to: str | None, view: str) -> dict:
    store = request.app.state.database.reader()
    watch = store.watches.get(watch_id)
    return pages.diff(store, watch, positive_number("from", from_), positive_number("to", to), view)


@router.api_route("/watch/{watch_id}/diff", methods=["GET", "HEAD"], include_in_schema=False)
def diff_page(
    request: Request,
    watch_id: int,
    from_: str | None = Query(None, alias="from"),
    to: str | None = Query(None),
    view: str = Query("inline"),
):
    """Insertions and deletions marked, with the fields that changed."""
    return page(request, "diff.html", **_context(request, watch_id, from_, to, view))


@router.get(
    "/api/watches/{watch_id}/diff",
    summary="Changes between two versions (`diff --format json`)",
    tags=["history"],
)
def diff_json(
    request: Request,
    watch_id: int,
    from_: str | None = Query(None, alias="from", description="version (default: the one before `to`)"),
    to: str | None = Query(None, description="version (default: the latest)"),
):
    """``{"url", "watch_id", "from", "to", "summary", "fields", "words_added", "words_removed", "changes"}``."""
    context = _context(request, watch_id, from_, to, "inline")
    return api(diff_document(context["watch"], context["old"].number, context["new"].number, context["diff"]))
