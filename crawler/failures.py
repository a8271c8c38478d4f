"""Failed fetches described in words a user can act on."""

from __future__ import annotations

import ssl
from urllib.parse import urljoin

from aiohttp import ClientConnectionError
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.fetch_policy import FetchRefused, PrivateAddressRefused, refusal


def describe_failure(
    failure: Failure, timeout: float | None = None, max_size: int | None = None
) -> tuple[str, int | None]:
    """A one-line reason for a failed fetch, and the HTTP status if one arrived."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        if 300 <= status < 400:  # a redirect Scrapy would not follow
            location = exc.response.headers.get(b"Location")
            if not location:
                return f"HTTP {status} without a Location to follow", status
            target = urljoin(exc.response.url, location.decode("latin-1").strip())
            if refusal(target):
                return f"redirected to {target[:80]}: not followed, only http and https are fetched", status
        return f"HTTP {status}", status
    if isinstance(exc, FetchRefused):
        return str(exc), None
    # The crawler's resolver or socket factory refused an address (under the download handler's errors).
    refused = _in_chain(exc, PrivateAddressRefused)
    if refused is not None:
        return f"refused: {_reason(refused)} ([fetch] block_private_addresses)", None
    if isinstance(exc, (CannotResolveHostError, net_error.DNSLookupError)):
        return "cannot resolve host name", None
    if isinstance(
        exc, (DownloadTimeoutError, net_error.TimeoutError, net_error.TCPTimedOutError, defer.TimeoutError)
    ):
        after = f" after {timeout:g} s" if timeout else ""
        return f"timed out{after}", None
    if isinstance(exc, (DownloadConnectionRefusedError, net_error.ConnectionRefusedError)):
        # aiohttp's TLS errors are connection errors too: a certificate refused is not a closed port.
        tls = _in_chain(exc, ssl.SSLError, ssl.CertificateError)
        if tls is not None:
            return _tls_or(str(tls), "connection refused")
        return "connection refused", None
    if isinstance(exc, ResponseDataLossError):
        return "connection closed before the whole page arrived (truncated response)", None
    # Scrapy wraps Twisted's errors; the original says whether any answer had begun.
    cause = exc.__cause__ if isinstance(exc, DownloadFailedError) else exc
    if isinstance(cause, ClientConnectionError):
        # aiohttp: a connection lost once the answer began is a payload error (truncated, above).
        return _tls_or(str(cause), "connection closed before an answer arrived (reset by the server?)")
    if isinstance(cause, ResponseNeverReceived):
        reasons = getattr(cause, "reasons", None) or []
        return _tls_or(
            "; ".join(str(r.value) for r in reasons if hasattr(r, "value")),
            "connection closed before an answer arrived (reset by the server?)",
        )
    if isinstance(
        exc, (DownloadFailedError, ResponseFailed, net_error.ConnectionLost, net_error.ConnectionDone)
    ):
        return _tls_or(str(exc), "connection closed before the whole page arrived")
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "blocked by robots.txt", None
        if "max redirections" in text:
            return "too many redirects (a redirect loop?)", None
        return f"request dropped: {text or 'ignored'}", None
    if isinstance(exc, (DownloadCancelledError, defer.CancelledError)):
        # Scrapy cancels a download that outgrows DOWNLOAD_MAXSIZE, silently when it had no
        # Content-Length; nothing else cancels a download that has begun.
        text = str(exc)
        cap = f" of {_size(max_size)}" if max_size else ""
        if not text or "max size" in text or "maxsize" in text or "larger than" in text:
            return f"page too large: over the size cap{cap} ([fetch] max_page_bytes)", None
        return "download cancelled", None
    if isinstance(exc, UnsupportedURLSchemeError):
        return "unsupported URL scheme", None
    return _tls_or(str(exc), f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _in_chain(exc: BaseException, *types: type[BaseException]) -> BaseException | None:
    """The first exception of ``types`` among ``exc`` and the exceptions it was raised from."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, types):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _reason(exc: BaseException) -> str:
    """The words of a refusal, without Twisted's "DNS lookup failed: ... ." around them."""
    return str(getattr(exc, "osError", None) or (exc.args[0] if exc.args else "") or exc)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{round(count / 1024 / 1024, 1):g} MB"
    if count >= 1024:
        return f"{round(count / 1024):g} KB"
    return f"{count} bytes"


def _tls_or(detail: str, otherwise: str) -> tuple[str, None]:
    lowered = detail.lower()
    # Python's ssl says "certificate verify failed: Hostname mismatch": the name first.
    if "mismatch" in lowered and any(w in lowered for w in ("dns", "ipaddress", "ip address", "hostname")):
        return "TLS error: the site's certificate is for another host name", None
    if "certificate verify failed" in lowered:
        return (
            "TLS error: the site's certificate is not trusted (self-signed, expired or from an unknown"
            " authority; [fetch] verify_tls)",
            None,
        )
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return f"TLS error: {detail}", None
    return otherwise, None
