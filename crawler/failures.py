"""Failed fetches described in words a user can act on."""

from __future__ import annotations

from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError


def describe_failure(failure: Failure, timeout: float | None = None) -> tuple[str, int | None]:
    """A one-line reason for a failed fetch, and the HTTP status if one arrived."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"HTTP {status}", status
    if isinstance(exc, net_error.DNSLookupError):
        return "cannot resolve host name", None
    if isinstance(exc, (net_error.TimeoutError, net_error.TCPTimedOutError, defer.TimeoutError)):
        after = f" after {timeout:g} s" if timeout else ""
        return f"timed out{after}", None
    if isinstance(exc, net_error.ConnectionRefusedError):
        return "connection refused", None
    if isinstance(exc, (net_error.ConnectionLost, net_error.ConnectionDone, ResponseFailed)):
        return "connection closed before the whole page arrived", None
    if isinstance(exc, ResponseNeverReceived):
        reasons = getattr(exc, "reasons", None) or []
        detail = "; ".join(str(r.value) for r in reasons if hasattr(r, "value"))
        if "SSL" in detail or "certificate" in detail.lower():
            return f"TLS error: {detail}", None
        return "connection closed before a response arrived", None
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "blocked by robots.txt", None
        return f"request dropped: {text or 'ignored'}", None
    if isinstance(exc, defer.CancelledError):
        text = str(exc)
        if "max size" in text or "maxsize" in text or "larger than" in text:
            return "page too large (over the size cap)", None
        return "download cancelled", None
    name = type(exc).__name__
    if "SSL" in name or "TLS" in name or "certificate" in str(exc).lower():
        return f"TLS error: {exc}", None
    return f"{name}: {exc}" if str(exc) else name, None
