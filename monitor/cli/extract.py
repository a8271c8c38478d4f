"""``editwatch extract``: the article in pages or files, without touching the database."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import click

from crawler.extraction import ExtractionError, extract_article
from crawler.urls import InvalidURL, validate_url
from monitor.cli.base import console


def _read_source(source: str) -> tuple[bytes, str | None]:
    """The page bytes and its URL, from a file (plain or .gz) or fetched live."""
    path = Path(source)
    if path.exists():
        data = path.read_bytes()
        if source.endswith(".gz") or data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        return data, None
    url = validate_url(source)
    from monitor.fetch import fetch_page

    return fetch_page(url), url


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input, one per line.")
@click.option("--explain", is_flag=True, help="Say which layer or rule produced each field.")
def extract(sources: tuple[str, ...], as_json: bool, explain: bool) -> None:
    """Extract the article from SOURCES (URLs, or saved HTML files, plain or .gz)."""
    failed = 0
    out = console()
    for source in sources:
        try:
            page, url = _read_source(source)
            article = extract_article(page, url)
        except (OSError, ExtractionError, InvalidURL, gzip.BadGzipFile, EOFError) as exc:
            failed += 1
            if as_json:
                click.echo(json.dumps({"source": source, "error": str(exc)}, ensure_ascii=False))
            else:
                click.echo(f"editwatch: error: {source}: {exc}", err=True)
            continue
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
        }
        if explain:
            record["explain"] = article.sources
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        out.print(f"== {source}", markup=False)
        for name in ("headline", "byline", "published", "modified"):
            value = record[name]
            value = ", ".join(value) if isinstance(value, list) else value
            suffix = f"  [{article.sources.get(name, '-')}]" if explain else ""
            out.print(f"{name}: {value or '(none)'}{suffix}", markup=False)
        suffix = f"  [{article.extractor}]" if explain else ""
        out.print(f"body: {len(article.body)} paragraphs, {article.word_count} words{suffix}", markup=False)
        for paragraph in article.body:
            out.print(f"  {paragraph}", markup=False)
        for warning in article.warnings:
            out.print(f"warning: {warning}", markup=False)
    if failed:
        raise SystemExit(1)


COMMANDS = [extract]
