"""What every command shares: the session (database, config), errors, and output helpers."""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
import traceback
from typing import TYPE_CHECKING, Any

import click

from crawler.config import ConfigError, load_config, locate_problem
from crawler.urls import InvalidURL
from monitor.alerts.settings import AlertSettings
from monitor.daemon.schedule import SchedulePolicy
from monitor.sources.policy import DiscoveryPolicy
from storage import Store
from storage.database import describe_sqlite_error
from storage.errors import NotFound, StorageError

if TYPE_CHECKING:
    from rich.console import Console

# The largest ID, version number or count an option takes (SQLite integers stop at 2**63).
MAX_NUMBER = 10**9


class EditwatchError(click.ClickException):
    """A failure reported as one line: ``editwatch: error: …`` and exit status 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"editwatch: error: {self.format_message()}", err=True)


class UsageProblem(EditwatchError):
    """The command was misused (bad URL, unknown ID): exit status 2."""

    exit_code = 2


# The commands that may create the database file; the others need an existing one.
CREATING_COMMANDS = {
    "add", "import", "check", "run", "backfill", "sources add", "alerts add", "web-password", "web-token add",
}  # fmt: skip


def _running_command() -> str:
    """The running command's name below ``editwatch`` (``"sources add"``), or ``""``."""
    ctx = click.get_current_context(silent=True)
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


class Session:
    """The database and configuration a command works on, opened on first use."""

    def __init__(self, db_path: str, config_path: str | None):
        self.db_path = db_path
        self.config_path = config_path
        self._store: Store | None = None
        self._config: dict | None = None

    @property
    def store(self) -> Store:
        """The database; only commands that add something create a missing file (a mistyped
        ``--db`` must not leave an empty database behind and answer "no watch with ID 5")."""
        if self._store is None:
            self._store = Store(self.db_path, create=_running_command() in CREATING_COMMANDS)
        return self._store

    @property
    def config(self) -> dict:
        if self._config is None:
            config = load_config(self.config_path)
            # A bad section is reported by every command before any work starts, naming its line.
            try:
                AlertSettings.from_config(config)
                SchedulePolicy.from_config(config)
                DiscoveryPolicy.from_config(config)
            except (ConfigError, ValueError) as exc:
                raise ConfigError(locate_problem(str(exc), self.config_path)) from None
            self._config = config
        return self._config

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def editwatch_group() -> type[click.Group]:
    """A click group that turns known failures into one-line errors with the right exit status."""

    class EditwatchGroup(click.Group):
        command_modules: dict[str, str] = {}

        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted({*self.commands, *self.command_modules})

        def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
            if name not in self.commands and name in self.command_modules:
                module = importlib.import_module(f"monitor.cli.{self.command_modules[name]}")
                for command in module.COMMANDS:
                    self.add_command(command)
            return self.commands.get(name)

        def invoke(self, ctx: click.Context) -> Any:
            try:
                return super().invoke(ctx)
            except (NotFound, InvalidURL) as exc:
                raise UsageProblem(str(exc)) from None
            except (StorageError, ConfigError) as exc:
                raise EditwatchError(str(exc)) from None
            except sqlite3.DatabaseError as exc:  # a read the storage layer did not wrap
                raise EditwatchError(describe_sqlite_error(exc, session(ctx).db_path)) from None
            except BrokenPipeError:
                sys.stderr.close()  # output piped into `head`: not an error
                ctx.exit(0)
            except KeyboardInterrupt:
                click.echo("interrupted", err=True)
                ctx.exit(130)
            except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
                raise
            except Exception as exc:
                if ctx.find_root().params.get("debug"):
                    traceback.print_exc()
                    hint = ""
                else:
                    hint = " (editwatch --debug ... shows the traceback)"
                raise EditwatchError(f"internal error: {type(exc).__name__}: {exc}{hint}") from None

    return EditwatchGroup


def session(ctx: click.Context) -> Session:
    """The session of the running command."""
    return ctx.find_root().obj


def console() -> Console:
    """Standard output as a Rich console (plain when piped)."""
    from rich.console import Console  # imported when a command prints with it: --json output does not

    return Console(highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Print JSON for scripts: UTF-8, stable key order as built."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
