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
    help="SQLite database file (also $EDITWATCH_DB).",
)
@click.option(
    "--config",
    "config_path",
    envvar="EDITWATCH_CONFIG",
    default=None,
    help="Configuration file (default: ./editwatch.toml if present; also $EDITWATCH_CONFIG).",
)
@click.version_option(package_name="editwatch", prog_name="editwatch")
@click.pass_context
def cli(ctx: click.Context, db_path: str, config_path: str | None) -> None:
    """editwatch: watch news articles and report when, and how, they are edited."""
    ctx.obj = Session(db_path=db_path, config_path=config_path)
    ctx.call_on_close(ctx.obj.close)
    _ = ctx.obj.config  # a broken config file is reported by every command, not only by those using it


def _register() -> None:
    from monitor.cli import alerts, demo, extract, history, research, running, serve, sources, watches

    for module in (watches, history, research, serve, running, extract, sources, demo, alerts):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console entry point: never a traceback for a user's mistake or a broken environment."""
    try:
        cli(prog_name="editwatch")
    except EditwatchError as exc:  # raised outside click's own handling (e.g. during close)
        exc.show()
        sys.exit(exc.exit_code)


__all__ = ["cli", "main"]
