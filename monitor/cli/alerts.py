"""``editwatch alerts``: where alerts go (rules and channels), and delivering them."""

from __future__ import annotations

import logging
import sys

import click
from rich.table import Table

from monitor.actions import BadInput
from monitor.actions.alerts import add_alert_rule, remove_alert_rule, rule_records, send_test_alerts
from monitor.cli.base import MAX_NUMBER, EditwatchError, UsageProblem, console, print_json, session


@click.group()
def alerts() -> None:
    """Send alerts about changes to webhooks, email, chat services or stdout.

    A rule sends the events it names (edit, removed, restored, moved, failing,
    ab_test) about all watches, one watch or one label, to one channel. The
    daemon (editwatch run) delivers them; editwatch alerts dispatch does
    one pass by hand or from cron.
    """


@alerts.command(name="add")
@click.argument("url")
@click.option(
    "--on", "events", multiple=True, metavar="EVENTS",
    help="Events to send, comma-separated: edit, removed, restored, moved, failing, ab_test, or all."
    " Default: all but failing.",
)  # fmt: skip
@click.option("--watch", metavar="URL|ID", help="Only alerts about this watch.")
@click.option("--label", metavar="LABEL", help="Only alerts about watches with this label.")
@click.option(
    "--field", "fields", multiple=True, metavar="FIELDS",
    help="Only edits and A/B tests of these fields, comma-separated: headline, page_headline,"
    " search_headline, social_headline, title, byline, published, modified, body.",
)  # fmt: skip
@click.option(
    "--min-words",
    type=click.IntRange(min=0, max=MAX_NUMBER),
    default=0,
    help="Only edits changing at least N words.",
)
@click.option(
    "--digest", metavar="DURATION", help="Collect alerts and send one message per period (e.g. 1h)."
)
@click.option(
    "--confirm", is_flag=True, help="Re-fetch the page before alerting an edit; drop edits that reverted."
)
@click.pass_context
def add_rule(
    ctx: click.Context,
    url: str,
    events: tuple[str, ...],
    watch: str | None,
    label: str | None,
    fields: tuple[str, ...],
    min_words: int,
    digest: str | None,
    confirm: bool,
) -> None:
    """Send alerts to the channel URL.

    URL is an http(s) address (editwatch's JSON webhook), stdout, or any
    Apprise URL: mailto://user:pass@example.com, slack://..., discord://...,
    tgram://..., ntfy://topic, matrix://..., mmost://... Secrets in the URL are
    stored in the database and never printed.
    """
    try:
        _, line = add_alert_rule(
            session(ctx).store, url, events, watch=watch, label=label, fields=fields,
            min_words=min_words, digest=digest, confirm=confirm,
        )  # fmt: skip
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(line)


@alerts.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_rules(ctx: click.Context, as_json: bool) -> None:
    """List alert rules, their channels (secrets masked) and their queues."""
    rows = rule_records(session(ctx).store)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("no alert rules yet: add one with `editwatch alerts add URL`")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("ID", "channel", "events", "scope", "queue", "status"):
        table.add_column(column, overflow="fold")
    for r in rows:
        queue = f"{r['pending']} pending, {r['delivered']} delivered" + (
            f", {r['failed']} failed" if r["failed"] else ""
        )
        scope = ", ".join(filter(None, [
            f"watch {r['watch_id']}" if r["watch_id"] else "all watches" if not r["label"] else None,
            f"label {r['label']}" if r["label"] else None,
            f"fields {', '.join(r['fields'])}" if r["fields"] else None,
            f"≥{r['min_words']} words" if r["min_words"] else None,
            f"digest every {r['digest']}" if r["digest"] else None,
            "confirmed by re-fetch" if r["confirm"] else None,
        ]))  # fmt: skip
        status = "ok" if not r["failures"] else f"failing ({r['failures']}x): {r['last_error']}"
        table.add_row(
            str(r["id"]), f"{r['kind']} {r['channel']}", ", ".join(r["events"]), scope, queue, status
        )
    console().print(table)


@alerts.command(name="remove")
@click.argument("rule_id", type=click.IntRange(min=1, max=MAX_NUMBER), metavar="ID")
@click.pass_context
def remove_rule(ctx: click.Context, rule_id: int) -> None:
    """Delete alert rule ID (its undelivered alerts are dropped)."""
    click.echo(remove_alert_rule(session(ctx).store, rule_id)["message"])


@alerts.command(name="test")
@click.argument("rule_id", type=click.IntRange(min=1, max=MAX_NUMBER), required=False, metavar="[ID]")
@click.pass_context
def test_rule(ctx: click.Context, rule_id: int | None) -> None:
    """Send a test alert now through rule ID (default: every rule) and report each result."""
    s = session(ctx)
    results = send_test_alerts(s.store, s.config, rule_id)
    if not results:
        click.echo("no alert rules yet: add one with `editwatch alerts add URL`")
        return
    for result in results:
        click.echo(result["message"])
    failed = sum(not r["ok"] for r in results)
    if failed:
        raise EditwatchError(f"{failed} of {len(results)} test alerts failed")


@alerts.command(name="dispatch")
@click.option("-q", "--quiet", is_flag=True, help="Do not log each delivery attempt.")
@click.pass_context
def dispatch(ctx: click.Context, quiet: bool) -> None:
    """Deliver every alert that is due, once, and exit (the daemon does this continuously).

    Failed sends are retried by later passes with exponential backoff; each
    attempt is logged on standard error and kept (see editwatch alerts log).
    """
    from monitor.alerts.dispatch import AlertDispatcher
    from monitor.alerts.settings import AlertSettings

    s = session(ctx)
    settings = AlertSettings.from_config(s.config)
    s.store  # noqa: B018 - open (and migrate) the database before the workers do
    _log_to_stderr(logging.WARNING if quiet else logging.INFO)
    dispatcher = AlertDispatcher(s.db_path, settings)
    try:
        report = dispatcher.run_pass()
        pending = sum(c.get("pending", 0) for c in dispatcher.store().alerts.queue_counts().values())
    finally:
        dispatcher.close()
    parts = [
        f"delivered {report.delivered}",
        f"failed attempts {report.failed_attempts}",
        f"still pending {pending}",
    ]
    if report.confirmed or report.dropped:
        parts.append(f"confirmed {report.confirmed}, dropped as reverted {report.dropped}")
    click.echo(", ".join(parts))


@alerts.command(name="log")
@click.option(
    "--rule", "rule_id", type=click.IntRange(min=1, max=MAX_NUMBER), help="Only attempts of this rule."
)
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1, max=MAX_NUMBER),
    default=20,
    show_default=True,
    help="Show at most this many attempts, newest first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def attempt_log(ctx: click.Context, rule_id: int | None, limit: int, as_json: bool) -> None:
    """Show the latest delivery attempts, newest first (interrupted ones say "sending")."""
    store = session(ctx).store
    if rule_id is not None:
        store.alerts.get_rule(rule_id)  # an unknown rule is a mistake, not an empty log
    rows = store.alerts.attempts(limit, rule_id)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("no delivery attempts yet")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("time", "rule", "alerts", "outcome", "ms", "error", "Idempotency-Key"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["started_at"][:19].replace("T", " "),
            str(r["rule_id"]),
            str(r["events"]),
            r["outcome"],
            "" if r["duration_ms"] is None else str(r["duration_ms"]),
            r["error"] or "",
            r["delivery_key"],
        )
    console().print(table)


@alerts.command(name="retry")
@click.argument("rule_id", type=click.IntRange(min=1, max=MAX_NUMBER), required=False, metavar="[ID]")
@click.pass_context
def retry(ctx: click.Context, rule_id: int | None) -> None:
    """Queue again the alerts that were given up on (of rule ID, or of every rule), and retry now."""
    store = session(ctx).store
    if rule_id is not None:
        store.alerts.get_rule(rule_id)
    count = store.alerts.retry_failed(rule_id)
    click.echo(f"{count} alerts queued again")


def _log_to_stderr(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log = logging.getLogger("editwatch.alerts")
    log.addHandler(handler)
    log.setLevel(level)


COMMANDS = [alerts]
