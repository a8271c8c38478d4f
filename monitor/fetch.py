"""A single fetch outside the crawler, for ``editwatch extract URL`` and the alerts' confirming
re-fetch: the crawler's identity, timeout, page-size cap and fetch policy from the user's
``[fetch]`` section (http and https only, on every redirect too; with ``public_only``, no
private, loopback or link-local address; certificates verified unless ``verify_tls = false``)."""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from crawler import settings as crawler_settings
from crawler.config import scrapy_overrides
from crawler.fetch_policy import address_kind, refusal


class FetchError(OSError):
    """The page could not be fetched; the message says why."""


@dataclass(frozen=True)
class FetchSettings:
    """What the crawler's settings say about one fetch, from ``[fetch]`` over the crawler's defaults."""

    user_agent: str = crawler_settings.USER_AGENT
    timeout: float = crawler_settings.DOWNLOAD_TIMEOUT
    max_bytes: int = crawler_settings.DOWNLOAD_MAXSIZE  # 0: no cap, as in Scrapy
    public_only: bool = crawler_settings.EDITWATCH_BLOCK_PRIVATE_ADDRESSES
    verify_tls: bool = crawler_settings.DOWNLOAD_VERIFY_CERTIFICATES

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> FetchSettings:
        """The settings of a loaded configuration, read through the same mapping the crawler uses."""
        overrides = scrapy_overrides(config)
        defaults = cls()
        return cls(
            user_agent=overrides.get("USER_AGENT", defaults.user_agent),
            timeout=float(overrides.get("DOWNLOAD_TIMEOUT", defaults.timeout)),
            max_bytes=int(overrides.get("DOWNLOAD_MAXSIZE", defaults.max_bytes)),
            public_only=bool(overrides.get("EDITWATCH_BLOCK_PRIVATE_ADDRESSES", defaults.public_only)),
            verify_tls=bool(overrides.get("DOWNLOAD_VERIFY_CERTIFICATES", defaults.verify_tls)),
        )


@dataclass(frozen=True)
class FetchedPage:
    """A page as served: its bytes, the URL it came from after redirects, and its Content-Type."""

    body: bytes
    url: str
    content_type: str | None


def fetch(url: str, settings: FetchSettings | None = None) -> FetchedPage:
    """GET ``url`` as the crawler would (see :class:`FetchSettings`); raises :class:`FetchError`.

    The Content-Type header is returned because a charset may be declared only there;
    the final URL because per-site rules are chosen by the address the page came from.
    """
    settings = settings or FetchSettings()
    problem = refusal(url)
    if problem:
        raise FetchError(problem)
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent})
    context = None if settings.verify_tls else ssl._create_unverified_context()
    opener = urllib.request.build_opener(
        _HttpOnlyRedirects,
        _CheckedHTTPHandler(settings.public_only),
        _CheckedHTTPSHandler(settings.public_only, context),
    )
    limit = settings.max_bytes
    try:
        with opener.open(request, timeout=settings.timeout) as response:
            data = response.read(limit + 1) if limit > 0 else response.read()
            final_url, content_type = response.geturl(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} from {url}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot fetch {url}: {exc.reason}") from None
    except FetchError:
        raise
    except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
        raise FetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from None
    if limit > 0 and len(data) > limit:
        raise FetchError(f"{url} is larger than the page cap of {_size(limit)} ([fetch] max_page_bytes)")
    return FetchedPage(body=data, url=final_url or url, content_type=content_type)


def fetch_page(url: str, timeout: float | None = None, *, public_only: bool = False) -> bytes:
    """The bytes of ``url``, fetched with the crawler's default settings (see :func:`fetch`)."""
    defaults = FetchSettings()
    settings = FetchSettings(
        timeout=timeout or defaults.timeout, public_only=public_only or defaults.public_only
    )
    return fetch(url, settings).body


def _size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit:,} bytes"


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
    def __init__(self, public_only: bool, context: ssl.SSLContext | None = None):
        super().__init__(context=context)
        self.public_only = public_only

    def https_open(self, req):  # urllib's name
        public_only = self.public_only

        class Connection(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                _check_peer(self.sock, self.host, public_only)

        return self.do_open(Connection, req, context=self._context)
