"""``/api/``: the JSON API's endpoints, read from the OpenAPI document the framework builds.

The machine-readable document is ``/api/openapi.json``; this page lists the same
endpoints for people, without the framework's script-based docs pages (our CSP forbids them).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from monitor.web.responses import page

router = APIRouter()


@router.api_route("/api/", methods=["GET", "HEAD"], include_in_schema=False)
def api_page(request: Request):
    """Every endpoint: method, path, summary and description."""
    document = request.app.openapi()
    endpoints = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0]}
        for path, operations in document.get("paths", {}).items()
        for method, op in operations.items()
    ]  # fmt: skip
    endpoints.sort(key=lambda e: (e["tag"], e["path"], e["method"]))
    return page(request, "api.html", endpoints=endpoints)
