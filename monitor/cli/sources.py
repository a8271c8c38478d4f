"""``editwatch sources``: feeds, sitemaps and section pages whose new articles are watched."""

from __future__ import annotations

import re
from typing import Any

import click
from rich.table import Table

from crawler.discovery import InvalidSelector, validate_selector
from crawler.urls import validate_url
from monitor.cli.base import MAX_NUMBER, UsageProblem, console, print_json, session
from monitor.daemon.schedule import format_duration, parse_duration
from monitor.sources.policy import DiscoveryPolicy
from storage import Source

# Long enough for a poll with its retries; a crashed command's lease simply expires.
POLL_LEASE_SECONDS = 120


def _pattern(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        re.compile(text)
    except re.error as exc:
        raise UsageProblem(f"invalid regular expression for {option} {text!r}: {exc}") from None
    return text


def _every(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        seconds = int(parse_duration(text))
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    if seconds < 1:
        raise UsageProblem(f"invalid duration {text!r}: sources are polled at most every second")
    return seconds


def _resolve(store, ref: str) -> Source:
    text = ref.strip()
    stored_form = None if text.isdigit() else validate_url(text)  # an invalid URL is a usage error
    return store.sources.resolve(text, stored_form)


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
    address = validate_url(url)
    interval = _every(every)
    # The options given, to change on an existing source; an empty pattern or selector removes it.
    given: dict[str, Any] = {}
    if interval is not None:
        given["interval_seconds"] = interval
    if include is not None:
        given["include_pattern"] = _pattern(include, "--include") or None
    if exclude is not None:
        given["exclude_pattern"] = _pattern(exclude, "--exclude") or None
    if links is not None:
        try:
            given["links_selector"] = validate_selector(links) if links.strip() else None
        except InvalidSelector as exc:
            raise UsageProblem(str(exc)) from None
    if label is not None:
        given["label"] = label
    if live_blogs is not None:
        given["live_blogs"] = int(live_blogs)
    policy = DiscoveryPolicy.from_config(s.config)
    source, created = s.store.sources.add(
        address,
        interval_seconds=interval or int(policy.every),
        label=label or _host(address),
        include_pattern=given.get("include_pattern"),
        exclude_pattern=given.get("exclude_pattern"),
        links_selector=given.get("links_selector"),
        live_blogs=bool(live_blogs),
        update=given,
    )
    every_text = format_duration(source.interval_seconds)
    if created:
        click.echo(
            f"{source.id} {source.url}: added (polled every {every_text}; "
            "the daemon polls it on its interval; "
            f"`editwatch sources check {source.id}` polls it now)"
        )
    else:
        click.echo(f"{source.id} {source.url}: already a source (updated; polled every {every_text})")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or url).removeprefix("www.")


def _row(summary: dict) -> dict:
    source: Source = summary["source"]
    return {
        "id": source.id,
        "url": source.url,
        "kind": source.kind,
        "title": source.title,
        "label": source.label,
        "interval": source.interval_seconds,
        "include": source.include_pattern,
        "exclude": source.exclude_pattern,
        "links": source.links_selector,
        "live_blogs": source.live_blogs,
        "added_at": source.added_at,
        "last_polled": source.last_polled_at,
        "last_success": source.last_success_at,
        "last_error": source.last_error,
        "next_poll": source.next_poll_at,
        "listed": source.listed,
        "watches": summary["watches"],
        "created": summary["created"],
        "skipped": summary["skipped"],
    }


@sources.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_sources(ctx: click.Context, as_json: bool) -> None:
    """List sources: kind, interval, last poll and its outcome, watches created."""
    rows = [_row(summary) for summary in session(ctx).store.sources.summaries()]
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
        print_json({**_row(summary), "items": items})
        return
    r = _row(summary)
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
    store = session(ctx).store
    target = _resolve(store, source)
    created = store.sources.remove(target.id)
    kept = f"its {created} watches are kept" if created != 1 else "its watch is kept"
    click.echo(f"{target.id} {target.url}: removed ({kept})")


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
