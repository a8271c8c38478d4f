"""Atom feeds of changes: all articles (``/feed.atom``) or one (``/watch/ID/feed.atom``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from monitor.web import feeds

router = APIRouter()
ATOM = "application/atom+xml; charset=utf-8"


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.api_route("/feed.atom", methods=["GET", "HEAD"], include_in_schema=False)
def feed(request: Request):
    """Changes to every watched article, newest first."""
    store = request.app.state.database.reader()
    return Response(feeds.feed(store, _base_url(request), request.url.path), media_type=ATOM)


@router.api_route("/watch/{watch_id}/feed.atom", methods=["GET", "HEAD"], include_in_schema=False)
def watch_feed(request: Request, watch_id: int):
    """Changes to one article, newest first."""
    store = request.app.state.database.reader()
    body = feeds.feed(store, _base_url(request), request.url.path, store.watches.get(watch_id))
    return Response(body, media_type=ATOM)
