"""Schema version 9. The four headlines a newsroom edits separately, stored with each version."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v9_headline_variants(db: sqlite_utils.Database) -> None:
    """The four headlines a newsroom edits separately, stored with each version.

    ``page_headline`` (the page's main visible ``<h1>``), ``search_headline`` (JSON-LD
    ``headline``), ``social_headline`` (``og:title``, else ``twitter:title``) and
    ``title`` (``<title>``), as served. An empty string means the page had none; NULL
    means unknown: the version was stored before editwatch read them, and a diff leaves
    the field out rather than report a change from nothing. ``alert_rules.fields`` lets a
    rule follow some fields only (``["social_headline", "title"]``).
    """
    for column in ("page_headline", "search_headline", "social_headline", "title"):
        db["versions"].add_column(column, str)
    # So that a rule can ask for edits of some fields only (JSON list; NULL: any field).
    db["alert_rules"].add_column("fields", str)
