"""Failed fetches described in words a user can act on."""

from __future__ import annotations

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


def describe_failure(failure: Failure, timeout: float | None = None) -> tuple[str, int | None]:
    """A one-line reason for a failed fetch, and the HTTP status if one arrived."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"HTTP {status}", status
    if isinstance(exc, (CannotResolveHostError, net_error.DNSLookupError)):
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
    if isinstance(
        exc, (DownloadFailedError, ResponseFailed, net_error.ConnectionLost, net_error.ConnectionDone)
    ):
        return _tls_or(str(exc), "connection closed before the whole page arrived")
    if isinstance(exc, ResponseNeverReceived):
        reasons = getattr(exc, "reasons", None) or []
        return _tls_or(
            "; ".join(str(r.value) for r in reasons if hasattr(r, "value")),
            "connection closed before a response arrived",
        )
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "blocked by robots.txt", None
        return f"request dropped: {text or 'ignored'}", None
    if isinstance(exc, (DownloadCancelledError, defer.CancelledError)):
        text = str(exc)
        if "max size" in text or "maxsize" in text or "larger than" in text:
            return "page too large (over the size cap)", None
        return "download cancelled", None
    if isinstance(exc, UnsupportedURLSchemeError):
        return "unsupported URL scheme", None
    return _tls_or(str(exc), f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _tls_or(detail: str, otherwise: str) -> tuple[str, None]:
    lowered = detail.lower()
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return f"TLS error: {detail}", None
    return otherwise, None
