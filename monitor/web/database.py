"""The web app's access to the database: a read-only store per server thread, a writer per action.

Readers never block the daemon (SQLite in WAL mode); a write opens its own
short-lived store, the same way one CLI command does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from storage import Store


class Database:
    """The database file the app serves, opened per thread for reading and per action for writing."""

    def __init__(self, path: str):
        self.path = path
        # Opened once up front: a missing or foreign file fails here, with one line.
        Store(path, create=False).close()
        self._local = threading.local()

    def reader(self) -> Store:
        """This thread's read-only connection."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.path, create=False, read_only=True)
        return store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A writable store for one action, closed after it."""
        store = Store(self.path, create=False)
        try:
            yield store
        finally:
            store.close()
