"""``editwatch extract``: the article in pages or files; nothing is written to the database."""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from pathlib import Path

import click

from crawler.config import site_rules
from crawler.extraction import Article, ExtractionError, extract_article
from crawler.extraction.canonical import HEADLINE_VARIANTS
from crawler.extraction.chrome import NO_CHROME, SiteChrome
from crawler.urls import InvalidURL, validate_url
from monitor.cli.base import console, session

FIELDS = ("headline", "byline", "published", "modified", *HEADLINE_VARIANTS)


def _read_source(source: str, config: dict) -> tuple[bytes, str | None, str | None]:
    """The page bytes, its URL and its Content-Type, from a file (plain or .gz), standard input
    (``-``) or the web (fetched with the ``[fetch]`` settings, as the crawler would)."""
    if source == "-":
        data = sys.stdin.buffer.read()
    elif Path(source).is_file():
        data = Path(source).read_bytes()
    elif Path(source).exists():
        raise OSError("not a file")
    elif "://" not in source and not source.startswith("www."):
        raise OSError("no such file")
    else:
        url = validate_url(source)
        from monitor.fetch import FetchSettings, fetch

        page = fetch(url, FetchSettings.from_config(config))
        return page.body, page.url, page.content_type
    if source.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data, None, None


def record_of(source: str, url: str | None, article: Article, explain: bool) -> dict:
    """The ``--json`` object for one input."""
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
    if explain:
        record["explain"] = dict(article.sources)
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
@click.pass_context
def extract(
    ctx: click.Context, sources: tuple[str, ...], as_json: bool, explain: bool, page_url: str | None
) -> None:
    """Extract the article from SOURCES: URLs, saved HTML files (plain or .gz), or - for standard input.

    Prints headline, byline, dates and body paragraphs; nothing is stored. With
    --json, one object per input and line: {"source", "url", "headline",
    "byline": [names], "published", "modified", "body": [paragraphs],
    "extractor", "warnings": [...], "page_headline", "search_headline",
    "social_headline", "title"} (dates in ISO 8601; "extractor" is the layer that
    produced the body: page, json-ld, rule or trafilatura; the last four are the
    page's main <h1>, JSON-LD headline, og:title or twitter:title, and <title>, as
    served, null when the page has none); --explain adds "explain" (field →
    source) and "removed" ([{"text", "reason", "evidence"}]). Per-site rules from
    the config file ([sites."host"] and [[rules]]) apply, and so does the chrome
    the database has learned for the page's site. Inputs that fail are reported
    one line each on standard error; the exit status is then 1.
    """
    config = session(ctx).config
    rules = site_rules(config)
    if page_url is not None:
        page_url = validate_url(page_url)
    failed = 0
    out = console()
    for source in sources:
        try:
            page, url, content_type = _read_source(source, config)
            url = url or page_url
            chrome = learned_chrome(ctx, url)
            article = extract_article(page, url, content_type=content_type, rules=rules, chrome=chrome)
        except (OSError, ExtractionError, InvalidURL, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            failed += 1
            click.echo(f"editwatch: error: {source}: {exc}", err=True)
            if as_json:
                click.echo(json.dumps({"source": source, "error": str(exc)}, ensure_ascii=False))
            continue
        record = record_of(source, url, article, explain)
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
        print_removed(out, article.removed)
    for warning in article.warnings:
        out.print(f"warning: {warning}", markup=False)


COMMANDS = [extract]
