"""``editwatch worker``: a crawl worker that takes its checks from Redis (see docs/scaling.md)."""

from __future__ import annotations

import click

from monitor.cli.base import EditwatchError, session


@click.command()
@click.option(
    "--redis", "redis_url", metavar="URL", help="Redis to take checks from (default: [cluster] redis)."
)
@click.option("-v", "--verbose", is_flag=True, help="Log every check and the libraries' own messages.")
@click.pass_context
def worker(ctx: click.Context, redis_url: str | None, verbose: bool) -> None:
    """Run a crawl worker: fetch the checks a coordinator (editwatch run with a Redis URL) hands out.

    A worker has no database: it needs the configuration ([fetch], [cluster]) and
    Redis. It fetches under the same politeness rules as the daemon, settles pages
    whose article is unchanged, and pushes every result back through Redis for the
    coordinator to record. Run as many as you like, on as many machines; SIGTERM or
    Ctrl-C stops one gracefully.
    """
    from crawler.cluster.keys import ClusterConfigError, cluster_options
    from crawler.cluster.run import WorkerError, run_worker
    from monitor.daemon.logs import install_daemon_logging

    config = session(ctx).config
    try:
        options = cluster_options(config, redis_url)
    except ClusterConfigError as exc:
        raise EditwatchError(str(exc)) from None
    if not options["redis"]:
        raise EditwatchError(
            'no Redis to work for: give --redis URL or set [cluster] redis = "redis://HOST:6379/0"'
        )
    install_daemon_logging(verbose)
    try:
        run_worker(
            config, options["redis"], prefetch=options["prefetch"], log_level="DEBUG" if verbose else "INFO"
        )
    except WorkerError as exc:
        raise EditwatchError(str(exc)) from None


COMMANDS = [worker]
