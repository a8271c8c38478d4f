"""One stored version (``/watch/ID/version/N``) and its JSON twin, ``show --json``."""

from __future__ import annotations

from fastapi import APIRouter, Request

from monitor.actions.documents import version_document
from monitor.web import pages
from monitor.web.responses import api, page

router = APIRouter()


@router.api_route("/watch/{watch_id}/version/{number}", methods=["GET", "HEAD"], include_in_schema=False)
def version_page(request: Request, watch_id: int, number: int):
    """The text of one stored version."""
    store = request.app.state.database.reader()
    return page(request, "version.html", **pages.version(store, store.watches.get(watch_id), number))


@router.get(
    "/api/watches/{watch_id}/versions/{number}",
    summary="One stored version (`show --json`)",
    tags=["history"],
)
def version_json(request: Request, watch_id: int, number: int):
    """The stored article of version ``number``."""
    store = request.app.state.database.reader()
    context = pages.version(store, store.watches.get(watch_id), number)
    return api(version_document(context["watch"], context["version"]))
