"""``editwatch serve``: the app on uvicorn, on a socket bound here so that its address can be announced."""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from monitor.web.app import create_app


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (0: any free port); OSError when it cannot be."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    db_path: str,
    host: str,
    port: int,
    announce: Callable[[str], None],
    read_only: bool = True,
    config: dict | None = None,
    tls: tuple[str, str] | None = None,
    config_path: str | None = None,
    secure_cookies: bool = False,
) -> None:
    """Serve the app until interrupted (Ctrl-C or SIGTERM); ``announce`` is told the address once it listens.

    ``tls`` is a certificate and key file: the app is then served over https, with Secure cookies.
    ``secure_cookies``: a proxy in front serves https, so the cookies are Secure without ``tls``.
    """
    sock = listening_socket(host, port)  # first: an address that is not ours is the first thing said
    try:
        app = create_app(
            db_path, bound_host=host, read_only=read_only, config=config, https=tls is not None or secure_cookies,
            config_path=config_path,
        )  # fmt: skip
    except BaseException:
        sock.close()
        raise
    shown_host, shown_port = sock.getsockname()[:2]
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", server_header=False, date_header=True,
        ssl_certfile=tls[0] if tls else None, ssl_keyfile=tls[1] if tls else None,
    )  # fmt: skip
    announce(f"{'https' if tls else 'http'}://{shown_host}:{shown_port}/")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
