"""One daemon per database: an exclusive lock on a file beside it."""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

from storage import clock


class DaemonAlreadyRunning(Exception):
    """Another daemon holds this database."""


class DaemonLock:
    """An exclusive ``flock`` on ``DB.daemon.lock``, which also records the holder's PID and start time.

    The kernel drops the lock when the process dies, even by ``kill -9``, so a
    stale file never blocks a restart.
    """

    def __init__(self, db_path: str):
        self.db_path = db_path
        self.path = Path(f"{db_path}.daemon.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`DaemonAlreadyRunning` naming the running daemon."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DaemonAlreadyRunning(f"cannot create the lock file {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = self.holder()
            who = f" (pid {pid})" if pid and pid > 0 else ""
            raise DaemonAlreadyRunning(
                f"another editwatch daemon{who} is already running on {self.db_path}; "
                "stop it first (one daemon per database)"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n{clock.now_text()}\n".encode())
        except OSError as exc:
            os.close(fd)  # closing drops the lock too
            why = "the disk is full (nothing was changed)" if exc.errno == errno.ENOSPC else exc.strerror
            raise DaemonAlreadyRunning(f"cannot write the lock file {self.path}: {why}") from None
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (the file stays; it is harmless without a holder)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> int | None:
        """The PID of the running daemon (-1 if unreadable), or ``None`` when no daemon holds the lock."""
        info = self.holder_info()
        return info[0] if info else None

    def holder_info(self) -> tuple[int, str | None] | None:
        """``(pid, started_at)`` of the running daemon, or ``None`` when no daemon holds the lock.

        The PID is -1 when the lock is held but the file cannot be read.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                lines = self.path.read_text().split()
                pid = int(lines[0]) if lines and lines[0].isdigit() else -1
                return pid, lines[1] if len(lines) > 1 else None
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)
