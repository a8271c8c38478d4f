"""``editwatch extract``: the article in pages or files; nothing is written to the database."""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.config import site_rules
from crawler.extraction import Article, ExtractionError, extract_article
from crawler.extraction.chrome import NO_CHROME, SiteChrome
from crawler.extraction.comparison import HEADLINE_VARIANTS
from crawler.urls import InvalidURL, validate_url
from monitor.cli.base import console, session

if TYPE_CHECKING:
    from crawler.items import FetchedPage

FIELDS = ("headline", "byline", "published", "modified", *HEADLINE_VARIANTS)


def _is_url(source: str) -> bool:
    """Whether a source names a page on the web rather than a file or standard input."""
    if source == "-" or Path(source).exists():
        return False
    return "://" in source or source.startswith("www.")


def _read_source(source: str) -> bytes:
    """The page bytes of a file (plain or .gz) or of standard input (``-``)."""
    if source == "-":
        data = sys.stdin.buffer.read()
    elif Path(source).is_file():
        data = Path(source).read_bytes()
    elif Path(source).exists():
        raise OSError("not a file")
    else:
        raise OSError("no such file")
    if source.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def fetch_sources(
    ctx: click.Context, sources: tuple[str, ...], render: str = "auto"
) -> dict[str, FetchedPage]:
    """The URLs among ``sources``, fetched and read by the crawler in one crawl (robots.txt, the
    ``[fetch]`` settings, the site's rules and learned chrome, rendered in the browser as ``render``
    says); a bad URL is its page's error."""
    from crawler.items import FetchedPage

    wanted: dict[str, str] = {}  # source -> valid URL
    pages: dict[str, FetchedPage] = {}
    for source in sources:
        if not _is_url(source):
            continue
        try:
            wanted[source] = validate_url(source)
        except InvalidURL as exc:
            pages[source] = FetchedPage(url=source, error=str(exc))
    if not wanted:
        return pages
    from crawler.fetch import fetch_pages

    s = session(ctx)
    watch_ids = {}
    if Path(s.db_path).is_file():
        for url in wanted.values():
            watch = s.store.watches.by_url(url)
            if watch is not None:
                watch_ids[url] = watch.id
    fetched = fetch_pages(wanted.values(), s.config, db_path=s.db_path, watch_ids=watch_ids, render=render)
    by_url = {page.url: page for page in fetched}
    return {**pages, **{source: by_url[url] for source, url in wanted.items()}}


def record_of(
    source: str, url: str | None, article: Article, explain: bool, rendered: str | None = None
) -> dict:
    """The ``--json`` object for one input (``rendered``: why the page was read in a browser)."""
    record = {
        "source": source,
        "url": url or article.canonical_url,
        "headline": article.headline,
        "byline": article.byline,
        "published": article.published,
        "modified": article.modified,
        "body": article.body,
        "extractor": article.extractor,
        "warnings": article.warnings,
        # Each headline the newsroom edits separately (null: the page has none).
        **{name: getattr(article, name) for name in HEADLINE_VARIANTS},
    }
    record["rendered"] = rendered is not None
    if explain:
        record["explain"] = dict(article.sources)
        if rendered is not None:
            record["explain"]["page"] = f"rendered in a browser: {rendered}"
        record["removed"] = [removal.to_dict() for removal in article.removed]
    return record


def learned_chrome(ctx: click.Context, url: str | None, watch_id: int | None = None) -> SiteChrome:
    """What the database has learned to be chrome on ``url``'s site (nothing without a database)."""
    if url is None or not Path(session(ctx).db_path).is_file():
        return NO_CHROME
    from crawler.site_chrome import LearnedChrome

    store = session(ctx).store
    if watch_id is None:
        watch = store.watches.by_url(url)
        watch_id = watch.id if watch is not None else None
    return LearnedChrome(store).for_page(url, watch_id)


def print_removed(out, removed: list) -> None:
    """Every block left out of the article's container, with the evidence for leaving it out."""
    out.print(f"removed from the article container: {len(removed)} blocks", markup=False)
    for removal in removed:
        out.print(f"  [{removal.reason}: {removal.evidence}] {removal.text}", markup=False)


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input, one per line.")
@click.option(
    "--explain",
    is_flag=True,
    help="Say which layer or per-site rule produced each field, and list every block left out of the "
    "article's container with the evidence for leaving it out.",
)
@click.option(
    "--url",
    "page_url",
    metavar="URL",
    help="The address the saved pages came from (selects per-site rules; default: the page's canonical URL).",
)
@click.option(
    "--render",
    type=click.Choice(["auto", "browser", "static"]),
    default="auto",
    show_default=True,
    help="Read URLs in a browser: auto as a check would (the site's rule, editwatch's decision for the "
    "site, or a page served as an application shell without an article), browser always, static never.",
)
@click.pass_context
def extract(
    ctx: click.Context,
    sources: tuple[str, ...],
    as_json: bool,
    explain: bool,
    page_url: str | None,
    render: str,
) -> None:
    """Extract the article from SOURCES: URLs, saved HTML files (plain or .gz), or - for standard input.

    Prints headline, byline, dates and body paragraphs; nothing is stored. URLs
    are fetched by the crawler, as checks are: robots.txt, the [fetch] settings
    and the address rules apply. With
    --json, one object per input and line: {"source", "url", "headline",
    "byline": [names], "published", "modified", "body": [paragraphs],
    "extractor", "warnings": [...], "page_headline", "search_headline",
    "social_headline", "title", "rendered"} (dates in ISO 8601; "extractor" is the layer that
    produced the body: page, json-ld, rule or trafilatura; the four after
    "warnings" are the page's main <h1>, JSON-LD headline, og:title or twitter:title, and <title>, as
    served, null when the page has none); --explain adds "explain" (field →
    source; "page" when the page was rendered in a browser, and why) and "removed"
    ([{"text", "reason", "evidence"}]); "rendered" is true when the page was read
    in a browser (--render: auto, as a check would, by the site's rule, the site's
    decision, or for a page served as an application shell). Per-site rules from
    the config file ([sites."host"] and [[rules]]) apply, and so does the chrome
    the database has learned for the page's site. Inputs that fail are reported
    one line each on standard error; the exit status is then 1.
    """
    rules = site_rules(session(ctx).config)
    if page_url is not None:
        page_url = validate_url(page_url)
    failed = 0
    out = console()
    fetched = fetch_sources(ctx, sources, render)
    for source in sources:
        try:
            if source in fetched:
                page = fetched[source]
                if page.error is not None or page.article is None:
                    error = page.error or "no article"
                    raise OSError(f"{error} (rendered in a browser)" if page.rendered else error)
                url, article, rendered = page.final_url or page.url, page.article, page.rendered
            else:
                url, rendered = page_url, None
                chrome = learned_chrome(ctx, url)
                article = extract_article(_read_source(source), url, rules=rules, chrome=chrome)
        except (OSError, ExtractionError, InvalidURL, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            failed += 1
            click.echo(f"editwatch: error: {source}: {exc}", err=True)
            if as_json:
                click.echo(json.dumps({"source": source, "error": str(exc)}, ensure_ascii=False))
            continue
        record = record_of(source, url, article, explain, rendered)
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            _print_article(out, source, record, article, explain)
    if failed:
        ctx.exit(1)


def _print_article(out, source: str, record: dict, article: Article, explain: bool) -> None:
    out.print(f"== {source}", markup=False)
    for name in FIELDS:
        value = record[name]
        value = ", ".join(value) if isinstance(value, list) else value
        suffix = f"  [{article.sources.get(name, 'not found')}]" if explain and value else ""
        out.print(f"{name}: {value or '(none)'}{suffix}", markup=False)
    suffix = f"  [{article.sources.get('body', article.extractor)}]" if explain else ""
    out.print(f"body: {len(article.body)} paragraphs, {article.word_count} words{suffix}", markup=False)
    for paragraph in article.body:
        out.print(f"  {paragraph}", markup=False)
    if explain:
        if "page" in record["explain"]:
            out.print(f"page: {record['explain']['page']}", markup=False)
        print_removed(out, article.removed)
    for warning in article.warnings:
        out.print(f"warning: {warning}", markup=False)


COMMANDS = [extract]
