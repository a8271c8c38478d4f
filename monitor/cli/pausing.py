"""editwatch pause and resume: stop checking a watch for a while, keeping its history."""

from __future__ import annotations

import click

from monitor.actions import BadInput
from monitor.actions.watches import pause_watch, resume_watch
from monitor.cli.base import UsageProblem, session


@click.command()
@click.argument("watch")
@click.pass_context
def pause(ctx: click.Context, watch: str) -> None:
    """Stop checking WATCH (an ID or URL) until editwatch resume; its history is kept."""
    try:
        result = pause_watch(session(ctx).store, watch)
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"{result['id']} {result['url']}: {result['message']}")


@click.command()
@click.argument("watch")
@click.pass_context
def resume(ctx: click.Context, watch: str) -> None:
    """Check a paused WATCH (an ID or URL) again, starting now."""
    try:
        result = resume_watch(session(ctx).store, watch)
    except BadInput as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"{result['id']} {result['url']}: {result['message']}")


COMMANDS = [pause, resume]
