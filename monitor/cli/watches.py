"""Commands that manage the watch list: add, import, list, remove."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.urls import InvalidURL, canonicalize_url
from monitor.cli.base import EditwatchError, UsageProblem, console, print_json, session
from monitor.schedule import format_duration, parse_duration

if TYPE_CHECKING:
    from storage import Store
    from storage.watches import Watch


# `--every auto`: back to the age-based schedule (an interval of None).
AUTO = "auto"
_UNCHANGED = object()


def _interval(every: str | None) -> int | object | None:
    """The interval ``--every`` asks for: seconds, ``None`` for auto, or unchanged when not given."""
    if every is None:
        return _UNCHANGED
    if every.strip().lower() == AUTO:
        return None
    try:
        seconds = parse_duration(every)
    except ValueError as exc:
        raise UsageProblem(f"--every: {exc}, or auto for the age-based schedule") from None
    if seconds < 1:
        raise UsageProblem(f"--every {every}: the shortest interval is 1s")
    return round(seconds)


def _schedule_name(interval: int | None) -> str:
    return "age-based" if interval is None else format_duration(interval)


def watch_url(
    store: Store, url: str, label: str | None, interval: int | object | None
) -> tuple[Watch, bool, list[str]]:
    """Add ``url``, or give its existing watch the label and interval asked for.

    Returns the watch, whether it is new, and what changed on an existing one, in words.
    """
    existing = store.watches.find(url)
    if existing is None:
        interval_seconds = None if interval is _UNCHANGED else interval
        watch, created = store.watches.add(url, label=label, interval_seconds=interval_seconds)
        if created:
            return watch, True, []
        existing = watch  # added meanwhile by another process
    changes = []
    if interval is not _UNCHANGED and interval != existing.interval_seconds:
        store.watches.set_interval(existing.id, interval)
        changes.append(
            f"interval changed from {_schedule_name(existing.interval_seconds)} to {_schedule_name(interval)}"
        )
    if label is not None and label != existing.label:
        store.watches.set_label(existing.id, label)
        changes.append(f"label changed from {existing.label or '(none)'} to {label}")
    return existing, False, changes


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
    normalized = canonicalize_url(url)
    watch, created, changes = watch_url(session(ctx).store, normalized, label, _interval(every))
    verb = "added" if created else "; ".join(["already watching", *changes])
    click.echo(f"{watch.id} {watch.url}: {verb}")


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
        _, created, _ = watch_url(store, url, label, interval)
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
    store = session(ctx).store
    target = store.watches.resolve(watch)
    counts = store.watches.remove(target.id)
    if counts is None:
        raise EditwatchError(f"could not remove {watch}")
    click.echo(f"{target.id} {target.url}: removed ({counts.get('versions', 0)} versions deleted)")


COMMANDS = [add, import_, list_, remove]
