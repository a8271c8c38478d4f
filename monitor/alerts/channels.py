"""Alert channels, by URL: editwatch's JSON webhook, ``stdout``, and every Apprise service.

- ``http://`` and ``https://``: the native webhook, a JSON POST with an
  ``Idempotency-Key`` header (unless Apprise knows the address as a service's
  own webhook URL, such as Slack's or Discord's: then it goes through Apprise);
- ``stdout``: the message printed on standard output (the daemon's output);
- anything else Apprise understands: ``mailto://``, ``slack://``, ``discord://``,
  ``tgram://``, ``ntfy://``, ``matrix://``, ``mmost://`` ... (email gets HTML and
  plain-text parts; other services get plain text).

Channel URLs often carry secrets (passwords, tokens). Only :meth:`Channel.describe`
(redacted) is ever shown, and :meth:`Channel.scrub` removes secrets from errors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import socket
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from monitor.alerts.messages import Message

USER_AGENT = "editwatch/0.1 (alerts)"
MASK = "****"
_TOKEN_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~]{12,}$|^[A-Za-z0-9_\-]{24,}$")

# Apprise logs the URLs it parses and the errors it meets, which can contain
# secrets: its records are captured per send and scrubbed, never printed as is.
_APPRISE_LOG = logging.getLogger("apprise")
_APPRISE_LOG.propagate = False
_APPRISE_LOG.addHandler(logging.NullHandler())
_APPRISE_LOG.setLevel(logging.WARNING)


class ChannelError(ValueError):
    """The channel URL cannot be used; the message contains no secret."""


class DeliveryError(Exception):
    """A send failed; the message says why (scrubbed) and ``retry_after`` what the receiver asked for."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Outgoing:
    """What one delivery sends: the JSON for webhooks, the message for people, and its key."""

    key: str
    body: dict
    message: Message
    signing_secret: str | None = field(default=None, repr=False)  # [alerts] webhook_secret


class Channel:
    """A place alerts go. Subclasses set ``kind`` and implement :meth:`send`."""

    kind = "?"

    def __init__(self, url: str):
        self.url = url

    def describe(self) -> str:
        """The channel URL with its secrets masked."""
        return self.url

    def send(self, outgoing: Outgoing, timeout: float) -> None:
        """Deliver, or raise :class:`DeliveryError`."""
        raise NotImplementedError

    def scrub(self, text: str) -> str:
        """``text`` with every secret of the channel URL masked."""
        return scrub(text, self.url, self.describe())


class StdoutChannel(Channel):
    """``stdout``: prints each alert on standard output."""

    kind = "stdout"
    _lock = threading.Lock()

    def send(self, outgoing: Outgoing, timeout: float) -> None:
        with self._lock:  # one alert at a time, never interleaved
            try:
                sys.stdout.write(f"{outgoing.message.text.rstrip()}\n\n")
                sys.stdout.flush()
            except (OSError, ValueError) as exc:
                raise DeliveryError(f"cannot write to standard output: {exc}") from None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would lose its body: report it instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # urllib's signature
        return None


class WebhookChannel(Channel):
    """``http(s)://...``: POSTs the event JSON with ``Content-Type: application/json`` and ``Idempotency-Key``."""

    kind = "webhook"

    def describe(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        if parts.username:
            host = f"{parts.username}{':' + MASK if parts.password else ''}@{host}"
        path = "/".join(MASK if _TOKEN_LIKE.match(unquote(s)) else s for s in parts.path.split("/"))
        query = urlencode([(k, MASK) for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
        return urlunsplit((parts.scheme, host, path, query, ""))

    def send(self, outgoing: Outgoing, timeout: float) -> None:
        data = json.dumps(outgoing.body, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": outgoing.key,
            "User-Agent": USER_AGENT,
            "X-Editwatch-Event": str(outgoing.body.get("event")),
        }
        if outgoing.signing_secret:
            digest = hmac.new(outgoing.signing_secret.encode(), data, hashlib.sha256).hexdigest()
            headers["X-Editwatch-Signature"] = f"sha256={digest}"
        url = self.url
        parts = urlsplit(url)
        if parts.username is not None:  # user:password@ becomes HTTP Basic authentication
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(credentials).decode("ascii")
            host = parts.hostname if ":" not in (parts.hostname or "") else f"[{parts.hostname}]"
            netloc = f"{host}:{parts.port}" if parts.port else host
            url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        request = urllib.request.Request(url, data=data, method="POST", headers=headers)
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read(65536)
        except urllib.error.HTTPError as exc:
            retry_after = _seconds(exc.headers.get("Retry-After")) if exc.headers else None
            where = f" to {exc.headers.get('Location')}" if 300 <= exc.code < 400 and exc.headers else ""
            raise DeliveryError(self.scrub(f"HTTP {exc.code} {exc.reason}{where}"), retry_after) from None
        except urllib.error.URLError as exc:
            raise DeliveryError(self.scrub(_network_reason(exc.reason, timeout))) from None
        except TimeoutError as exc:
            raise DeliveryError(self.scrub(_network_reason(exc, timeout))) from None
        except (OSError, ValueError) as exc:
            raise DeliveryError(self.scrub(f"{type(exc).__name__}: {exc}")) from None


class AppriseChannel(Channel):
    """Any Apprise URL; email is sent as HTML with a plain-text alternative."""

    kind = "apprise"

    def __init__(self, url: str, plugin=None):
        super().__init__(url)
        self.plugin = plugin if plugin is not None else _apprise_plugin(url)
        if self.plugin is None:
            raise ChannelError(
                f"not a channel editwatch can send to: {redact_unknown(url)} (use an http(s) webhook URL,"
                " stdout, or an Apprise URL such as mailto://, slack://, discord://, tgram://, ntfy://)"
            )

    @property
    def service(self) -> str:
        """The Apprise service's name (``Email``, ``Slack``...)."""
        return str(getattr(self.plugin, "service_name", type(self.plugin).__name__))

    def describe(self) -> str:
        try:
            private = self.plugin.url(privacy=True)
        except Exception:  # a plugin that cannot describe itself still must not leak
            return redact_unknown(self.url)
        return private.split("?", 1)[0]

    def send(self, outgoing: Outgoing, timeout: float) -> None:
        import apprise

        plugin = _apprise_plugin(self.url)  # a fresh instance per send: plugins keep state
        if plugin is None:
            raise DeliveryError(f"not a channel editwatch can send to: {redact_unknown(self.url)}")
        for name in ("socket_connect_timeout", "socket_read_timeout"):
            if hasattr(plugin, name):
                setattr(plugin, name, timeout)
        html = getattr(plugin, "notify_format", None) == apprise.NotifyFormat.HTML
        message = outgoing.message
        captured = _ThreadLog()
        _APPRISE_LOG.addHandler(captured)
        try:
            ok = plugin.notify(
                body=message.html if html else message.text,
                title=message.title,
                body_format=apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT,
            )
        except Exception as exc:  # a plugin's bug is a failed delivery, not a crash
            raise DeliveryError(self.scrub(f"{self.service}: {type(exc).__name__}: {exc}")) from None
        finally:
            _APPRISE_LOG.removeHandler(captured)
        if not ok:
            reason = captured.lines[-1] if captured.lines else "the service did not accept the message"
            raise DeliveryError(self.scrub(f"{self.service}: {reason}"))


def open_channel(url: str) -> Channel:
    """The channel a URL names, or :class:`ChannelError` (whose message holds no secret)."""
    text = url.strip()
    if text.lower() == "stdout":
        return StdoutChannel("stdout")
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(text).hostname:
            raise ChannelError(f"webhook URL has no host: {redact_unknown(text)}")
        native = _apprise_plugin(text)  # Slack, Discord, Teams... webhook addresses
        return AppriseChannel(text, native) if native is not None else WebhookChannel(text)
    if not scheme:
        raise ChannelError(
            f"not a channel URL: {redact_unknown(text)} (use an http(s) webhook URL, stdout, or an Apprise URL)"
        )
    return AppriseChannel(text)


class _ThreadLog(logging.Handler):
    """Apprise's warnings from the current thread only: concurrent sends must not see each other's."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage().strip())


_PARSE_LOCK = threading.Lock()  # Apprise loads its plugins on first use: not from two threads at once


def _apprise_plugin(url: str):
    import apprise

    with _PARSE_LOCK:
        try:
            return apprise.Apprise.instantiate(url, suppress_exceptions=True)
        except Exception:  # an unparseable URL is simply not a channel
            return None


def redact_unknown(url: str) -> str:
    """What may be shown of a URL nothing could parse: its scheme and host, nothing more."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}/{MASK}" if parts.scheme else MASK


def scrub(text: str, url: str, shown: str) -> str:
    """Mask in ``text`` every piece of ``url`` that its redacted form ``shown`` does not reveal."""
    pieces = {p for p in re.split(r"[/:@?&=#,;+\s]+", url) if len(p) >= 4}
    pieces |= {unquote(p) for p in pieces}
    for piece in sorted(pieces, key=len, reverse=True):
        if piece and piece not in shown:
            text = text.replace(piece, MASK)
    return text


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "cannot resolve host name"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    return str(reason)


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
