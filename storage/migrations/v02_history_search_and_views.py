"""Schema version 2. Full-text search over every version, and views a researcher can browse in Datasette."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v2_history_search_and_views(db: sqlite_utils.Database) -> None:
    """Full-text search over every version, and views a researcher can browse in Datasette.

    ``versions_fts`` is an external-content FTS5 index of ``versions`` (headline,
    byline and body as stored), kept in sync by triggers, so every writer keeps
    it current without knowing it exists; Datasette finds it and offers a search
    box on ``versions``.
    """
    db.execute(
        "CREATE VIRTUAL TABLE versions_fts USING fts5("
        "headline, byline, body, content=[versions], content_rowid=[id],"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    columns = "headline, byline, body"
    add = f"INSERT INTO versions_fts (rowid, {columns}) VALUES (new.id, new.headline, new.byline, new.body);"
    drop = (
        f"INSERT INTO versions_fts (versions_fts, rowid, {columns})"
        " VALUES ('delete', old.id, old.headline, old.byline, old.body);"
    )
    # One statement each: executescript() would commit the migration's transaction half-way.
    db.execute(f"CREATE TRIGGER versions_ai AFTER INSERT ON versions BEGIN {add} END")
    db.execute(f"CREATE TRIGGER versions_ad AFTER DELETE ON versions BEGIN {drop} END")
    db.execute(f"CREATE TRIGGER versions_au AFTER UPDATE ON versions BEGIN {drop} {add} END")
    # Backfill: index the versions stored before this migration.
    db.execute("INSERT INTO versions_fts (versions_fts) VALUES ('rebuild')")

    # The body as readable text: paragraphs separated by blank lines.
    def body_text(column: str) -> str:
        return f"(SELECT group_concat(p.value, char(10) || char(10)) FROM json_each({column}) p)"

    def names(column: str) -> str:
        return f"(SELECT group_concat(n.value, ', ') FROM json_each({column}) n)"

    db.execute("DROP VIEW latest_versions")
    db.create_view(
        "latest_versions",
        f"""
        SELECT w.id AS watch_id, w.url, w.label, w.state, v.number AS version,
               v.fetched_at, w.last_changed_at, v.headline, {names("v.byline")} AS byline,
               v.published, v.modified, json_array_length(v.body) AS paragraphs,
               {body_text("v.body")} AS body_text
        FROM watches w
        JOIN versions v ON v.watch_id = w.id
        WHERE v.number = (SELECT MAX(number) FROM versions WHERE watch_id = w.id)
        """,
    )
    db.create_view(
        "version_texts",
        f"""
        SELECT v.id AS version_id, v.watch_id, w.url, w.label, v.number AS version, v.fetched_at,
               v.url AS served_from, v.headline, {names("v.byline")} AS byline, v.published,
               v.modified, json_array_length(v.body) AS paragraphs, {body_text("v.body")} AS body_text
        FROM versions v JOIN watches w ON w.id = v.watch_id
        """,
    )
    db.execute("DROP VIEW change_log")
    db.create_view(
        "change_log",
        """
        SELECT c.id, c.detected_at, c.watch_id, w.url, w.label,
               COALESCE(v.headline, (SELECT headline FROM versions
                                     WHERE watch_id = c.watch_id ORDER BY number DESC LIMIT 1)) AS headline,
               c.event, c.from_version, c.to_version, c.summary, c.fields,
               c.words_added, c.words_removed
        FROM changes c
        JOIN watches w ON w.id = c.watch_id
        LEFT JOIN versions v ON v.watch_id = c.watch_id AND v.number = c.to_version
        ORDER BY c.id DESC
        """,
    )
    # One row per field-level change (a headline rewrite, an edited paragraph...).
    db.create_view(
        "edit_log",
        """
        SELECT c.id AS change_id, c.detected_at, c.watch_id, w.url, c.from_version, c.to_version,
               json_extract(e.value, '$.field') AS field,
               json_extract(e.value, '$.kind') AS kind,
               json_extract(e.value, '$.category') AS category,
               COALESCE(json_extract(e.value, '$.new_index'), json_extract(e.value, '$.old_index')) + 1
                   AS paragraph,
               json_extract(e.value, '$.before') AS before,
               json_extract(e.value, '$.after') AS after,
               COALESCE(json_extract(e.value, '$.words_added'), 0) AS words_added,
               COALESCE(json_extract(e.value, '$.words_removed'), 0) AS words_removed
        FROM changes c
        JOIN watches w ON w.id = c.watch_id
        JOIN json_each(c.diff) e
        WHERE c.event = 'edit'
        ORDER BY c.id DESC, e.key
        """,
    )
    db.create_view(
        "article_stats",
        """
        SELECT w.id AS watch_id, w.url, w.label, w.state, w.added_at,
               (SELECT COUNT(*) FROM versions v WHERE v.watch_id = w.id) AS versions,
               (SELECT COUNT(*) FROM changes c WHERE c.watch_id = w.id AND c.event = 'edit') AS edits,
               (SELECT MIN(fetched_at) FROM versions v WHERE v.watch_id = w.id) AS first_seen_at,
               w.last_changed_at,
               (SELECT COUNT(*) FROM changes c, json_each(c.diff) e WHERE c.watch_id = w.id
                  AND json_extract(e.value, '$.category') = 'headline') AS headline_changes,
               (SELECT COUNT(*) FROM changes c, json_each(c.diff) e WHERE c.watch_id = w.id
                  AND json_extract(e.value, '$.category') = 'correction') AS corrections,
               (SELECT COALESCE(SUM(words_added), 0) FROM changes c WHERE c.watch_id = w.id) AS words_added,
               (SELECT COALESCE(SUM(words_removed), 0) FROM changes c WHERE c.watch_id = w.id) AS words_removed
        FROM watches w
        """,
    )
