"""editwatch's storage: the SQLite schema and every query. Nothing outside this package writes SQL."""

from storage.changes import Change, NewChange
from storage.checks import CheckResult, RecordedCheck
from storage.database import Store, default_path
from storage.errors import NotFound, StorageError
from storage.rejected import RejectedPage
from storage.source_records import ListedArticle, Source, SourcePoll
from storage.versions import NewVersion, Version
from storage.watches import Watch

__all__ = [
    "Change",
    "CheckResult",
    "ListedArticle",
    "NewChange",
    "NewVersion",
    "NotFound",
    "RecordedCheck",
    "RejectedPage",
    "Source",
    "SourcePoll",
    "StorageError",
    "Store",
    "Version",
    "Watch",
    "default_path",
]
