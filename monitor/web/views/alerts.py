"""Alert rules from the browser and the API: list, add, test (the result shown), remove.

Through :mod:`monitor.actions.alerts`, the functions behind ``editwatch alerts``.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from monitor.actions import alerts as actions
from monitor.web.forms import INPUT_PROBLEMS, form_again
from monitor.web.responses import api, flash, page

router = APIRouter()


class NewRule(BaseModel):
    """An alert rule (``editwatch alerts add URL --on ... --watch ... --label ...``)."""

    url: str = Field(description="http(s) webhook, stdout, or an Apprise URL (mailto://, slack://, ...)")
    events: list[str] = Field(
        default_factory=list, description="edit, removed, restored, moved, failing, ab_test, all"
    )
    watch: str | None = Field(None, description="only this watch (ID or URL)")
    label: str | None = None
    fields: list[str] = Field(default_factory=list)
    min_words: int = 0
    digest: str | None = None
    confirm: bool = False


def _words(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


@router.api_route("/alerts", methods=["GET", "HEAD"], include_in_schema=False)
def alerts_page(request: Request):
    """The rules, their queues and channels' health, and the form to add one."""
    return page(request, "alerts.html", rules=actions.rule_records(request.app.state.database.reader()))


@router.post("/alerts", include_in_schema=False)
def add_from_form(
    request: Request,
    url: str = Form(""),
    events: str = Form(""),
    watch: str = Form(""),
    label: str = Form(""),
    min_words: int = Form(0),
):
    """Add a rule from the form."""
    try:
        with request.app.state.database.writer() as store:
            _, line = actions.add_alert_rule(
                store, url, _words(events), watch=watch.strip() or None, label=label.strip() or None,
                min_words=min_words,
            )  # fmt: skip
    except INPUT_PROBLEMS as exc:
        values = {"url": url, "events": events, "watch": watch, "label": label, "min_words": str(min_words)}
        rules = actions.rule_records(request.app.state.database.reader())
        return form_again(request, "alerts.html", exc, "add-alert", values, rules=rules)
    flash(request, line)
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{rule_id}/test", include_in_schema=False)
async def test_from_form(request: Request, rule_id: int):
    """Send a test alert now and show what happened."""
    results = await run_in_threadpool(_send_test, request, rule_id)
    flash(request, results[0]["message"], "done" if results[0]["ok"] else "error")
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{rule_id}/remove", include_in_schema=False)
def remove_from_form(request: Request, rule_id: int):
    """Delete a rule."""
    with request.app.state.database.writer() as store:
        flash(request, actions.remove_alert_rule(store, rule_id)["message"])
    return RedirectResponse("/alerts", status_code=303)


def _send_test(request: Request, rule_id: int) -> list[dict]:
    store = request.app.state.database.reader()
    store.alerts.get_rule(rule_id)  # an unknown ID is a 404, not an empty list
    return actions.send_test_alerts(store, request.app.state.config, rule_id)


@router.get("/api/alerts", summary="Alert rules (`alerts list --json`)", tags=["alerts"])
def rules_json(request: Request):
    """``[{"id", "kind", "channel", "events", "watch_id", "label", ..., "pending", "delivered", "failed"}]``."""
    return api(actions.rule_records(request.app.state.database.reader()))


@router.post("/api/alerts", status_code=201, summary="Add an alert rule (`alerts add`)", tags=["alerts"])
def add_json(request: Request, body: NewRule):
    """``{"id", "message"}`` and the rule as ``alerts list --json`` shows it, under ``"rule"``."""
    with request.app.state.database.writer() as store:
        rule, line = actions.add_alert_rule(
            store, body.url, body.events, watch=body.watch, label=body.label, fields=body.fields,
            min_words=body.min_words, digest=body.digest, confirm=body.confirm,
        )  # fmt: skip
        record = actions.rule_record(rule, {})
    return api({"id": rule.id, "message": line, "rule": record}, 201)


@router.post("/api/alerts/{rule_id}/test", summary="Send a test alert (`alerts test ID`)", tags=["alerts"])
async def test_json(request: Request, rule_id: int):
    """``{"id", "ok", "message"}``: whether the channel took the test alert."""
    return api((await run_in_threadpool(_send_test, request, rule_id))[0])


@router.delete("/api/alerts/{rule_id}", summary="Remove an alert rule (`alerts remove`)", tags=["alerts"])
def remove_json(request: Request, rule_id: int):
    """``{"id", "dropped", "message"}``."""
    with request.app.state.database.writer() as store:
        return api(actions.remove_alert_rule(store, rule_id))
