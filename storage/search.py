"""Full-text search over every stored version (the ``versions_fts`` FTS5 index)."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

from storage.database import describe_sqlite_error
from storage.errors import StorageError
from storage.versions import Version

if TYPE_CHECKING:
    from storage.database import Store

# What FTS5's unicode61 tokenizer counts as a word character, near enough to tell "no words".
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def phrase_query(phrase: str) -> str:
    """An FTS5 query matching ``phrase``'s words in order, whatever punctuation it contains."""
    if not _WORD.search(phrase):
        raise ValueError("search needs at least one word")
    return '"' + phrase.replace('"', '""') + '"'


class SearchRepository:
    """Phrase search over ``versions`` through ``versions_fts``."""

    def __init__(self, store: Store):
        self.store = store

    def versions_matching(self, phrase: str) -> list[Version]:
        """Every version whose headline, byline or body holds the words of ``phrase`` in order.

        Ordered by watch, then version number. Matching is FTS5's: case, accents
        and punctuation are ignored; callers that need the phrase inside one
        paragraph check the returned text.
        """
        try:
            rows = self.store.conn.execute(
                "SELECT v.* FROM versions_fts JOIN versions v ON v.id = versions_fts.rowid"
                " WHERE versions_fts MATCH ? ORDER BY v.watch_id, v.number",
                (phrase_query(phrase),),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StorageError(describe_sqlite_error(exc, self.store.path)) from None
        return [Version.from_row(r) for r in rows]
