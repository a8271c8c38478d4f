"""The stylesheet, shipped with editwatch (no other static files: no scripts, no fonts, no images)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from starlette.responses import Response

router = APIRouter()


@cache
def _css() -> str:
    return resources.files("monitor.web").joinpath("static/style.css").read_text(encoding="utf-8")


@router.api_route("/static/style.css", methods=["GET", "HEAD"], include_in_schema=False)
def stylesheet():
    """Our stylesheet, cached by browsers for an hour."""
    return Response(_css(), media_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})
