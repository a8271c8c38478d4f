"""The browser's only way out with ``block_private_addresses``: a SOCKS5 proxy that connects to the address it checked.

Chromium resolves host names itself, so checking a page's address before the page goes to
the browser does not hold when a name answers differently the second time (DNS rebinding:
public for the check, private for the browser). With ``[fetch] block_private_addresses``
the browser is launched behind this proxy, on 127.0.0.1, in the crawler's own process:
Chromium hands it every connection by host name (SOCKS5 resolves on the proxy's side, and
Playwright proxies loopback hosts too), and the proxy resolves the name once, refuses it if
any of its addresses is private, loopback or link-local, and connects to the very address it
checked. The browser never looks a name up, and never connects anywhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable

from crawler.fetch_policy import address_kind

logger = logging.getLogger("editwatch.rendering")

# SOCKS5 replies (RFC 1928): succeeded, refused by the rules, host unreachable, command not supported.
SUCCEEDED, NOT_ALLOWED, UNREACHABLE, UNSUPPORTED = 0, 2, 4, 7
Resolve = Callable[[str, int], Awaitable[list[str]]]


async def system_addresses(host: str, port: int) -> list[str]:
    """Every address the system resolver gives ``host``."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


class CheckedProxy:
    """A SOCKS5 proxy (no authentication, CONNECT only) whose connections go to checked addresses.

    ``resolve`` answers a host's addresses (the system's resolver); ``refuses`` says why an
    address may not be reached (the fetch policy's private-address rule), or None.
    """

    def __init__(
        self, resolve: Resolve = system_addresses, refuses: Callable[[str], str | None] = address_kind
    ):
        self.resolve = resolve
        self.refuses = refuses
        self.refused: list[str] = []  # "host: reason", for the log and the tests
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> str:
        """Listen on 127.0.0.1; the proxy's address for Chromium's ``--proxy-server``."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"socks5://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._tasks):
            task.cancel()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            target = await self._handshake(reader, writer)
            if target is not None:
                await self._connect(writer, reader, *target)
        except (OSError, asyncio.IncompleteReadError, ValueError, UnicodeError):
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    async def _handshake(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[str, int] | None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 5 or 0 not in methods:
            writer.write(b"\x05\xff")
            return None
        writer.write(b"\x05\x00")
        _version, command, _reserved, kind = await reader.readexactly(4)
        if kind == 1:
            host = socket.inet_ntop(socket.AF_INET, await reader.readexactly(4))
        elif kind == 4:
            host = socket.inet_ntop(socket.AF_INET6, await reader.readexactly(16))
        elif kind == 3:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode("ascii")
        else:
            raise ValueError("unknown address type")
        port = int.from_bytes(await reader.readexactly(2), "big")
        if command != 1:
            self._reply(writer, UNSUPPORTED)
            return None
        return host, port

    async def _connect(
        self, writer: asyncio.StreamWriter, reader: asyncio.StreamReader, host: str, port: int
    ) -> None:
        try:
            addresses = [host] if _is_ip(host) else await self.resolve(host, port)
        except OSError:
            self._reply(writer, UNREACHABLE)
            return
        reasons = [why for why in map(self.refuses, addresses) if why]
        if reasons or not addresses:
            self.refused.append(f"{host}: {reasons[0] if reasons else 'no address'}")
            logger.info(
                "the browser may not reach %s: %s ([fetch] block_private_addresses)", host, self.refused[-1]
            )
            self._reply(writer, NOT_ALLOWED)
            return
        try:
            # The address checked above, never the name again.
            upstream_reader, upstream_writer = await asyncio.open_connection(addresses[0], port)
        except OSError:
            self._reply(writer, UNREACHABLE)
            return
        self._reply(writer, SUCCEEDED)
        try:
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        finally:
            with contextlib.suppress(Exception):
                upstream_writer.close()

    @staticmethod
    def _reply(writer: asyncio.StreamWriter, code: int) -> None:
        writer.write(bytes([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(Exception):
            sink.write_eof()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
