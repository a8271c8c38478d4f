"""``editwatch serve``: the viewer on waitress, a small, pure-Python production WSGI server."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable

import waitress

from monitor.web.app import Viewer

THREADS = 4


def serve(db_path: str, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve the viewer until interrupted; ``announce`` is told the address once it listens."""
    app = Viewer(db_path, bound_host=host)
    server = waitress.create_server(app, host=host, port=port, threads=THREADS, ident="editwatch")
    listening = getattr(server, "effective_host", None), getattr(server, "effective_port", port)
    shown_host = listening[0] or host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    announce(f"http://{shown_host}:{listening[1]}/")
    # Stop cleanly on SIGTERM (service managers, test harnesses) as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()
