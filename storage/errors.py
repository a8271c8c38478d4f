"""Errors the storage layer reports in words a user can act on."""


class StorageError(Exception):
    """The database cannot be used as asked (not SQLite, too new, locked, full)."""


class NotFound(StorageError):
    """No watch, version or rule matches what was asked for."""
