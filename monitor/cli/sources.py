"""``editwatch sources``: feeds, sitemaps and section pages whose new articles are watched."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from monitor.actions import BadInput
from monitor.actions import sources as source_actions
from monitor.cli.base import MAX_NUMBER, UsageProblem, console, print_json, session
from monitor.daemon.schedule import format_duration
from monitor.sources.policy import DiscoveryPolicy
from storage import Source

# Long enough for a poll with its retries; a crashed command's lease simply expires.
POLL_LEASE_SECONDS = 120


def _resolve(store, ref: str) -> Source:
    try:
        return source_actions.resolve_source(store, ref)
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None


@click.group()
def sources() -> None:
    """Feeds, sitemaps and section pages: every new article they list is watched.

    A source is an RSS or Atom feed, a sitemap (a Google News sitemap, or a
    sitemap index), or a section or front page; the kind is detected from what
    the URL serves. The daemon (editwatch run) polls each source on its
    interval; editwatch sources check polls now.
    """


@sources.command(name="add")
@click.argument("url")
@click.option(
    "--every", metavar="DURATION", help="Poll interval (90s, 10m, 1h) [default: 10m, or [sources] every]."
)
@click.option("--include", metavar="REGEX", help="Watch only article URLs matching this regular expression.")
@click.option(
    "--exclude", metavar="REGEX", help="Do not watch article URLs matching this regular expression."
)
@click.option("--label", metavar="TEXT", help="Label for the watches it creates [default: the site's host].")
@click.option(
    "--links",
    metavar="CSS",
    help="On a section page: CSS selector of the article links (or of their containers).",
)
@click.option(
    "--live-blogs/--no-live-blogs",
    default=None,
    help="Also watch live blogs, on their own interval [default: no].",
)
@click.pass_context
def add_source(
    ctx: click.Context,
    url: str,
    every: str | None,
    include: str | None,
    exclude: str | None,
    label: str | None,
    links: str | None,
    live_blogs: bool | None,
) -> None:
    """Watch every new article listed at URL (a feed, a sitemap or a section page).

    Adding a URL that is already a source changes the options given and keeps the
    others; an empty --include, --exclude or --links removes that option.
    """
    s = session(ctx)
    try:
        _, _, line = source_actions.add_source(
            s.store, s.config, url, every=every, include=include, exclude=exclude, label=label,
            links=links, live_blogs=live_blogs,
        )  # fmt: skip
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(line)


@sources.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_sources(ctx: click.Context, as_json: bool) -> None:
    """List sources: kind, interval, last poll and its outcome, watches created."""
    rows = source_actions.source_records(session(ctx).store)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("no sources yet: add a feed, sitemap or section page with `editwatch sources add URL`")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("ID", "kind", "every", "watches", "last polled", "URL / status"):
        table.add_column(column, overflow="fold")
    for r in rows:
        status = r["last_error"] and f"error: {r['last_error']}"
        details = [r["url"]]
        filters = [
            f"include {r['include']}" if r["include"] else "",
            f"exclude {r['exclude']}" if r["exclude"] else "",
        ]
        filters += [f"links {r['links']}" if r["links"] else "", "live blogs" if r["live_blogs"] else ""]
        if any(filters):
            details.append("  " + "; ".join(f for f in filters if f))
        if status:
            details.append(status)
        table.add_row(
            str(r["id"]),
            r["kind"] or "not polled yet",
            format_duration(r["interval"]),
            f"{r['created']}" + (f" (+{r['skipped']} skipped)" if r["skipped"] else ""),
            (r["last_polled"] or "never")[:19].replace("T", " "),
            "\n".join(details),
        )
    console().print(table, markup=False)


@sources.command(name="show")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=MAX_NUMBER),
    default=50,
    show_default=True,
    help="Newest listings shown.",
)
@click.pass_context
def show_source(ctx: click.Context, source: str, as_json: bool, limit: int) -> None:
    """Show what SOURCE (an ID or URL) listed: each article's watch, or why it was skipped."""
    store = session(ctx).store
    target = _resolve(store, source)
    items = store.sources.items(target.id, limit)
    summary = next(s for s in store.sources.summaries() if s["source"].id == target.id)
    if as_json:
        print_json({**source_actions.source_record(summary), "items": items})
        return
    r = source_actions.source_record(summary)
    out = console()
    out.print(
        f"{target.id} {target.url} ({r['kind'] or 'not polled yet'}, every {format_duration(r['interval'])})",
        markup=False,
    )
    if r["last_error"]:
        out.print(f"last error: {r['last_error']}", markup=False)
    if not items:
        out.print("nothing listed yet")
        return
    for item in items:
        when = item["first_seen_at"][:19].replace("T", " ")
        if item["watch_id"] is not None:
            what = f"watch {item['watch_id']}" + (" (new)" if item["created_watch"] else "")
        else:
            what = f"skipped: {item['skip_reason']}"
        out.print(f"{when} {item['url']}: {what}", markup=False)


@sources.command(name="remove")
@click.argument("source")
@click.pass_context
def remove_source(ctx: click.Context, source: str) -> None:
    """Stop polling SOURCE (an ID or URL); the watches it created are kept."""
    try:
        result = source_actions.remove_source(session(ctx).store, source)
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(result["message"])


@sources.command(name="check")
@click.argument("sources_", metavar="[SOURCE]...", nargs=-1)
@click.pass_context
def check_sources(ctx: click.Context, sources_: tuple[str, ...]) -> None:
    """Poll SOURCES (IDs or URLs; default: all) now, and check the articles they newly list.

    One line per source ("ID URL: what it listed"), then, indented, each child
    sitemap and each new watch with the outcome of its first check. The exit
    status is 0 even when polls fail (failures are recorded on the source).
    """
    # Imported here: only this command needs Scrapy.
    from crawler.items import PageFetch, SourceFetch
    from monitor.daemon.crawl import poll_sources
    from monitor.sources.liveblogs import end_live_blogs

    s = session(ctx)
    store = s.store
    targets = [_resolve(store, ref) for ref in sources_] if sources_ else store.sources.all()
    if not targets:
        click.echo("no sources yet: add a feed, sitemap or section page with `editwatch sources add URL`")
        return
    config = s.config
    DiscoveryPolicy.from_config(config)  # a broken [sources] section is reported before any fetch
    end_live_blogs(store)
    ids = list(dict.fromkeys(t.id for t in targets))
    leased = store.sources.lease(ids, lease_seconds=POLL_LEASE_SECONDS)
    by_id = {t.id: t for t in targets}
    polls: dict[int, list[SourceFetch]] = {i: [] for i in leased}
    articles: dict[int, PageFetch] = {}

    def collect(item: Any) -> None:
        if isinstance(item, SourceFetch):
            polls.setdefault(item.source_id, []).append(item)
        elif isinstance(item, PageFetch):
            articles[item.merged_from or item.watch_id] = item

    s.close()  # the crawler opens its own connections
    poll_sources(s.db_path, config, leased, collect)
    for source_id in ids:
        url = by_id[source_id].url
        if source_id not in leased:
            click.echo(f"{source_id} {url}: skipped (being polled by another process)")
            continue
        fetches = polls.get(source_id, [])
        main = [f for f in fetches if not f.is_child]
        if not main:
            click.echo(f"{source_id} {url}: error: the poll did not complete")
            continue
        click.echo(f"{source_id} {url}: {main[0].message or main[0].outcome}")
        new_ids = list(main[0].new_watch_ids)
        for child in (f for f in fetches if f.is_child):
            click.echo(f"  {child.url}: {child.message or child.outcome}")
            new_ids.extend(child.new_watch_ids)
        for watch_id in new_ids:
            article = articles.get(watch_id)
            if article is None:
                click.echo(f"  {watch_id}: added (not checked yet)")
            elif article.merged_from:
                click.echo(
                    f"  {watch_id} {article.url}: merged into watch {article.watch_id} (same article); "
                    f"{article.message or article.outcome}"
                )
            else:
                click.echo(f"  {watch_id} {article.url}: {article.message or article.outcome}")


COMMANDS = [sources]
