"""The status command: the daemon, the watches and what is due, without loading the crawler."""

from __future__ import annotations

import click

from monitor.actions.documents import status_document
from monitor.cli.base import console, print_json, session


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show whether the daemon runs, watches by state, what is due, and recent errors."""
    s = session(ctx)
    store = s.store
    data = status_document(store, s.db_path)
    holder = data["daemon"]["running"] or None
    pid, since = data["daemon"]["pid"], data["daemon"]["since"]
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(f"database: {s.db_path}")
    if holder is None:
        out.print("daemon: not running (start it with `editwatch run`)")
    else:
        out.print(f"daemon: running (pid {pid}" + (f", since {_when(since)})" if since else ")"))
    states = data["watches"]
    out.print("watches: " + (", ".join(f"{n} {k}" for k, n in sorted(states.items())) or "none"))
    next_due = f" (next at {_when(data['next_due_at'])})" if data["next_due_at"] and not data["due"] else ""
    out.print(f"due now: {data['due']}{next_due}")
    out.print(
        f"last successful check: {_when(data['last_success_at']) if data['last_success_at'] else 'never'}"
    )
    alerts = data["alerts"]
    if alerts["rules"]:
        failing = alerts["failing_channels"]
        line = f"alerts: {alerts['rules']} rules, {alerts['pending']} pending, {alerts['failed']} failed"
        if failing:
            line += f"; failing channels: rule {', '.join(map(str, failing))} (see `editwatch alerts list`)"
        out.print(line, markup=False)
    if data["sources"]["total"]:
        failing = data["sources"]["failing"]
        out.print(
            f"sources: {data['sources']['total']}"
            + (f" ({failing} failing: see `editwatch sources list`)" if failing else "")
        )
    rendered = [d["site"] for d in data["rendering"] if d["mode"] == "browser"]
    if rendered:
        out.print(f"read in a browser (decided by editwatch): {', '.join(rendered)}", markup=False)
    if data["failing"]:
        out.print("failing watches:")
        for w in data["failing"]:
            since = f" since {_when(w['failing_since'])}" if w["failing_since"] else ""
            out.print(
                f"  {w['id']} {w['url']}: {w['reason'] or 'unknown'} ({w['consecutive_failures']} checks{since})",
                markup=False,
            )
    if data["recent_errors"]:
        out.print("recent errors:")
        for e in data["recent_errors"]:
            out.print(
                f"  {e['checked_at'][:19].replace('T', ' ')} {e['watch_id']} {e['url']}: {e['error']}",
                markup=False,
            )


def _when(stored: str) -> str:
    """A stored UTC timestamp as people read it."""
    return stored[:19].replace("T", " ") + " UTC"


COMMANDS = [status]
