"""editwatch serve: the web app (or, with --read-only, the viewer)."""

from __future__ import annotations

import click

from monitor.cli.base import EditwatchError, UsageProblem, session


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default)."
)
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port)."
)
@click.option("--read-only", is_flag=True, help="Only show: no forms, no writes, no login (the viewer).")
@click.option(
    "--certfile",
    type=click.Path(exists=True, dir_okay=False),
    metavar="PATH",
    help="TLS certificate: serve https.",
)
@click.option(
    "--keyfile", type=click.Path(exists=True, dir_okay=False), metavar="PATH", help="TLS key for --certfile."
)
@click.option(
    "--behind-https-proxy",
    is_flag=True,
    help="Browsers reach the app over https through a proxy: mark its session cookie Secure"
    " (or set secure_cookies = true under [web] in the config).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    read_only: bool,
    certfile: str | None,
    keyfile: str | None,
    behind_https_proxy: bool,
) -> None:
    """Run editwatch from a browser: dashboard, watches, alerts, sources, diffs, search, Atom feeds,
    and the JSON API under /api/ (its OpenAPI document at /api/openapi.json).

    It listens on 127.0.0.1 unless told otherwise. On any other address it starts
    only once a password (editwatch web-password) or an API token
    (editwatch web-token add NAME) exists. With --read-only it is the viewer of
    before: it shows and never writes, and needs no login.
    """
    from monitor.web.app import StartRefused
    from monitor.web.server import serve as run_server

    if bool(certfile) != bool(keyfile):
        raise UsageProblem("--certfile and --keyfile go together")
    s = session(ctx)
    db_path = s.db_path
    secure_cookies = s.config.get("web", {}).get("secure_cookies", False)
    if not isinstance(secure_cookies, bool):
        raise UsageProblem("web.secure_cookies in the config must be true or false")
    mode = "read-only" if read_only else "for reading and changing"

    def announce(url: str) -> None:
        click.echo(f"editwatch: serving {db_path} {mode} at {url} (Ctrl-C to stop)")
        click.get_text_stream("stdout").flush()

    try:
        run_server(
            db_path, host, port, announce, read_only=read_only, config=s.config,
            tls=(certfile, keyfile) if certfile and keyfile else None, config_path=s.config_path,
            secure_cookies=behind_https_proxy or secure_cookies,
        )  # fmt: skip
    except StartRefused as exc:
        raise EditwatchError(str(exc)) from None
    except OSError as exc:
        raise EditwatchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


COMMANDS = [serve]
