"""Sources from the browser and the API: list, add, poll now ("check"), remove.

Adding and removing go through :mod:`monitor.actions.sources`, as ``editwatch sources``
does. A check runs ``editwatch sources check ID`` itself (:mod:`monitor.web.commands`).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from monitor.actions import sources as actions
from monitor.web.commands import run_command
from monitor.web.forms import INPUT_PROBLEMS, form_again
from monitor.web.responses import api, flash, page

router = APIRouter()


class NewSource(BaseModel):
    """A source (``editwatch sources add URL --every ... --include ... --label ...``)."""

    url: str
    every: str | None = None
    include: str | None = None
    exclude: str | None = None
    label: str | None = None
    links: str | None = None
    live_blogs: bool | None = None


def _blank(value: str | None) -> str | None:
    return value if value and value.strip() else None


def check_source(request: Request, source_id: int) -> dict:
    """Poll one source now with the CLI's own command; ``{"id", "ok", "output"}``."""
    actions.resolve_source(request.app.state.database.reader(), source_id)  # unknown: 404, no process
    return {"id": source_id, **run_command(request, "sources", "check", str(source_id))}


@router.api_route("/sources", methods=["GET", "HEAD"], include_in_schema=False)
def sources_page(request: Request):
    """Sources, their last poll and the watches they created; the form to add one."""
    return page(request, "sources.html", sources=actions.source_records(request.app.state.database.reader()))


@router.post("/sources", include_in_schema=False)
def add_from_form(
    request: Request, url: str = Form(""), every: str = Form(""), include: str = Form(""),
    exclude: str = Form(""), label: str = Form(""), links: str = Form(""),
):  # fmt: skip
    """Add a source from the form."""
    try:
        with request.app.state.database.writer() as store:
            _, _, line = actions.add_source(
                store, request.app.state.config, url, every=_blank(every), include=_blank(include),
                exclude=_blank(exclude), label=_blank(label), links=_blank(links),
            )  # fmt: skip
    except INPUT_PROBLEMS as exc:
        values = {
            "url": url,
            "every": every,
            "include": include,
            "exclude": exclude,
            "label": label,
            "links": links,
        }
        sources = actions.source_records(request.app.state.database.reader())
        return form_again(request, "sources.html", exc, "add-source", values, sources=sources)
    flash(request, line)
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/check", include_in_schema=False)
async def check_from_form(request: Request, source_id: int):
    """Poll now and show what the poll found."""
    result = await run_in_threadpool(check_source, request, source_id)
    flash(request, result["output"] or "checked", "done" if result["ok"] else "error")
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/remove", include_in_schema=False)
def remove_from_form(request: Request, source_id: int):
    """Stop polling a source (its watches stay)."""
    with request.app.state.database.writer() as store:
        flash(request, actions.remove_source(store, source_id)["message"])
    return RedirectResponse("/sources", status_code=303)


@router.get("/api/sources", summary="Sources (`sources list --json`)", tags=["sources"])
def sources_json(request: Request):
    """``[{"id", "url", "kind", "title", "label", "interval", ..., "watches", "created", "skipped"}]``."""
    return api(actions.source_records(request.app.state.database.reader()))


@router.post("/api/sources", status_code=201, summary="Add a source (`sources add`)", tags=["sources"])
def add_json(request: Request, body: NewSource):
    """``{"id", "created", "message"}``."""
    with request.app.state.database.writer() as store:
        source, created, line = actions.add_source(
            store, request.app.state.config, body.url, every=body.every, include=body.include,
            exclude=body.exclude, label=body.label, links=body.links, live_blogs=body.live_blogs,
        )  # fmt: skip
    return api({"id": source.id, "created": created, "message": line}, 201 if created else 200)


@router.post(
    "/api/sources/{source_id}/check", summary="Poll a source now (`sources check ID`)", tags=["sources"]
)
async def check_json(request: Request, source_id: int):
    """``{"id", "ok", "output"}``: the command's own report, one line per source and new watch."""
    return api(await run_in_threadpool(check_source, request, source_id))


@router.delete("/api/sources/{source_id}", summary="Remove a source (`sources remove`)", tags=["sources"])
def remove_json(request: Request, source_id: int):
    """``{"id", "url", "watches_kept", "message"}``."""
    with request.app.state.database.writer() as store:
        return api(actions.remove_source(store, source_id))
