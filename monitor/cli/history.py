"""Commands that read history: history, show, diff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor.changes.timeline import diff_versions, timeline
from monitor.cli.base import MAX_NUMBER, UsageProblem, console, print_json, session
from monitor.diffing.engine import FIELD_NAMES

# Rich, the HTML export (Jinja2) and the diff renderer are imported in the branch that uses them:
# a user waits for these commands, and --json output needs none of them.
if TYPE_CHECKING:
    from rich.console import Console


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
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(f"{target.id} {target.url} ({target.state})")
    if not entries:
        out.print("no versions yet: run `editwatch check` to fetch it")
        return
    color = out.is_terminal and not out.no_color
    table = Table(box=None, pad_edge=False, header_style="bold" if color else "")
    table.add_column("version", justify="right", no_wrap=True)
    table.add_column("time (UTC)", no_wrap=True)
    table.add_column("summary", overflow="fold", ratio=1)
    table.add_column("words +/−", justify="right", no_wrap=True)
    for e in entries:
        when = (e.get("fetched_at") or e.get("detected_at") or "")[:16].replace("T", " ")
        if e["event"] == "version":
            words = Text()
            if e["version"] > 1:
                words.append(f"+{e['words_added']}", style="green" if color else "")
                words.append(" ")
                words.append(f"−{e['words_removed']}", style="red" if color else "")
            summary = Text(e["summary"] + (" (web archive)" if e.get("source") == "archive" else ""))
            if e.get("categories") and color:
                summary.append("  " + " ".join(e["categories"]), style="dim")
            table.add_row(str(e["version"]), when, summary, words)
        else:
            table.add_row(Text(e["event"], style="yellow" if color else ""), when, e["summary"], "")
    out.print(table)


@click.command()
@click.argument("watch")
@click.option(
    "--version",
    "number",
    type=click.IntRange(min=1, max=MAX_NUMBER),
    help="Version number (default: the latest).",
)
@click.option(
    "--rejected", is_flag=True, help="Show the last page a check rejected (a wall, an error page...) instead."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--explain",
    is_flag=True,
    help="Also list every block left out of the article's container on the stored page, with the evidence.",
)
@click.pass_context
def show(
    ctx: click.Context, watch: str, number: int | None, rejected: bool, as_json: bool, explain: bool
) -> None:
    """Show the stored article of WATCH (an ID or URL).

    With --explain, the version's stored page is read again with what the site has
    shown to be chrome, and every block left out of the article's container is
    listed with its reason (--json: "removed": [{"text", "reason", "evidence"}]).
    """
    store = session(ctx).store
    target = store.watches.resolve(watch)
    if rejected:
        if number:
            raise UsageProblem("--rejected shows the last rejected page: it takes no --version")
        _show_rejected(target, store.rejected_pages.get(target.id), as_json)
        return
    version = store.versions.get(target.id, number) if number else store.versions.latest(target.id)
    if version is None:
        raise UsageProblem(f"watch {target.id} has no versions yet")
    removed = _removed_from(ctx, target, version) if explain else None
    if as_json:
        from monitor.actions.documents import version_document

        document = version_document(target, version)
        if removed is not None:
            document["removed"] = [removal.to_dict() for removal in removed]
        print_json(document)
        return
    out = console()
    out.print(f"{target.url} — version {version.number}, fetched {version.fetched_at[:19].replace('T', ' ')}")
    out.print(
        f"\n[bold]{version.headline or '(no headline)'}[/bold]"
        if out.is_terminal
        else f"\n{version.headline}"
    )
    for name, label in FIELD_NAMES.items():  # the headlines edited separately, when they say otherwise
        value = getattr(version, name)
        if value and value != version.headline:
            out.print(f"{label.capitalize()}: {value}", markup=False)
    if version.byline:
        out.print("By " + ", ".join(version.byline))
    if version.published:
        out.print(
            f"Published {version.published}" + (f", updated {version.modified}" if version.modified else "")
        )
    for paragraph in version.body:
        out.print(f"\n{paragraph}", markup=False)
    if removed is not None:
        from monitor.cli.extract import print_removed

        out.print()
        print_removed(out, removed)


def _removed_from(ctx: click.Context, target, version) -> list:
    """The blocks extraction leaves out of the version's stored page, with the site's chrome as now known."""
    from crawler.config import site_rules
    from crawler.extraction import ExtractionError, extract_article
    from monitor.cli.extract import learned_chrome

    page = session(ctx).store.versions.raw_page(version)
    if page is None:
        raise UsageProblem(f"version {version.number} of watch {target.id} has no stored page to explain")
    chrome = learned_chrome(ctx, version.url or target.url, target.id)
    try:
        rules = site_rules(session(ctx).config)
        return extract_article(page, version.url or target.url, rules=rules, chrome=chrome).removed
    except ExtractionError as exc:
        raise UsageProblem(f"the stored page of version {version.number} cannot be read: {exc}") from None


def _show_rejected(target, page, as_json: bool) -> None:
    """The last page a check of ``target`` rejected: why, when, and its text."""
    if page is None:
        if as_json:
            print_json(None)
        else:
            click.echo(f"{target.id} {target.url}: no rejected page (every page served so far was trusted)")
        return
    if as_json:
        print_json(
            {
                "watch_id": target.id,
                "url": page.url,
                "rejected_at": page.rejected_at,
                "first_rejected_at": page.first_rejected_at,
                "times": page.times,
                "reason": page.reason,
                "http_status": page.http_status,
                **page.text,
            }
        )
        return
    when = page.rejected_at[:19].replace("T", " ")
    lines = [f"{page.url} — rejected {when} UTC: {page.reason}"]
    if page.times > 1:
        lines.append(
            f"(the same page {page.times} checks in a row, since {page.first_rejected_at[:19].replace('T', ' ')} UTC)"
        )
    text = page.text
    if text.get("headline"):
        lines.append(f"\n{text['headline']}")
    if text.get("byline"):
        lines.append("By " + ", ".join(text["byline"]))
    lines.extend(f"\n{p}" for p in text.get("body") or [])
    if text.get("furniture"):
        lines.append("\nLeft out of the body:")
        lines.extend(f"  {line}" for line in text["furniture"])
    if text.get("page_text"):
        lines.append("\nThe page's text:\n" + text["page_text"])
    click.echo("\n".join(lines))


@click.command()
@click.argument("watch")
@click.option(
    "--from",
    "from_",
    type=click.IntRange(min=1, max=MAX_NUMBER),
    help="Older version (default: the one before --to).",
)
@click.option("--to", type=click.IntRange(min=1, max=MAX_NUMBER), help="Newer version (default: the latest).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
    help="text: word-level marks (colored on a terminal, [-…-]{+…+} when piped); json: for scripts; "
    "html: a standalone page.",
)  # fmt: skip
@click.option("--side-by-side", is_flag=True, help="Before and after in two columns (text and html).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    metavar="PATH",
    help="Write to the file PATH instead of standard output.",
)
@click.pass_context
def diff(
    ctx: click.Context,
    watch: str,
    from_: int | None,
    to: int | None,
    fmt: str,
    side_by_side: bool,
    output: str | None,
) -> None:
    """Show what changed in WATCH (an ID or URL) between two versions.

    By default the latest version is compared with the one before it. Any two
    versions can be compared with --from and --to, in either order.
    """
    if side_by_side and fmt == "json":
        raise UsageProblem("--side-by-side applies to text and html output, not json")
    store = session(ctx).store
    target = store.watches.resolve(watch)
    count = store.versions.count(target.id)
    if count == 0:
        raise UsageProblem(f"watch {target.id} has no versions yet")
    to = to or count
    from_ = from_ or max(1, to - 1)
    for number in (to, from_):
        if not 1 <= number <= count:
            raise UsageProblem(f"watch {target.id} has versions 1 to {count}, not {number}")
    if fmt == "html":
        from monitor.web.standalone import diff_page

        _emit(diff_page(store, target, from_, to, "side" if side_by_side else "inline"), output)
        return
    before, after = store.versions.get(target.id, from_), store.versions.get(target.id, to)
    result = diff_versions(before, after)
    if fmt == "json":
        from monitor.actions.documents import diff_document

        document = diff_document(target, from_, to, result)
        _emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n", output)
        return
    from monitor.diffing.terminal import print_diff, print_side_by_side

    header = f"{target.id} {target.url}: version {from_} → {to}: {result.summary}"
    with _console_for(output) as out:
        if side_by_side:
            print_side_by_side(out, result, before.body, after.body, header)
        else:
            print_diff(out, result.changes, header)


def _emit(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)


@contextmanager
def _console_for(output: str | None) -> Iterator[Console]:
    if output is None:
        yield console()
        return
    from rich.console import Console

    try:
        with open(output, "w", encoding="utf-8") as handle:
            yield Console(file=handle, highlight=False, soft_wrap=True, no_color=True, width=120)
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None


COMMANDS = [history, show, diff]
