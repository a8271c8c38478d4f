"""The daemon's log: stderr, one event per line, quiet unless something happened."""

from __future__ import annotations

import logging
import os
import sys

# Libraries whose INFO chatter (every APScheduler job run, Scrapy's start-up banner)
# would drown editwatch's own events.
QUIET_LOGGERS = ("scrapy", "apscheduler", "twisted", "py.warnings", "trafilatura", "htmldate", "filelock")


class OneLineFormatter(logging.Formatter):
    """Render every record on one line: newlines in messages and tracebacks are folded.

    Without ``tracebacks`` an exception is shown as ``Type: message`` only.
    """

    def __init__(
        self, fmt: str, datefmt: str | None = None, *, tracebacks: bool = False, journal: bool = False
    ):
        super().__init__(fmt, datefmt)
        self.tracebacks = tracebacks
        self.journal = journal

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        exc_info, record.exc_info, record.exc_text = record.exc_info, None, None
        stack_info, record.stack_info = record.stack_info, None
        line = super().format(record)
        if exc_info and exc_info[1] is not None:
            if self.tracebacks:
                line += " | " + self.formatException(exc_info)
            else:
                line += f" ({type(exc_info[1]).__name__}: {exc_info[1]})"
        if stack_info and self.tracebacks:
            line += " | " + stack_info
        line = " | ".join(part.rstrip() for part in line.splitlines() if part.strip())
        if self.journal:  # "<4>" tells journald the priority: `journalctl -p warning` works
            line = f"<{_SYSLOG_PRIORITY.get(record.levelno, 6)}>{line}"
        return line


_SYSLOG_PRIORITY = {
    logging.DEBUG: 7,
    logging.INFO: 6,
    logging.WARNING: 4,
    logging.ERROR: 3,
    logging.CRITICAL: 2,
}


def under_journald() -> bool:
    """Whether standard error goes to systemd's journal (systemd sets ``JOURNAL_STREAM``)."""
    return bool(os.environ.get("JOURNAL_STREAM"))


def log_format() -> str:
    """With systemd's journal (which stamps every line itself) the time is left out."""
    if under_journald():
        return "%(levelname)s %(message)s"
    return "%(asctime)s %(levelname)s %(message)s"


def install_daemon_logging(verbose: bool) -> logging.Handler:
    """Log to stderr, one line per event: editwatch's INFO and up, libraries' warnings.

    Called after the crawler process is created with ``install_root_handler=False``
    (Scrapy's own handler would print its multi-line start-up banner first).
    ``verbose`` shows everything down to DEBUG, with tracebacks.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        OneLineFormatter(log_format(), "%Y-%m-%d %H:%M:%S", tracebacks=verbose, journal=under_journald())
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_editwatch", False)]:
        root.removeHandler(old)
    handler._editwatch = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run, even in -v
    return handler
