"""A single fetch outside the crawler, for ``editwatch extract URL`` and the alerts' confirming
re-fetch: the crawler's identity, page-size cap and fetch policy (http and https only, on
every redirect too; with ``public_only``, no private, loopback or link-local address)."""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from urllib.parse import urljoin

from crawler import settings as crawler_settings
from crawler.fetch_policy import address_kind, refusal


class FetchError(OSError):
    """The page could not be fetched; the message says why."""


def fetch_page(url: str, timeout: float | None = None, *, public_only: bool = False) -> bytes:
    """GET ``url`` with editwatch's User-Agent and page-size cap.

    ``public_only`` (``[fetch] block_private_addresses``) refuses a connection that
    reached a private, loopback or link-local address: checked on the connected
    socket, so on every redirect and after whatever DNS answered.
    """
    problem = refusal(url)
    if problem:
        raise FetchError(problem)
    request = urllib.request.Request(url, headers={"User-Agent": crawler_settings.USER_AGENT})
    opener = urllib.request.build_opener(
        _HttpOnlyRedirects, _CheckedHTTPHandler(public_only), _CheckedHTTPSHandler(public_only)
    )
    limit = crawler_settings.DOWNLOAD_MAXSIZE
    try:
        with opener.open(request, timeout=timeout or crawler_settings.DOWNLOAD_TIMEOUT) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} from {url}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot fetch {url}: {exc.reason}") from None
    except FetchError:
        raise
    except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
        raise FetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from None
    if len(data) > limit:
        raise FetchError(f"{url} is larger than the {limit // (1024 * 1024)} MB page cap")
    return data


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only, and say so (urllib refuses some schemes as a bare HTTP 302
    and would follow one to ftp:)."""

    def http_error_302(self, req, fp, code, msg, headers):  # urllib's names
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urljoin(req.full_url, location.strip())
            problem = refusal(target)
            if problem:
                raise FetchError(
                    f"redirected to {target[:80]}: not followed, only http and https are fetched"
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _check_peer(sock: socket.socket, host: str, public_only: bool) -> None:
    if not public_only:
        return
    address = sock.getpeername()[0]
    kind = address_kind(address)
    if kind is not None:
        sock.close()
        shown = f"{address} is {kind}" if address == host else f"{host} resolves to {address}, {kind}"
        raise FetchError(f"refused: {shown} ([fetch] block_private_addresses)")


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, public_only: bool):
        super().__init__()
        self.public_only = public_only

    def http_open(self, req):  # urllib's name
        public_only = self.public_only

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                _check_peer(self.sock, self.host, public_only)

        return self.do_open(Connection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, public_only: bool):
        super().__init__()
        self.public_only = public_only

    def https_open(self, req):  # urllib's name
        public_only = self.public_only

        class Connection(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                _check_peer(self.sock, self.host, public_only)

        return self.do_open(Connection, req, context=self._context)
