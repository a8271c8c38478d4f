"""Commands that manage the watch list: add, import, list, remove."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor.actions import BadInput
from monitor.actions.watches import add_watch, import_urls, remove_watch
from monitor.cli.base import EditwatchError, UsageProblem, console, print_json, session
from monitor.daemon.schedule import format_duration

if TYPE_CHECKING:
    pass


EVERY_HELP = "Check interval (90s, 30m, 2h, 1d), or auto for the age-based schedule (the default)."


@click.command()
@click.argument("url")
@click.option("--every", metavar="DURATION", help=EVERY_HELP)
@click.option("--label", metavar="TEXT", help="A label to group and find watches by.")
@click.pass_context
def add(ctx: click.Context, url: str, every: str | None, label: str | None) -> None:
    """Watch the article at URL (tracking parameters such as utm_source are dropped).

    On a URL already watched, --every and --label change that watch, and the
    output says what changed.
    """
    try:
        result = add_watch(session(ctx).store, url, label, every)
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"{result['id']} {result['url']}: {result['message']}")


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--every", metavar="DURATION", help="Check interval for the imported watches (or auto).")
@click.option("--label", metavar="TEXT", help="Label for the imported watches.")
@click.pass_context
def import_(ctx: click.Context, file: str, every: str | None, label: str | None) -> None:
    """Watch every URL in FILE, one per line (blank lines and # comments are skipped)."""
    try:
        text = (
            click.get_text_stream("stdin").read() if file == "-" else Path(file).read_text(encoding="utf-8")
        )
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"cannot read {file}: {exc}") from None
    try:
        result = import_urls(session(ctx).store, text, file, label, every)
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    for problem in result.problems:
        click.echo(f"editwatch: {problem}", err=True)
    click.echo(result.summary)
    if result.problems:
        ctx.exit(1)


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--state",
    type=click.Choice(["active", "failing", "removed", "retired", "paused"]),
    help="Only watches in this state.",
)
@click.pass_context
def list_(ctx: click.Context, as_json: bool, state: str | None) -> None:
    """List watched articles."""
    store = session(ctx).store
    if as_json:
        from monitor.actions.documents import watch_list

        print_json(watch_list(store, state))
        return
    rows = store.watches.summaries()
    if state:
        rows = [r for r in rows if r["state"] == state]
    if not rows:
        click.echo("no watches yet: add one with `editwatch add URL`")
        return
    if not sys.stdout.isatty():
        # Piped or redirected: one line per watch, tab-separated, for grep, cut and sort.
        click.echo("ID\tstate\tevery\tversions\tlast checked\tURL\theadline\twhy failing")
        for r in rows:
            why = f"failing: {_one_line(r['failure_reason'])}" if _failing(r) else ""
            click.echo("\t".join([*_columns(r), r["url"], _one_line(r["headline"] or ""), why]))
        return
    from rich.table import Table  # imported for the table only: scripts reading --json do not wait for Rich
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for column in ("ID", "state", "every", "versions", "last checked", "URL / headline"):
        table.add_column(column, overflow="fold")
    for r in rows:
        title = r["url"] + (f"\n{r['headline']}" if r["headline"] else "")
        if _failing(r):
            title += f"\nfailing: {r['failure_reason']}"
        table.add_row(*_columns(r), Text(title))
    console().print(table)


def _columns(row: dict) -> list[str]:
    """ID, state, interval, versions and last check of one watch, as ``list`` shows them."""
    return [
        str(row["id"]),
        row["state"],
        format_duration(row["interval_seconds"]),
        str(row["versions"]),
        (row["last_checked_at"] or "never")[:19].replace("T", " "),
    ]


def _failing(row: dict) -> bool:
    return row["state"] == "failing" and bool(row["failure_reason"])


def _one_line(text: str) -> str:
    return " ".join(text.split())  # a tab or newline in a headline would break the columns


@click.command()
@click.argument("watch")
@click.pass_context
def remove(ctx: click.Context, watch: str) -> None:
    """Stop watching WATCH (an ID or URL) and delete its stored history."""
    try:
        result = remove_watch(session(ctx).store, watch)
    except BadInput as exc:
        raise EditwatchError(str(exc)) from None
    click.echo(f"{result['id']} {result['url']}: {result['message']}")


COMMANDS = [add, import_, list_, remove]
