"""Commands that work with web archives: backfill."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import click

from crawler.urls import canonicalize_url
from monitor.cli.base import MAX_NUMBER, EditwatchError, UsageProblem, print_json, session
from storage import Watch
from storage.errors import NotFound

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(?:Z|[+-]00:?00)?$")


def _timestamp(option: str, text: str | None, end: bool) -> str | None:
    """A --from/--to value as a 14-digit CDX timestamp (a bare date ends at its last second with --to)."""
    if text is None:
        return None
    digits = text.strip()
    match = _DATE.match(digits)
    if match:
        digits = "".join(part or "" for part in match.groups())
    if not digits.isdigit() or not 4 <= len(digits) <= 14 or len(digits) % 2:
        raise UsageProblem(f"{option} {text}: give a date (2024-03-18, 2024-03-18T09:30) or a CDX timestamp")
    from crawler.archives import capture_time

    try:
        moment = capture_time(digits)
    except ValueError:
        raise UsageProblem(f"{option} {text}: not a real date") from None
    if end and len(digits) < 14:
        # The end of the named period: 2024-03 is all of March.
        size = {4: "years", 6: "months", 8: "days", 10: "hours", 12: "minutes"}[len(digits)]
        if size == "years":
            moment = moment.replace(year=moment.year + 1)
        elif size == "months":
            moment = (moment.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            moment += timedelta(**{size: 1})
        moment -= timedelta(seconds=1)
    return moment.strftime("%Y%m%d%H%M%S")


@click.command()
@click.argument("watch")
@click.option(
    "--archive", metavar="URL",
    help="The archive's CDX API (default: the Wayback Machine's, https://web.archive.org/cdx/search/cdx;"
    " pywb: http://HOST/COLLECTION/cdx).",
)  # fmt: skip
@click.option(
    "--replay", metavar="PREFIX", help="Where the archive replays captures, if not beside its CDX API."
)
@click.option(
    "--from", "since", metavar="DATE", help="Only captures from DATE on (2024-03-18 or a CDX timestamp)."
)
@click.option("--to", "until", metavar="DATE", help="Only captures up to DATE (inclusive).")
@click.option(
    "--limit", type=click.IntRange(1, MAX_NUMBER), default=100, show_default=True,
    help="Fetch at most N captures: the N nearest the stored history (run again to go further back).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def backfill(
    ctx: click.Context,
    watch: str,
    archive: str | None,
    replay: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Recover WATCH's history (an ID or URL) from before it was watched, from a web archive.

    A URL not watched yet is added, with the history found.

    Lists the archive's captures of the article from before its first stored
    version, fetches each raw capture (politely, through the same crawler, robots
    and size rules as live checks), and stores every capture that shows a new
    state of the article as a version dated with its capture time, marked as
    from the archive. Archived error pages and pages the quality guard rejects
    are skipped; captures that differ only in page chrome collapse. The new
    versions come first: stored versions are renumbered after them. Their
    changes raise no alerts. If the archive fails, nothing is stored (exit 1).
    JSON output: {"watch_id", "new_watch", "listed", "added", "renumbered", "captures": [{"captured_at",
    "outcome", "message", "archive_url", "version"}]}.
    """
    from crawler.archives import ArchiveEndpoints
    from monitor.changes.backfill import BackfillError, CapturePlan
    from monitor.changes.backfill import backfill as run_backfill
    from monitor.daemon.crawl import fetch_captures

    s = session(ctx)
    try:
        target: Watch | str = s.store.watches.resolve(watch)
        url = target.url
    except NotFound:
        if watch.strip().isdigit():
            raise
        target = url = canonicalize_url(watch)  # not watched yet: added with its history
    try:
        ArchiveEndpoints.from_urls(archive, replay)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    first_ts, last_ts = _timestamp("--from", since, end=False), _timestamp("--to", until, end=True)
    if first_ts and last_ts and first_ts > last_ts:
        raise UsageProblem(f"--from {since} is after --to {until}")
    config = s.config

    def fetch(plan: CapturePlan, before: datetime | None):
        end = last_ts
        if before is not None:
            stored_start = before.strftime("%Y%m%d%H%M%S")
            end = min(end, stored_start) if end else stored_start
        items = fetch_captures(
            s.db_path, config, url, archive=archive, replay=replay, since=first_ts, until=end,
            choose=plan.choose, watch_id=target.id if isinstance(target, Watch) else None,
        )  # fmt: skip
        from crawler.items import CaptureListing

        listing = next((i for i in items if isinstance(i, CaptureListing)), None)
        return listing, [i for i in items if not isinstance(i, CaptureListing)]

    try:
        result = run_backfill(s.store, target, fetch, limit=limit)
    except BackfillError as exc:
        raise EditwatchError(f"backfill of {url} failed, nothing was stored: {exc}") from None
    _print_backfill(result, as_json)


def _print_backfill(result, as_json: bool) -> None:
    """What a backfill did: JSON for scripts, or one line per capture and a summary."""
    if as_json:
        print_json(
            {
                "watch_id": result.watch.id,
                "new_watch": result.new_watch,
                "listed": result.listed,
                "added": result.added,
                "renumbered": result.shifted,
                "captures": [o.to_dict() for o in result.outcomes],
            }
        )
        return
    for outcome in result.outcomes:
        click.echo(f"{outcome.captured_at[:19].replace('T', ' ')} {outcome.message}")
    notes = []
    if result.later:
        notes.append(f"{_count(result.later, 'capture')} from after the stored history begins left out")
    if result.beyond_limit:
        notes.append(f"{_count(result.beyond_limit, 'earlier capture')} beyond --limit left out")
    if result.shifted == 1:
        notes.append(f"the stored version is now version {result.added + 1}")
    elif result.shifted:
        notes.append(
            f"the {result.shifted} stored versions are now versions {result.added + 1}–{result.added + result.shifted}"
        )
    if result.new_watch:
        notes.append("now watched")
    tail = f" ({'; '.join(notes)})" if notes else ""
    click.echo(
        f"{result.watch.id} {result.watch.url}: {_count(result.added, 'version')} from {_count(result.listed, 'capture')}{tail}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


COMMANDS = [backfill]
