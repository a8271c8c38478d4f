"""editwatch web-password and web-token: who may use editwatch serve."""

from __future__ import annotations

import click

from monitor.cli.base import MAX_NUMBER, UsageProblem, print_json, session

MIN_PASSWORD = 10


@click.command(name="web-password")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from standard input (scripts).")
@click.pass_context
def web_password(ctx: click.Context, from_stdin: bool) -> None:
    """Set the password of the web app (stored as an argon2 hash).

    Once set, the browser logs in, on loopback too; serve may then listen on
    other addresses.
    """
    from monitor.web.auth import hash_password
    from storage.web_auth import WebAuthRepository

    if from_stdin:
        password = click.get_text_stream("stdin").readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise UsageProblem(f"the password must have at least {MIN_PASSWORD} characters")
    WebAuthRepository(session(ctx).store).set_password_hash(hash_password(password))
    click.echo("web password set")


@click.group(name="web-token")
def web_token() -> None:
    """API tokens for scripts: Authorization: Bearer TOKEN on requests to /api/."""


@web_token.command(name="add")
@click.argument("name")
@click.option("--read-only", is_flag=True, help="The token may read, never change anything.")
@click.pass_context
def add_token(ctx: click.Context, name: str, read_only: bool) -> None:
    """Make a token named NAME and print it (once: only its digest is stored).

    It may read and change everything, or only read with --read-only.
    """
    from monitor.web.auth import new_token
    from storage.web_auth import WebAuthRepository

    if not name.strip():
        raise UsageProblem("the token needs a name")
    token, digest = new_token()
    token_id = WebAuthRepository(session(ctx).store).add_token(name.strip(), digest, read_only=read_only)
    scope = ", read-only" if read_only else ""
    click.echo(f"token {token_id} ({name.strip()}{scope}): {token}")


@web_token.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_tokens(ctx: click.Context, as_json: bool) -> None:
    """List tokens (names and dates; never the tokens)."""
    from storage.web_auth import WebAuthRepository

    tokens = WebAuthRepository(session(ctx).store).tokens()
    if as_json:
        print_json(tokens)
        return
    if not tokens:
        click.echo("no API tokens: make one with `editwatch web-token add NAME`")
    for t in tokens:
        scope = "read-only" if t["read_only"] else "read-write"
        click.echo(f"{t['id']} {t['name']} {scope} (made {t['created_at'][:19].replace('T', ' ')})")


@web_token.command(name="remove")
@click.argument("token_id", type=click.IntRange(min=1, max=MAX_NUMBER), metavar="ID")
@click.pass_context
def remove_token(ctx: click.Context, token_id: int) -> None:
    """Revoke token ID."""
    from storage.web_auth import WebAuthRepository

    WebAuthRepository(session(ctx).store).remove_token(token_id)
    click.echo(f"token {token_id}: removed")


COMMANDS = [web_password, web_token]
