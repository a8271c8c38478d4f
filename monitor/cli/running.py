"""Commands that fetch: check (now) and run (the daemon)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from crawler.config import locate_problem
from crawler.items import PageFetch
from monitor.cli.base import EditwatchError, session
from monitor.daemon.crawl import check_watches

if TYPE_CHECKING:
    from monitor.daemon.runner import Daemon

# Long enough for a fetch with its retries; a crashed command's lease simply expires.
CHECK_LEASE_SECONDS = 120


@click.command()
@click.argument("watches", nargs=-1)
@click.pass_context
def check(ctx: click.Context, watches: tuple[str, ...]) -> None:
    """Fetch WATCHES (IDs or URLs; default: all) now and report each outcome.

    One line per watch: its ID and URL, then the outcome ("new version 2",
    "unchanged", "error: …"). The exit status is 0 even when checks fail.
    """
    s = session(ctx)
    store = s.store
    targets = [store.watches.resolve(w) for w in watches] if watches else store.watches.all()
    if not targets:
        click.echo("no watches yet: add one with `editwatch add URL`")
        return
    config = s.config
    if store.checks.pending(limit=1):
        # Checks a crawler stored on its own become changes and alerts before new ones are made.
        from monitor.changes.catchup import process_pending

        process_pending(store, config)
    ids = [t.id for t in targets]
    leased = store.watches.lease(ids, lease_seconds=CHECK_LEASE_SECONDS)
    by_id = {t.id: t for t in targets}
    for watch_id in ids:
        if watch_id not in leased:
            click.echo(f"{watch_id} {by_id[watch_id].url}: skipped (being checked by another process)")
    reported: set[int] = set()

    def report(item: PageFetch) -> None:
        outcome = item.message or item.outcome
        if item.merged_from is not None:  # a duplicate: recorded on the watch of the same article
            reported.add(item.merged_from)
            click.echo(
                f"{item.merged_from} {item.url}: same article as watch {item.watch_id}: merged; {outcome}"
            )
            return
        reported.add(item.watch_id)
        click.echo(f"{item.watch_id} {item.url}: {outcome}")

    s.close()  # the crawler opens its own connections
    check_watches(s.db_path, config, leased, report)
    for watch_id in leased:
        if watch_id not in reported:
            click.echo(f"{watch_id} {by_id[watch_id].url}: error: the check did not complete")


@click.command()
@click.option("-v", "--verbose", is_flag=True, help="Log every check and the libraries' own messages.")
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Coordinate crawl workers through this Redis (default: [cluster] redis; none: crawl here).",
)
@click.option(
    "--demo-if-empty",
    is_flag=True,
    help="On a database without watches, run editwatch demo instead (what make run does).",
)
@click.pass_context
def run(ctx: click.Context, verbose: bool, redis_url: str | None, demo_if_empty: bool) -> None:
    """Run the daemon in the foreground: check every watch when it falls due, until Ctrl-C or SIGTERM.

    Logs go to standard error, one event per line: edits found, articles removed,
    restored or moved, failures, and an activity report every hour (-v adds
    every check). SIGTERM or Ctrl-C stops it gracefully: checks in flight are
    finished (or abandoned after the download timeout) and recorded, exit status 0.
    Only one daemon may run on a database. Configured by the [fetch], [schedule]
    and [daemon] sections of editwatch.toml (see docs/daemon.md). With a Redis URL
    (--redis or [cluster] redis) it is a coordinator: crawl workers (editwatch worker)
    fetch, it records (see docs/scaling.md).
    """
    s = session(ctx)
    config = s.config
    if demo_if_empty and not s.store.watches.count_by_state():
        from monitor.cli.demo import run_demo_for_newcomer

        s.close()
        run_demo_for_newcomer(ctx)
        return
    s.close()
    # Here, not at the top: `check` (often run from cron) needs neither the daemon nor its scheduler.
    from monitor.daemon.runner import DaemonAlreadyRunning, DaemonConfigError, DaemonError

    try:
        daemon_for(s.db_path, config, redis_url, verbose).run()
    except DaemonConfigError as exc:
        raise EditwatchError(locate_problem(str(exc), s.config_path)) from None
    except (DaemonAlreadyRunning, DaemonError) as exc:
        raise EditwatchError(str(exc)) from None


def daemon_for(db_path: str, config: dict, redis_url: str | None, verbose: bool) -> Daemon:
    """The daemon, or with a Redis URL the coordinator of crawl workers."""
    from crawler.cluster.keys import ClusterConfigError, cluster_options
    from monitor.daemon.runner import Daemon, DaemonConfigError

    try:
        options = cluster_options(config, redis_url)
    except ClusterConfigError as exc:
        raise DaemonConfigError(str(exc)) from None
    if not options["redis"]:
        return Daemon(db_path, config, verbose=verbose)
    from monitor.cluster.coordinator import Coordinator

    return Coordinator(db_path, config, options, verbose=verbose)


COMMANDS = [check, run]
