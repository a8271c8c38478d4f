"""Web archives: where their CDX API and raw replays are, and how to read a CDX answer.

The CDX API lists an archive's captures of a URL: the Wayback Machine's at
``https://web.archive.org/cdx/search/cdx`` (raw captures at ``/web/{timestamp}id_/{url}``),
pywb's at ``/{collection}/cdx`` (raw captures at ``/{collection}/{timestamp}id_/{url}``),
OpenWayback's likewise. The ``id_`` modifier asks for the capture as it was archived:
no banner, no rewritten links, the original headers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit

WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"

# Headers a replay adds about itself; a capture's own headers do not include them.
_REPLAY_HEADERS = {
    "memento-datetime",
    "link",
    "content-location",
    "x-archive-src",
    "x-archive-playback",
    "x-archive-guessed-content-type",
    "x-archive-guessed-charset",
    "x-archive-guessed-encoding",
    "x-app-server",
    "x-ts",
    "x-tr",
    "x-location",
    "x-cache-key",
    "x-page-cache",
    "server-timing",
    "x-nid",
    "x-rl",
    "x-na",
}
_ORIGINAL_PREFIX = "x-archive-orig-"


class ArchiveError(Exception):
    """The archive could not be used: down, too slow, or its answer is not what an archive sends."""


@dataclass(frozen=True)
class Capture:
    """One capture of a URL as the archive's CDX API lists it."""

    timestamp: str  # 14 digits, UTC: yyyyMMddhhmmss
    original: str
    mimetype: str | None = None
    status: int | None = None  # None: not recorded (revisits, some crawls)
    digest: str | None = None

    @property
    def captured_at(self) -> datetime:
        """The capture time."""
        return capture_time(self.timestamp)


@dataclass(frozen=True)
class ArchiveEndpoints:
    """Where an archive lists captures (CDX) and replays them raw."""

    cdx: str
    replay: str  # prefix: the capture's address is ``{replay}{timestamp}id_/{url}``

    @classmethod
    def from_urls(cls, archive: str | None = None, replay: str | None = None) -> ArchiveEndpoints:
        """The endpoints for a CDX address (default: the Wayback Machine's) or a pywb collection's address.

        ``replay`` gives the replay prefix where it cannot be told from the CDX address.
        """
        cdx = (archive or WAYBACK_CDX).strip()
        parts = urlsplit(cdx)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"--archive {cdx}: not an http(s) address of a CDX API")
        path = parts.path.rstrip("/")
        base = f"{parts.scheme}://{parts.netloc}"
        if parts.netloc == "web.archive.org" and path in ("", "/web"):  # the Wayback Machine's home
            cdx, path = WAYBACK_CDX, "/cdx/search/cdx"
        elif not path.endswith("/cdx") and path and not parts.query:
            # A pywb collection's address (http://HOST/COLLECTION): its CDX API is beneath it.
            cdx, path = f"{base}{path}/cdx", f"{path}/cdx"
        if replay is None:
            if path.endswith("/cdx/search/cdx"):  # the Wayback Machine and its clones
                replay = f"{base}{path[: -len('/cdx/search/cdx')]}/web/"
            elif path.endswith("/cdx"):  # pywb: /{collection}/cdx
                replay = f"{base}{path[: -len('cdx')]}"
            else:
                raise ValueError(
                    f"--archive {cdx}: cannot tell where this archive replays captures; pass --replay PREFIX"
                )
        elif urlsplit(replay).scheme not in ("http", "https"):
            raise ValueError(f"--replay {replay}: not an http(s) address")
        return cls(cdx=cdx, replay=replay if replay.endswith("/") else replay + "/")

    def listing_url(self, url: str, since: str | None = None, until: str | None = None) -> str:
        """The CDX query for every capture of ``url`` (``since``/``until``: timestamps, inclusive)."""
        params = {"url": url, "output": "json"}
        if since:
            params["from"] = since
        if until:
            params["to"] = until
        return f"{self.cdx}{'&' if '?' in self.cdx else '?'}{urlencode(params)}"

    def raw_capture_url(self, capture: Capture) -> str:
        """Where the capture is replayed as archived (the ``id_`` modifier)."""
        return f"{self.replay}{capture.timestamp}id_/{capture.original}"


def capture_time(timestamp: str) -> datetime:
    """A CDX timestamp (up to 14 digits; missing digits are the start of the period) as UTC."""
    digits = timestamp + "00000101000000"[len(timestamp) :]
    return datetime.strptime(digits[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def parse_cdx(body: bytes) -> list[Capture]:
    """The captures a CDX answer lists, oldest first, or :class:`ArchiveError` if it is not a CDX answer.

    Takes the Wayback Machine's JSON (an array of rows, the first naming the
    fields) and pywb's (one JSON object per line).
    """
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ArchiveError("the archive's capture list is not text") from None
    if not text:
        return []
    try:
        if text.startswith("["):
            rows = json.loads(text)
            if not rows:
                return []
            names, *rows = rows
            records = [dict(zip(names, row, strict=False)) for row in rows]
        else:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        captures = [_capture(record) for record in records]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ArchiveError("the archive's capture list is not a CDX answer (JSON rows of captures)") from None
    return sorted(captures, key=lambda c: c.timestamp)


def _capture(record: dict) -> Capture:
    timestamp = str(record["timestamp"])
    if not timestamp.isdigit() or not 4 <= len(timestamp) <= 14:
        raise ValueError(f"bad timestamp {timestamp!r}")
    capture_time(timestamp)  # a real date, or ValueError
    original = record.get("original") or record["url"]
    if not isinstance(original, str) or not original.startswith(("http://", "https://")):
        raise ValueError(f"bad URL {original!r}")
    status = str(record.get("statuscode") or record.get("status") or "")
    return Capture(
        timestamp=timestamp,
        original=original,
        mimetype=record.get("mimetype") or record.get("mime"),
        status=int(status) if status.isdigit() else None,
        digest=record.get("digest"),
    )


def memento_time(value: str | None) -> datetime | None:
    """The ``Memento-Datetime`` a replay is dated with, if it sent a valid one."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def original_headers(headers: list[tuple[str, str]], captured_at: datetime) -> list[tuple[str, str]]:
    """The capture's own response headers: the archive's additions dropped, its renamed originals restored.

    A ``Date`` more than a day away from the capture time is the replay's own (pywb
    adds one when the capture had none), not the capture's.
    """
    originals = {
        n[len(_ORIGINAL_PREFIX) :].lower() for n, _ in headers if n.lower().startswith(_ORIGINAL_PREFIX)
    }
    kept = []
    for name, value in headers:
        lower = name.lower()
        replays_own = lower == "date" and not _near(memento_time(value), captured_at)
        if lower.startswith(_ORIGINAL_PREFIX):
            kept.append((name[len(_ORIGINAL_PREFIX) :], value))
        elif lower not in _REPLAY_HEADERS and lower not in originals and not replays_own:
            kept.append((name, value))
    return kept


def _near(moment: datetime | None, captured_at: datetime) -> bool:
    return moment is not None and abs((moment - captured_at).total_seconds()) <= 86400
