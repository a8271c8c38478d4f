"""Failed fetches described in words a user can act on."""

from __future__ import annotations

from urllib.parse import urljoin

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
    if isinstance(exc, (CannotResolveHostError, net_error.DNSLookupError)):
        if isinstance(exc.__cause__, PrivateAddressRefused) or isinstance(exc, PrivateAddressRefused):
            return f"refused: {exc} ([fetch] block_private_addresses)", None
        return "cannot resolve host name", None
    if isinstance(
        exc, (DownloadTimeoutError, net_error.TimeoutError, net_error.TCPTimedOutError, defer.TimeoutError)
    ):
        after = f" after {timeout:g} s" if timeout else ""
        return f"timed out{after}", None
    if isinstance(exc, (DownloadConnectionRefusedError, net_error.ConnectionRefusedError)):
        return "connection refused", None
    if isinstance(exc, ResponseDataLossError):
        return "connection closed before the whole page arrived (truncated response)", None
    # Scrapy wraps Twisted's errors; the original says whether any answer had begun.
    cause = exc.__cause__ if isinstance(exc, DownloadFailedError) else exc
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


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{round(count / 1024 / 1024, 1):g} MB"
    if count >= 1024:
        return f"{round(count / 1024):g} KB"
    return f"{count} bytes"


def _tls_or(detail: str, otherwise: str) -> tuple[str, None]:
    lowered = detail.lower()
    if "certificate verify failed" in lowered:
        return (
            "TLS error: the site's certificate is not trusted (self-signed, expired or from an unknown"
            " authority; [fetch] verify_tls)",
            None,
        )
    if "mismatch" in lowered and ("dns" in lowered or "ipaddress" in lowered or "hostname" in lowered):
        return "TLS error: the site's certificate is for another host name", None
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return f"TLS error: {detail}", None
    return otherwise, None
