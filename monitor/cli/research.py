"""Commands for research across all stored versions: search, export."""

from __future__ import annotations

import sys

import click
from rich.table import Table
from rich.text import Text

from monitor.cli.base import UsageProblem, console, print_json, session
from monitor.research import export as exporting
from monitor.research.search import search_phrase


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def search(ctx: click.Context, text: str, as_json: bool) -> None:
    """Find every article that ever contained TEXT, and the versions that added or removed it.

    TEXT is matched as a phrase (its words in order, within one paragraph, the
    headline or a byline name), ignoring case, accents and punctuation, across
    every stored version, so text that has since been edited out is found too.
    JSON output is a list of {"url", "watch_id", "added_in", "removed_in",
    "versions", ...}, one per article.
    """
    try:
        results = search_phrase(session(ctx).store, text)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    if as_json:
        print_json([r.to_dict() for r in results])
        return
    out = console()
    if not results:
        out.print(f"no stored version contains “{text}”", markup=False)
        return
    color = out.is_terminal and not out.no_color
    table = Table(box=None, pad_edge=False, header_style="bold" if color else "")
    for column in ("id", "article", "in versions", "added in", "removed in", "now"):
        table.add_column(column, overflow="fold")
    for r in results:
        article = Text(r.headline or r.url)
        article.append(f"\n{r.url}", style="dim" if color else "")
        now = (
            Text("present", style="green" if color else "")
            if r.present_now
            else Text("gone", style="red" if color else "")
        )
        table.add_row(
            str(r.watch_id),
            article,
            ", ".join(map(str, r.versions)),
            ", ".join(map(str, r.added_in)),
            ", ".join(map(str, r.removed_in)) or "—",
            now,
        )
    out.print(table)


@click.command()
@click.argument("watches", nargs=-1)
@click.option(
    "--what", type=click.Choice(exporting.SHAPES), default="edits", show_default=True,
    help="edits: one record per field-level change; versions: every version's full text; "
    "changes: one record per change event (edits, removals, restorations).",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice([*exporting.FORMATS, "warc"]), default="jsonl", show_default=True,
    help="jsonl: one JSON object per line; csv: a header row, then one row per record; warc: every "
    "stored capture (raw page and response headers) as WARC records, for replay tools.",
)  # fmt: skip
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    metavar="PATH",
    help="Write to the file PATH (default: standard output).",
)
@click.pass_context
def export(ctx: click.Context, watches: tuple[str, ...], what: str, fmt: str, output: str | None) -> None:
    """Export the history of WATCHES (IDs or URLs; default: all) for research, as JSON Lines or CSV.

    Records stream out oldest first, one per line (JSONL) or row (CSV, with a
    header). In CSV, lists become "a; b" and a body's paragraphs are separated
    by blank lines. With --format warc (--what does not apply), every stored
    capture is written as a WARC response record at its capture time, with a
    metadata record naming its version, content hash and change summary
    (gzipped unless FILE ends in .warc).
    """
    store = session(ctx).store
    targets = [store.watches.resolve(w) for w in watches] if watches else store.watches.all()
    if fmt == "warc":
        if ctx.get_parameter_source("what") == click.core.ParameterSource.COMMANDLINE:
            raise UsageProblem("--what does not apply to --format warc (it exports every capture)")
        _export_warc(store, targets, output)
        return
    records = exporting.RECORDS[what](store, targets)
    if output is None:
        stream = click.get_text_stream("stdout")
        count = exporting.write(records, what, fmt, stream)
        stream.flush()
    else:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                count = exporting.write(records, what, fmt, handle)
        except OSError as exc:
            raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"wrote {count} {what} records to {output}", err=True)
    if count == 0 and not targets:
        click.echo("nothing to export: no watches yet", err=True)
    sys.stdout.flush()


def _export_warc(store, targets, output: str | None) -> None:
    from monitor.research.warc import write_warc  # imported here: warcio is only needed for WARC files

    if output is None:
        stream = click.get_binary_stream("stdout")
        count = write_warc(store, targets, stream)
        stream.flush()
        return
    try:
        with open(output, "wb") as handle:
            count = write_warc(store, targets, handle, gzip=not output.endswith(".warc"))
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {count} captures to {output}", err=True)


COMMANDS = [search, export]
