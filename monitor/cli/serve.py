"""``editwatch serve``: the read-only web viewer."""

from __future__ import annotations

import click

from monitor.cli.base import EditwatchError, session


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default)."
)
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port)."
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Browse the history in a web browser: articles, timelines, diffs, search and Atom feeds.

    Read-only: the viewer never writes to the database and never blocks the
    daemon. It listens on 127.0.0.1 unless told otherwise; pass --host 0.0.0.0
    only on a network you trust (there is no login).
    """
    from monitor.web.server import serve as run_server

    db_path = session(ctx).db_path

    def announce(url: str) -> None:
        click.echo(f"editwatch: serving {db_path} read-only at {url} (Ctrl-C to stop)")
        click.get_text_stream("stdout").flush()

    try:
        run_server(db_path, host, port, announce)
    except OSError as exc:
        raise EditwatchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


COMMANDS = [serve]
