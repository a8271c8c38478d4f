"""Commands that read history: history, show, diff."""

from __future__ import annotations

import click
from rich.table import Table

from monitor.cli.base import UsageProblem, console, print_json, session
from monitor.history import diff_versions, timeline
from monitor.render import print_diff


@click.command()
@click.argument("watch")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def history(ctx: click.Context, watch: str, as_json: bool) -> None:
    """Show the versions and events of WATCH (an ID or URL)."""
    store = session(ctx).store
    target = store.watches.resolve(watch)
    entries = timeline(store, target)
    if as_json:
        print_json(entries)
        return
    out = console()
    out.print(f"{target.id} {target.url} ({target.state})")
    if not entries:
        out.print("no versions yet: run `editwatch check` to fetch it")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("version", "time", "summary", "words +/−"):
        table.add_column(column, overflow="fold")
    for e in entries:
        when = (e.get("fetched_at") or e.get("detected_at") or "")[:19].replace("T", " ")
        if e["event"] == "version":
            words = f"+{e['words_added']} −{e['words_removed']}" if e["version"] > 1 else ""
            table.add_row(str(e["version"]), when, e["summary"], words)
        else:
            table.add_row(e["event"], when, e["summary"], "")
    out.print(table)


@click.command()
@click.argument("watch")
@click.option("--version", "number", type=int, help="Version number (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def show(ctx: click.Context, watch: str, number: int | None, as_json: bool) -> None:
    """Show the stored article of WATCH (an ID or URL)."""
    store = session(ctx).store
    target = store.watches.resolve(watch)
    version = store.versions.get(target.id, number) if number else store.versions.latest(target.id)
    if version is None:
        raise UsageProblem(f"watch {target.id} has no versions yet")
    if as_json:
        print_json(
            {
                "watch_id": target.id,
                "url": target.url,
                "version": version.number,
                "fetched_at": version.fetched_at,
                "content_hash": version.content_hash,
                "extractor": version.extractor,
                **version.article_fields(),
            }
        )
        return
    out = console()
    out.print(f"{target.url} — version {version.number}, fetched {version.fetched_at[:19].replace('T', ' ')}")
    out.print(
        f"\n[bold]{version.headline or '(no headline)'}[/bold]"
        if out.is_terminal
        else f"\n{version.headline}"
    )
    if version.byline:
        out.print("By " + ", ".join(version.byline))
    if version.published:
        out.print(
            f"Published {version.published}" + (f", updated {version.modified}" if version.modified else "")
        )
    for paragraph in version.body:
        out.print(f"\n{paragraph}", markup=False)


@click.command()
@click.argument("watch")
@click.option("--from", "from_", type=int, help="Older version (default: the one before --to).")
@click.option("--to", type=int, help="Newer version (default: the latest).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: word-level marks (colored on a terminal); json: for scripts.",
)
@click.pass_context
def diff(ctx: click.Context, watch: str, from_: int | None, to: int | None, fmt: str) -> None:
    """Show what changed in WATCH (an ID or URL) between two versions."""
    store = session(ctx).store
    target = store.watches.resolve(watch)
    count = store.versions.count(target.id)
    if count == 0:
        raise UsageProblem(f"watch {target.id} has no versions yet")
    to = to or count
    from_ = from_ or max(1, to - 1)
    before, after = store.versions.get(target.id, from_), store.versions.get(target.id, to)
    result = diff_versions(before, after)
    if fmt == "json":
        print_json(
            {
                "url": target.url,
                "watch_id": target.id,
                "from": from_,
                "to": to,
                "summary": result.summary,
                "fields": result.fields,
                "changes": [c.to_dict() for c in result.changes],
            }
        )
        return
    header = f"{target.id} {target.url}: version {from_} → {to}: {result.summary}"
    print_diff(console(), result.changes, header)


COMMANDS = [history, show, diff]
