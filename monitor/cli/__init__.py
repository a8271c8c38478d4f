"""The ``editwatch`` command line. Each module registers one family of commands."""

from __future__ import annotations

import sys

import click

from monitor.cli.base import EditwatchError, Session, editwatch_group


@click.group(cls=editwatch_group(), context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="EDITWATCH_DB",
    default="editwatch.db",
    show_default=True,
    metavar="PATH",
    help="SQLite database file (also $EDITWATCH_DB).",
)
@click.option(
    "--config",
    "config_path",
    envvar="EDITWATCH_CONFIG",
    default=None,
    metavar="PATH",
    help="Configuration file (default: ./editwatch.toml if present; also $EDITWATCH_CONFIG).",
)
@click.option(
    "--debug",
    is_flag=True,
    help="On an internal error, print its traceback too (for a bug report).",
)
@click.version_option(package_name="editwatch", prog_name="editwatch")
@click.pass_context
def cli(ctx: click.Context, db_path: str, config_path: str | None, debug: bool) -> None:
    """editwatch: watch news articles and report when, and how, they are edited."""
    ctx.obj = Session(db_path=db_path, config_path=config_path)
    ctx.call_on_close(ctx.obj.close)
    _ = ctx.obj.config  # a broken config file is reported by every command, not only by those using it


# Each command's module is imported only when that command runs (or for --help), so that
# quick commands such as `list` do not pay for importing Scrapy. A new command is added here.
COMMAND_MODULES = {
    "add": "watches",
    "import": "watches",
    "list": "watches",
    "remove": "watches",
    "pause": "pausing",
    "resume": "pausing",
    "history": "history",
    "show": "history",
    "diff": "history",
    "search": "research",
    "export": "research",
    "backfill": "archives",
    "serve": "serve",
    "web-password": "web_access",
    "web-token": "web_access",
    "check": "running",
    "run": "running",
    "worker": "cluster",
    "status": "status",
    "extract": "extract",
    "sources": "sources",
    "demo": "demo",
    "alerts": "alerts",
}
cli.command_modules = COMMAND_MODULES


def main() -> None:
    """Console entry point: never a traceback for a user's mistake or a broken environment."""
    try:
        cli(prog_name="editwatch")
    except EditwatchError as exc:  # raised outside click's own handling (e.g. during close)
        exc.show()
        sys.exit(exc.exit_code)


__all__ = ["cli", "main"]
