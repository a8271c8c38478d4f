"""``editwatch diff --format html``: one diff as a standalone page (inline CSS, no links home, no scripts)."""

from __future__ import annotations

from monitor.web import pages
from monitor.web.templating import render, stylesheet
from storage import Store, Watch, clock


def diff_page(store: Store, watch: Watch, from_: int | None, to: int | None, view: str = "inline") -> str:
    """The diff between two versions of ``watch`` as a complete HTML document."""
    context = pages.diff(store, watch, from_, to, view)
    return render("export.html", standalone=True, css=stylesheet(), generated_at=clock.now_text(), **context)
