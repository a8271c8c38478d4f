"""A form sent with bad input comes back as it was typed, with the one-line error above it.

The error is the CLI's own line; nothing was stored. Only the page's form that was sent
gets its values back (``form_values[form_id]``); the others start empty.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

from crawler.urls import InvalidURL
from monitor.actions import BadInput
from monitor.web.responses import flash, page
from storage import NotFound

# What a user's input can be refused with; anything else is the app's failure, not theirs.
INPUT_PROBLEMS = (BadInput, InvalidURL, NotFound)


def form_again(
    request: Request, template: str, problem: Exception, form_id: str, values: dict[str, str], **context
) -> HTMLResponse:
    """``template`` again with ``problem`` shown and the form ``form_id`` refilled with ``values``."""
    flash(request, str(problem), "error")
    status = 404 if isinstance(problem, NotFound) else 400
    return page(request, template, status=status, form_values={form_id: values}, **context)
