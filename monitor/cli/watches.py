"""Commands that manage the watch list: add, import, list, remove."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.urls import InvalidURL, canonicalize_url
from monitor.cli.base import EditwatchError, UsageProblem, console, print_json, session
from monitor.schedule import format_duration, parse_duration


def _interval(every: str | None) -> int | None:
    if every is None:
        return None
    try:
        seconds = parse_duration(every)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    if seconds < 1:
        raise UsageProblem(f"--every {every}: the shortest interval is 1s")
    return round(seconds)


@click.command()
@click.argument("url")
@click.option(
    "--every", metavar="DURATION", help="Check interval (90s, 30m, 2h, 1d); default: by article age."
)
@click.option("--label", metavar="TEXT", help="A label to group and find watches by.")
@click.pass_context
def add(ctx: click.Context, url: str, every: str | None, label: str | None) -> None:
    """Watch the article at URL (tracking parameters such as utm_source are dropped)."""
    normalized = canonicalize_url(url)
    watch, created = session(ctx).store.watches.add(
        normalized, label=label, interval_seconds=_interval(every)
    )
    verb = "added" if created else "already watching"
    click.echo(f"{watch.id} {watch.url}: {verb}")


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--every", metavar="DURATION", help="Check interval for the imported watches.")
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
    interval = _interval(every)
    store = session(ctx).store
    added = existing = 0
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            url = canonicalize_url(line)
        except InvalidURL as exc:
            problems.append(f"{file}:{number}: {exc}")
            continue
        _, created = store.watches.add(url, label=label, interval_seconds=interval)
        added += created
        existing += not created
    for problem in problems:
        click.echo(f"editwatch: {problem}", err=True)
    click.echo(f"imported {added} new watches ({existing} already watched, {len(problems)} invalid)")
    if problems:
        ctx.exit(1)


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--state",
    type=click.Choice(["active", "failing", "removed", "retired"]),
    help="Only watches in this state.",
)
@click.pass_context
def list_(ctx: click.Context, as_json: bool, state: str | None) -> None:
    """List watched articles."""
    rows = session(ctx).store.watches.summaries()
    if state:
        rows = [r for r in rows if r["state"] == state]
    if as_json:
        print_json(
            [
                {
                    "id": r["id"],
                    "url": r["url"],
                    "label": r["label"],
                    "state": r["state"],
                    "interval": r["interval_seconds"],
                    "versions": r["versions"],
                    "last_checked": r["last_checked_at"],
                    "headline": r["headline"],
                    "reason": r["failure_reason"] if r["state"] == "failing" else None,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo("no watches yet: add one with `editwatch add URL`")
        return
    from rich.table import Table  # imported for the table only: scripts reading --json do not wait for Rich
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for column in ("ID", "state", "every", "versions", "last checked", "URL / headline"):
        table.add_column(column, overflow="fold")
    for r in rows:
        title = r["url"] + (f"\n{r['headline']}" if r["headline"] else "")
        if r["state"] == "failing" and r["failure_reason"]:
            title += f"\nfailing: {r['failure_reason']}"
        table.add_row(
            str(r["id"]),
            r["state"],
            format_duration(r["interval_seconds"]),
            str(r["versions"]),
            (r["last_checked_at"] or "never")[:19].replace("T", " "),
            Text(title),
        )
    console().print(table)


@click.command()
@click.argument("watch")
@click.pass_context
def remove(ctx: click.Context, watch: str) -> None:
    """Stop watching WATCH (an ID or URL) and delete its stored history."""
    store = session(ctx).store
    target = store.watches.resolve(watch)
    counts = store.watches.remove(target.id)
    if counts is None:
        raise EditwatchError(f"could not remove {watch}")
    click.echo(f"{target.id} {target.url}: removed ({counts.get('versions', 0)} versions deleted)")


COMMANDS = [add, import_, list_, remove]
