"""The HTTP side of the demo site: asyncio HTTP/1.1 with keep-alive, on one or more loopback addresses.

:class:`SiteServer` parses requests, counts them (per path, per User-Agent, at once), applies
the delays, resets and faults a test asked for, and writes the answers that the site
(:class:`monitor.demo.site.NewsSite`) gives through ``_page`` (GET) and ``_control`` (POST).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

from monitor.demo.faults import serve_fault

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class SiteServer:
    """Serves a site's pages from a background thread; the site subclass says what each path answers."""

    # Set by the site (see NewsSite.__init__); listed here for the reader.
    host: str
    port: int
    hosts: dict[str, str]

    def start(self) -> str:
        """Serve in a background thread; returns the base URL (raises ``OSError`` if the port is taken)."""
        ready = threading.Event()
        failed: list[OSError] = []

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            try:
                self._server = self._loop.run_until_complete(
                    asyncio.start_server(self._handle, self.host, self.port, backlog=1024, ssl=self.tls)
                )
            except OSError as exc:
                failed.append(exc)
                ready.set()
                return
            self.port = self._server.sockets[0].getsockname()[1]
            self._servers = [self._server]
            for address in sorted(set(self.hosts.values()) - {self.host}):  # other sites, same port
                self._servers.append(
                    self._loop.run_until_complete(
                        asyncio.start_server(self._handle, address, self.port, backlog=1024, ssl=self.tls)
                    )
                )
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="news-site", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failed:
            raise failed[0]
        return self.base_url

    def stop(self) -> None:
        """Stop serving (connections being answered are cut); stopping again does nothing."""
        if self._loop and self._server and self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        if self._thread:
            self._thread.join(5)

    async def _shutdown(self) -> None:
        assert self._server is not None and self._loop is not None
        for server in self._servers:
            server.close()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        self._loop.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                method, path, headers, body = await _read_request(reader)
                self._count(path, headers)
                try:
                    answer = await self._answer(method, path, headers, body, writer)
                finally:
                    self.active[path] -= 1
                    self._active_total -= 1
                if answer is None:  # a reset, or a fault that ended the connection
                    return
                if answer is _SERVED:  # a fault that served its own bytes and keeps the connection
                    continue
                status, ctype, payload, extra = answer
                out = [
                    f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}",
                    f"Content-Type: {ctype}",
                    f"Content-Length: {len(payload)}",
                    *(f"{k}: {v}" for k, v in extra.items()),
                    "",
                    "",
                ]
                writer.write("\r\n".join(out).encode("latin-1"))
                if method != "HEAD":
                    writer.write(payload)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:  # the site is stopping: end quietly (a cancelled task would be logged)
            pass
        finally:
            writer.close()

    def _count(self, path: str, headers: dict[str, str]) -> None:
        """Record a request as it arrives: the counts and peaks tests and benchmarks read back."""
        self.requests[path] += 1
        self.hits.append((time.time(), path))
        self.user_agents[headers.get("user-agent", "")] += 1
        self.active[path] += 1
        self.peak[path] = max(self.peak[path], self.active[path])
        self._active_total += 1  # a running total: summing every path's count costs per request
        self.peak_total = max(self.peak_total, self._active_total)

    async def _answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes, writer: asyncio.StreamWriter
    ) -> Any:
        """The response to one request, ``_SERVED`` when a fault wrote its own, ``None`` to hang up."""
        slug = path.split("?", 1)[0].strip("/")
        if slug in self.delays:
            await asyncio.sleep(self.delays[slug])
        fault = self.faults.get(slug) if method != "POST" else None
        if slug in self.resets or fault == "reset":
            _reset(writer)
            return None
        if fault is not None:
            healthy = self._page(path.split("?", 1)[0], headers)[2]
            served = await serve_fault(fault, writer, healthy, f"{self.base_url}{path}")
            return _SERVED if served else None
        if method == "POST":
            return self._control(path, body)
        return self._page(path, headers)


# What _answer returns when a fault has written the response itself.
_SERVED = object()


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes]:
    """One HTTP/1.1 request off the connection: method, path, headers (lower-case names), body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = await reader.readexactly(length) if length else b""
    return method, path, headers, body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close a connection with a TCP reset (SO_LINGER 0), as a crashing server or a firewall does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def not_modified_since(moment: datetime, http_date: str) -> bool:
    """Whether ``moment`` is no later than an ``If-Modified-Since`` date (to the second)."""
    try:
        since = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return False
    return moment.replace(microsecond=0) <= since
