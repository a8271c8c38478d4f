"""Managing watches from the browser and the API: add, import, relabel, pause, resume, remove.

Every write goes through :mod:`monitor.actions.watches`, the functions behind the CLI's
``add``, ``import``, ``pause``, ``resume`` and ``remove``; bad input gets their one-line
errors and stores nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from monitor.actions import watches as actions
from monitor.web.commands import run_command
from monitor.web.forms import INPUT_PROBLEMS, form_again
from monitor.web.responses import api, flash, page

router = APIRouter()


class NewWatch(BaseModel):
    """A watch to add (``editwatch add URL --label TEXT --every DURATION``)."""

    url: str
    label: str | None = None
    every: str | None = Field(None, description="90s, 30m, 2h, 1d, or auto")


class WatchList(BaseModel):
    """URLs to watch, one a line (``editwatch import``)."""

    text: str
    label: str | None = None
    every: str | None = None


class NewLabel(BaseModel):
    """A watch's new label (empty: none)."""

    label: str | None = None


def _blank(value: str | None) -> str | None:
    return value if value and value.strip() else None


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# -- pages --------------------------------------------------------------------------------


@router.api_route("/watches/new", methods=["GET", "HEAD"], include_in_schema=False)
def new_watch_page(request: Request):
    """The forms to add one watch or import a list."""
    return page(request, "watch_new.html")


@router.post("/watches", include_in_schema=False)
def add_from_form(request: Request, url: str = Form(""), label: str = Form(""), every: str = Form("")):
    """Add a watch from the form, then show its page."""
    try:
        with request.app.state.database.writer() as store:
            result = actions.add_watch(store, url, _blank(label), _blank(every))
    except INPUT_PROBLEMS as exc:
        return form_again(
            request, "watch_new.html", exc, "add-watch", {"url": url, "label": label, "every": every}
        )
    flash(request, f"{result['id']} {result['url']}: {result['message']}")
    return _back(f"/watch/{result['id']}")


@router.post("/watches/import", include_in_schema=False)
def import_from_form(request: Request, text: str = Form(""), label: str = Form(""), every: str = Form("")):
    """Import a list from the form."""
    try:
        with request.app.state.database.writer() as store:
            result = actions.import_urls(store, text, "list", _blank(label), _blank(every))
    except INPUT_PROBLEMS as exc:
        values = {"text": text, "label": label, "every": every}
        return form_again(request, "watch_new.html", exc, "import-watches", values)
    problems = "; ".join(result.problems)
    flash(request, result.summary + (f": {problems}" if problems else ""), "error" if problems else "done")
    return _back("/dashboard")


@router.post("/watch/{watch_id}/label", include_in_schema=False)
def relabel_from_form(request: Request, watch_id: int, label: str = Form("")):
    """Give the watch a new label."""
    with request.app.state.database.writer() as store:
        result = actions.relabel_watch(store, watch_id, label)
    flash(request, f"{result['id']} {result['url']}: {result['message']}")
    return _back(f"/watch/{watch_id}")


@router.post("/watch/{watch_id}/pause", include_in_schema=False)
def pause_from_form(request: Request, watch_id: int):
    """Stop checking the watch."""
    with request.app.state.database.writer() as store:
        result = actions.pause_watch(store, watch_id)
    flash(request, f"{result['id']} {result['url']}: {result['message']}")
    return _back(f"/watch/{watch_id}")


@router.post("/watch/{watch_id}/resume", include_in_schema=False)
def resume_from_form(request: Request, watch_id: int):
    """Check the watch again."""
    with request.app.state.database.writer() as store:
        result = actions.resume_watch(store, watch_id)
    flash(request, f"{result['id']} {result['url']}: {result['message']}")
    return _back(f"/watch/{watch_id}")


def check_watch(request: Request, watch_id: int) -> dict:
    """Fetch one watch now with ``editwatch check ID``; ``{"id", "ok", "output"}``."""
    request.app.state.database.reader().watches.get(watch_id)  # unknown: 404, no process
    return {"id": watch_id, **run_command(request, "check", str(watch_id))}


@router.post("/watch/{watch_id}/check", include_in_schema=False)
async def check_from_form(request: Request, watch_id: int):
    """Check now and show the outcome, as ``editwatch check`` prints it."""
    result = await run_in_threadpool(check_watch, request, watch_id)
    flash(request, result["output"] or "checked", "done" if result["ok"] else "error")
    return _back(f"/watch/{watch_id}")


@router.api_route("/watch/{watch_id}/remove", methods=["GET", "HEAD"], include_in_schema=False)
def confirm_remove_page(request: Request, watch_id: int):
    """Ask before deleting a watch's history."""
    store = request.app.state.database.reader()
    watch = store.watches.get(watch_id)
    latest = store.versions.latest(watch.id)
    return page(
        request, "watch_remove.html", watch=watch, versions=store.versions.count(watch.id),
        headline=latest.headline if latest else None,
    )  # fmt: skip


@router.post("/watch/{watch_id}/remove", include_in_schema=False)
def remove_from_form(request: Request, watch_id: int, confirm: str = Form("")):
    """Delete the watch once the confirmation box was ticked."""
    if confirm != "yes":
        flash(request, "not removed: tick the box to confirm", "error")
        return _back(f"/watch/{watch_id}/remove")
    with request.app.state.database.writer() as store:
        result = actions.remove_watch(store, watch_id)
    flash(request, f"{result['id']} {result['url']}: {result['message']}")
    return _back("/dashboard")


# -- API ----------------------------------------------------------------------------------


@router.post("/api/watches", status_code=201, summary="Add a watch (`editwatch add`)", tags=["watches"])
def add_json(request: Request, body: NewWatch):
    """``{"id", "url", "created", "changes", "message"}``; on a watched URL, the label and interval change."""
    with request.app.state.database.writer() as store:
        result = actions.add_watch(store, body.url, _blank(body.label), _blank(body.every))
    return api(result, 201 if result["created"] else 200)


@router.post(
    "/api/watches/import", summary="Watch every URL of a list (`editwatch import`)", tags=["watches"]
)
def import_json(request: Request, body: WatchList):
    """``{"added", "existing", "invalid": ["list:LINE: why", ...]}``."""
    with request.app.state.database.writer() as store:
        result = actions.import_urls(store, body.text, "list", _blank(body.label), _blank(body.every))
    return api(result.to_dict())


@router.post("/api/watches/{watch_id}/label", summary="Relabel a watch", tags=["watches"])
def relabel_json(request: Request, watch_id: int, body: NewLabel):
    """``{"id", "url", "label", "message"}``."""
    with request.app.state.database.writer() as store:
        return api(actions.relabel_watch(store, watch_id, body.label))


@router.post("/api/watches/{watch_id}/pause", summary="Pause a watch (`editwatch pause`)", tags=["watches"])
def pause_json(request: Request, watch_id: int):
    """``{"id", "url", "state": "paused", "message"}``."""
    with request.app.state.database.writer() as store:
        return api(actions.pause_watch(store, watch_id))


@router.post(
    "/api/watches/{watch_id}/resume", summary="Resume a watch (`editwatch resume`)", tags=["watches"]
)
def resume_json(request: Request, watch_id: int):
    """``{"id", "url", "state": "active", "message"}``."""
    with request.app.state.database.writer() as store:
        return api(actions.resume_watch(store, watch_id))


@router.post(
    "/api/watches/{watch_id}/check", summary="Check a watch now (`editwatch check ID`)", tags=["watches"]
)
async def check_json(request: Request, watch_id: int):
    """``{"id", "ok", "output"}``: the command's line, e.g. ``1 URL: new version 2: headline changed``."""
    return api(await run_in_threadpool(check_watch, request, watch_id))


@router.delete(
    "/api/watches/{watch_id}", summary="Remove a watch and its history (`editwatch remove`)", tags=["watches"]
)
def remove_json(request: Request, watch_id: int):
    """``{"id", "url", "versions_deleted", "message"}``."""
    with request.app.state.database.writer() as store:
        return api(actions.remove_watch(store, watch_id))
