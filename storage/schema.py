"""The schema, as an ordered list of migrations; ``PRAGMA user_version`` is the version.

Each migration runs inside the caller's ``BEGIN IMMEDIATE`` transaction, so a
database is always at one whole version. Tables use plain names and declared
foreign keys so that ``sqlite3`` or ``datasette editwatch.db`` can browse them.
Each migration is a module of :mod:`storage.migrations`; a new one is appended to
:data:`MIGRATIONS`, and a released one is never edited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from storage.migrations.v01_foundation import _v1_foundation
from storage.migrations.v02_history_search_and_views import _v2_history_search_and_views
from storage.migrations.v03_sources import _v3_sources
from storage.migrations.v04_alerts import _v4_alerts
from storage.migrations.v05_live_blogs import _v5_live_blogs
from storage.migrations.v06_article_regions_and_page_deltas import _v6_article_regions_and_page_deltas
from storage.migrations.v07_robots_txt import _v7_robots_txt
from storage.migrations.v08_site_blocks import _v8_site_blocks
from storage.migrations.v09_headline_variants import _v9_headline_variants
from storage.migrations.v10_rejected_pages import _v10_rejected_pages
from storage.migrations.v11_archive_captures import _v11_archive_captures
from storage.migrations.v12_handoff import _v12_handoff
from storage.migrations.v13_web_auth import _v13_web_auth
from storage.migrations.v14_check_rollups import _v14_check_rollups
from storage.migrations.v15_render_decisions import _v15_render_decisions
from storage.migrations.v16_web_sessions import _v16_web_sessions
from storage.migrations.v17_render_trials import _v17_render_trials

if TYPE_CHECKING:  # migrations get the store's sqlite-utils Database, imported only when one runs
    import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_foundation,
    _v2_history_search_and_views,
    _v3_sources,
    _v4_alerts,
    _v5_live_blogs,
    _v6_article_regions_and_page_deltas,
    _v7_robots_txt,
    _v8_site_blocks,
    _v9_headline_variants,
    _v10_rejected_pages,
    _v11_archive_captures,
    _v12_handoff,
    _v13_web_auth,
    _v14_check_rollups,
    _v15_render_decisions,
    _v16_web_sessions,
    _v17_render_trials,
]

LATEST_VERSION = len(MIGRATIONS)
