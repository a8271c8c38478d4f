"""The one object that owns the SQLite database: connection, pragmas, transactions, schema."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from storage import schema
from storage.errors import StorageError

if TYPE_CHECKING:
    import sqlite_utils

DEFAULT_PATH = "editwatch.db"
BUSY_TIMEOUT_MS = 30_000


def default_path() -> str:
    """``$EDITWATCH_DB`` if set, else ``./editwatch.db``."""
    return os.environ.get("EDITWATCH_DB") or DEFAULT_PATH


class Store:
    """An open editwatch database.

    Writes go through :meth:`transaction`, which takes SQLite's write lock up
    front with ``BEGIN IMMEDIATE``: a deferred ``BEGIN`` that later upgrades to a
    write fails at once with "database is locked" when another process writes,
    whatever the busy timeout. Readers use WAL snapshots and never block the writer.
    """

    @classmethod
    def if_present(cls, path: str | os.PathLike[str] | None) -> Store | None:
        """The database at ``path`` if there is one that opens; ``None`` otherwise (nothing is created).

        For readers that work without one: a page is still read without its site's learned chrome.
        """
        if not path:
            return None
        try:
            return cls(path, create=False)
        except StorageError:
            return None

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, create: bool = True, read_only: bool = False
    ):
        self.path = str(path or default_path())
        if not create and not Path(self.path).exists():
            raise StorageError(f"no database at {self.path}")
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self.conn = conn
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # What sqlite-utils sets on a connection it wraps, set here for every connection whether or
            # not a migration wraps it: a REPLACE fires delete triggers.
            conn.execute("PRAGMA recursive_triggers = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            if read_only:
                # Readers such as the web viewer: any write is refused by SQLite itself.
                conn.execute("PRAGMA query_only = ON")
        except sqlite3.DatabaseError as exc:
            raise StorageError(describe_sqlite_error(exc, self.path)) from None

        # Imported here: the repositories import this module for typing only.
        from storage.alerts import AlertRepository
        from storage.aliases import WatchAliasRepository
        from storage.changes import ChangeRepository
        from storage.checks import CheckRepository
        from storage.live_blogs import LiveBlogRepository
        from storage.overview import OverviewRepository
        from storage.regions import RegionRepository
        from storage.rejected import RejectedPageRepository
        from storage.render_decisions import RenderDecisionRepository
        from storage.robots import RobotsTxtRepository
        from storage.search import SearchRepository
        from storage.site_blocks import SiteBlockRepository
        from storage.sources import SourceRepository
        from storage.versions import VersionRepository
        from storage.watches import WatchRepository

        self.watches = WatchRepository(self)
        self.checks = CheckRepository(self)
        self.versions = VersionRepository(self)
        self.changes = ChangeRepository(self)
        self.rejected_pages = RejectedPageRepository(self)
        self.search = SearchRepository(self)
        self.overview = OverviewRepository(self)
        self.sources = SourceRepository(self)
        self.aliases = WatchAliasRepository(self)
        self.live_blogs = LiveBlogRepository(self)
        self.alerts = AlertRepository(self)
        self.regions = RegionRepository(self)
        self.robots_txt = RobotsTxtRepository(self)
        self.site_blocks = SiteBlockRepository(self)
        self.render_decisions = RenderDecisionRepository(self)

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection wrapped by sqlite-utils, for schema migrations."""
        # Imported on first use: a tenth of a second of start-up (its plugins are looked up through
        # importlib.metadata), which quick commands such as `history` would pay for nothing.
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from its first statement."""
        if self.conn.in_transaction:  # nested: join the outer transaction
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise StorageError(describe_sqlite_error(exc, self.path)) from None
        try:
            yield self.conn
        except sqlite3.DatabaseError as exc:
            # A write refused by SQLite itself (a full disk, an I/O error): undone, then one line.
            self._rollback()
            raise StorageError(describe_sqlite_error(exc, self.path)) from None
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._rollback()
                raise StorageError(describe_sqlite_error(exc, self.path)) from None

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass  # SQLite already rolled back (it does after SQLITE_FULL and I/O errors)

    def history_tables(self) -> list[str]:
        """Tables holding a watch's history, in an order safe for deleting (children first)."""
        return ["checks", "check_rollups", "changes", "article_regions", "rejected_pages", "versions"]

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StorageError(describe_sqlite_error(exc, self.path)) from None

    def schema_version(self) -> int:
        """The schema version recorded in the file."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def integrity_check(self) -> str:
        """SQLite's own integrity check: ``ok`` when the file is sound."""
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        """Close the connection (pending writes are already committed)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > schema.LATEST_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer editwatch (schema {current}, "
                f"this version knows up to {schema.LATEST_VERSION}); upgrade editwatch"
            )
        if current == schema.LATEST_VERSION:
            return
        with self.transaction():
            # Re-read under the write lock: another process may have migrated meanwhile.
            current = self.schema_version()
            for version in range(current + 1, schema.LATEST_VERSION + 1):
                schema.MIGRATIONS[version - 1](self.db)
                self.conn.execute(f"PRAGMA user_version = {version}")


def describe_sqlite_error(exc: sqlite3.DatabaseError, path: str) -> str:
    """One line a user can act on for an SQLite failure."""
    text = str(exc)
    if "file is not a database" in text or "file is encrypted" in text:
        return f"{path} is not an editwatch database (not an SQLite file)"
    if "unable to open database" in text:
        return f"cannot open database {path}: check the path and its permissions"
    if "disk is full" in text or "database or disk is full" in text:
        return f"cannot write to {path}: the disk is full (nothing was changed)"
    if "disk i/o error" in text.lower():
        return f"disk I/O error on {path} (is the disk full or failing?); nothing was changed"
    if "malformed" in text:
        return f"{path} is damaged ({text}); restore it from a backup or run sqlite3's .recover"
    if "locked" in text or "busy" in text:
        return f"{path} is busy: another process held the write lock for too long"
    if "readonly" in text:
        return f"cannot write to {path}: it is read-only"
    return f"database error in {path}: {text}"
