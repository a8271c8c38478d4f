"""``editwatch demo``: see edits detected and diffs printed within a minute, on a local news site."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from monitor.cli.base import EditwatchError, UsageProblem, console, session
from monitor.daemon.runner import DaemonAlreadyRunning, DaemonError
from monitor.daemon.schedule import parse_duration


def _seconds(text: str, name: str) -> float:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise UsageProblem(f"{name}: {exc}") from None
    if seconds < 1:
        raise UsageProblem(f"{name} must be at least 1s")
    return seconds


def demo_config(every: float) -> dict:
    """Settings for a site on this machine: no politeness delay, quick polls, no hourly report."""
    return {
        "fetch": {"delay_seconds": 0, "timeout_seconds": 10, "per_domain": 4, "contact": "editwatch demo"},
        "daemon": {"poll_seconds": min(1.0, every / 2), "report_every": "off"},
    }


def _run_demo(every: float, edit_every: float, port: int) -> str:
    """Run the demo; returns the path of its database."""
    from monitor.demo.run import EDITS, DemoRun

    out = console()
    db_path = str(Path(tempfile.mkdtemp(prefix="editwatch-demo-")) / "demo.db")
    run = DemoRun(db_path=db_path, every=every, edit_every=edit_every, out=out, port=port)
    try:
        seen = run.run(demo_config)
    except OSError as exc:
        reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
        raise EditwatchError(f"cannot start the demo site on port {port}: {reason}") from None
    except (DaemonAlreadyRunning, DaemonError) as exc:
        raise EditwatchError(str(exc)) from None
    out.print(f"demo finished: {seen} of {len(EDITS)} edits detected.")
    out.print(f"Its database is kept: editwatch --db {db_path} history 1   (or diff 1, show 1)")
    return db_path


@click.command()
@click.option(
    "--every", default="2s", show_default=True, metavar="DURATION", help="How often the story is checked."
)
@click.option(
    "--edit-every",
    default="5s",
    show_default=True,
    metavar="DURATION",
    help="How often the newsroom edits it.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port of the demo site (default: any free one)."
)
def demo(every: str, edit_every: str, port: int) -> None:
    """Watch a demo news site edit its story: edits detected and diffs printed within a minute.

    Starts a small news site on 127.0.0.1 with one realistic story, runs the
    daemon against it with a short check interval, and edits the story on a
    timer as a newsroom would: a quote softened, a paragraph of new reporting
    added, a correction appended, the headline rewritten for a new
    development. Each edit is printed as a diff when the daemon stores it; the
    demo ends after the fourth (or at Ctrl-C). It uses its own database in a
    temporary directory, never yours.
    """
    _run_demo(_seconds(every, "--every"), _seconds(edit_every, "--edit-every"), port)
    console().print("Watch real articles: editwatch add URL, then editwatch run.")


def run_demo_for_newcomer(ctx: click.Context) -> None:
    """What ``editwatch run --demo-if-empty`` (``make run``) does on a database without watches."""
    out = console()
    db_path = session(ctx).db_path
    out.print(f"{db_path} has no watches yet, so here is a one-minute demo on a local news site first.\n")
    _run_demo(2.0, 5.0, 0)
    out.print()
    out.print("To watch real articles:")
    out.print(f"  editwatch --db {db_path} add https://example.com/news/some-article")
    out.print(f"  editwatch --db {db_path} import urls.txt   # one URL per line")
    out.print("  make run   # now runs the daemon on them")
    out.print("Set [fetch] contact in editwatch.toml so sites can reach you (see the README).")


COMMANDS = [demo]
