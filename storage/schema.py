"""The schema, as an ordered list of migrations; ``PRAGMA user_version`` is the version.

Each migration runs inside the caller's ``BEGIN IMMEDIATE`` transaction, so a
database is always at one whole version. Tables use plain names and declared
foreign keys so that ``sqlite3`` or ``datasette editwatch.db`` can browse them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # migrations get the store's sqlite-utils Database, imported only when one runs
    import sqlite_utils


def _v1_foundation(db: sqlite_utils.Database) -> None:
    db["watches"].create(
        {
            "id": int,
            "url": str,  # what is fetched; follows the article when it moves
            "label": str,
            "interval_seconds": int,  # NULL: the age-based schedule decides
            "added_at": str,
            "state": str,  # active | failing | removed | retired
            "etag": str,
            "last_modified": str,
            "published_at": str,  # from the article; drives the schedule
            "last_checked_at": str,
            "last_changed_at": str,
            "next_check_at": str,
            "lease_until": str,  # set while a fetch is in flight
            "consecutive_failures": int,
            "source": str,  # where the watch came from (a feed, a sitemap, the CLI)
        },
        pk="id",
        not_null={"url", "added_at", "state", "consecutive_failures"},
        defaults={"state": "active", "consecutive_failures": 0},
    )
    db["watches"].create_index(["url"], unique=True)
    # Partial index: the daemon's "what is due" query only ever looks at fetched states.
    db.execute(
        "CREATE INDEX watches_due ON watches(next_check_at) WHERE state IN ('active', 'failing', 'removed')"
    )

    db["pages"].create(
        {"hash": str, "codec": str, "size": int, "data": bytes},
        pk="hash",
        not_null={"codec", "size", "data"},
    )

    db["versions"].create(
        {
            "id": int,
            "watch_id": int,
            "number": int,
            "fetched_at": str,
            "url": str,  # the URL the page was served from
            "content_hash": str,  # hash of the comparison form
            "headline": str,
            "byline": str,  # JSON list of names
            "published": str,
            "modified": str,
            "body": str,  # JSON list of paragraphs
            "extractor": str,
            "page_hash": str,
        },
        pk="id",
        not_null={"watch_id", "number", "fetched_at", "content_hash", "body"},
        foreign_keys=[("watch_id", "watches", "id"), ("page_hash", "pages", "hash")],
    )
    db["versions"].create_index(["watch_id", "number"], unique=True)

    db["checks"].create(
        {
            "id": int,
            "watch_id": int,
            "checked_at": str,
            "http_status": int,
            "duration_ms": int,
            "outcome": str,  # new_version | unchanged | not_modified | error | ...
            "error": str,
            "version_id": int,
        },
        pk="id",
        not_null={"watch_id", "checked_at", "outcome"},
        foreign_keys=[("watch_id", "watches", "id"), ("version_id", "versions", "id")],
    )
    db["checks"].create_index(["watch_id", "id"], index_name="checks_by_watch")

    db["changes"].create(
        {
            "id": int,
            "watch_id": int,
            "event": str,  # edit | removed | restored | moved | ab_test
            "from_version": int,
            "to_version": int,
            "detected_at": str,
            "summary": str,
            "fields": str,  # JSON list of changed field names
            "diff": str,  # JSON list of changes
            "words_added": int,
            "words_removed": int,
        },
        pk="id",
        not_null={"watch_id", "event", "detected_at", "summary"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
    db["changes"].create_index(["watch_id", "id"], index_name="changes_by_watch")
    db["changes"].create_index(["detected_at"])

    db.create_view(
        "latest_versions",
        """
        SELECT w.id AS watch_id, w.url, w.label, w.state, v.number AS version,
               v.fetched_at, v.headline, v.byline, v.published, v.modified
        FROM watches w
        JOIN versions v ON v.watch_id = w.id
        WHERE v.number = (SELECT MAX(number) FROM versions WHERE watch_id = w.id)
        """,
    )
    db.create_view(
        "change_log",
        """
        SELECT c.id, c.detected_at, c.watch_id, w.url, c.event, c.from_version,
               c.to_version, c.summary, c.words_added, c.words_removed
        FROM changes c JOIN watches w ON w.id = c.watch_id
        ORDER BY c.id DESC
        """,
    )


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


def _v3_sources(db: sqlite_utils.Database) -> None:
    """Sources (feeds, sitemaps, section pages) that discover articles, and URL aliases of watches."""
    db["sources"].create(
        {
            "id": int,
            "url": str,
            "kind": str,  # rss | atom | news-sitemap | sitemap | sitemap-index | page; NULL until polled
            "title": str,  # the feed's own title, when it has one
            "label": str,  # given to the watches it creates
            "interval_seconds": int,
            "include_pattern": str,  # regular expression an article URL must match
            "exclude_pattern": str,  # regular expression an article URL must not match
            "links_selector": str,  # CSS selector for article links on a section page
            "live_blogs": int,  # 1: watch live blogs too, with the live-blog policy
            "added_at": str,
            "etag": str,
            "last_modified": str,
            "children": str,  # JSON: child sitemap URL -> {lastmod, etag, last_modified}
            "last_polled_at": str,
            "last_success_at": str,
            "last_error": str,
            "consecutive_failures": int,
            "listed": int,  # articles in the latest listing
            "next_poll_at": str,
            "lease_until": str,
        },
        pk="id",
        not_null={"url", "interval_seconds", "added_at", "live_blogs", "consecutive_failures"},
        defaults={"live_blogs": 0, "consecutive_failures": 0},
    )
    db["sources"].create_index(["url"], unique=True)
    db["sources"].create_index(["next_poll_at"])

    # Every article URL a source listed and what became of it: the watch it maps to,
    # or why it was skipped. Also the memory that keeps a removed watch from coming back.
    db["source_items"].create(
        {
            "id": int,
            "source_id": int,
            "url": str,  # canonicalized, as listed
            "watch_id": int,
            "created_watch": int,  # 1 when this listing created the watch
            "first_seen_at": str,
            "skip_reason": str,
        },
        pk="id",
        not_null={"source_id", "url", "first_seen_at", "created_watch"},
        defaults={"created_watch": 0},
        foreign_keys=[("source_id", "sources", "id"), ("watch_id", "watches", "id")],
    )
    db["source_items"].create_index(["source_id", "url"], unique=True)
    db["source_items"].create_index(["watch_id"])

    # Other URLs of a watched article (rel=canonical, a merged duplicate, a redirect's
    # origin): finding an article by any of them finds its one watch.
    db["watch_aliases"].create(
        {"url": str, "watch_id": int, "reason": str, "added_at": str},
        pk="url",
        not_null={"watch_id", "added_at"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
    db["watch_aliases"].create_index(["watch_id"])

    db.create_view(
        "discovered_articles",
        """
        SELECT i.first_seen_at, i.source_id, s.url AS source_url, i.url AS listed_url,
               i.watch_id, w.url AS watch_url, i.created_watch, i.skip_reason
        FROM source_items i
        JOIN sources s ON s.id = i.source_id
        LEFT JOIN watches w ON w.id = i.watch_id
        ORDER BY i.id DESC
        """,
    )


def _v4_alerts(db: sqlite_utils.Database) -> None:
    # Written as SQL for ON DELETE CASCADE: removing a watch or a rule takes its queued alerts with it.
    db.execute(
        """
        CREATE TABLE alert_rules (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,          -- the channel URL as given: may hold secrets, never printed
            kind TEXT NOT NULL,             -- webhook | apprise | stdout
            events TEXT NOT NULL,           -- JSON list of event names
            watch_id INTEGER REFERENCES watches(id) ON DELETE CASCADE,  -- NULL: every watch
            label TEXT,                     -- only watches with this label
            min_words INTEGER NOT NULL DEFAULT 0,
            digest_seconds INTEGER,         -- NULL: one message per event
            confirm INTEGER NOT NULL DEFAULT 0,  -- re-fetch the page before alerting an edit
            created_at TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed deliveries on this channel
            retry_at TEXT,                  -- the channel backs off until then
            last_error TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE alert_outbox (
            id INTEGER PRIMARY KEY,
            rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
            change_id INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
            watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
            event TEXT NOT NULL,
            event_id TEXT NOT NULL UNIQUE,  -- the event's "id" in the webhook JSON
            payload TEXT NOT NULL,          -- the event as JSON, frozen when the change was recorded
            delivery_key TEXT,              -- Idempotency-Key; set when a digest batch is formed
            state TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | failed | dropped
            confirm_pending INTEGER NOT NULL DEFAULT 0,  -- 1: re-fetch the page before delivering
            created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_until TEXT,             -- set while a dispatcher is delivering it
            last_error TEXT,
            delivered_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX alert_outbox_pending ON alert_outbox(rule_id, id) WHERE state = 'pending'")
    db.execute("CREATE INDEX alert_outbox_by_key ON alert_outbox(delivery_key)")
    db.execute("CREATE INDEX alert_outbox_by_change ON alert_outbox(change_id)")
    db.execute(
        """
        CREATE TABLE alert_attempts (
            id INTEGER PRIMARY KEY,
            rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
            delivery_key TEXT NOT NULL,
            events INTEGER NOT NULL,        -- how many queued alerts the message carried
            started_at TEXT NOT NULL,
            duration_ms INTEGER,
            outcome TEXT NOT NULL,          -- sending | delivered | failed (sending: interrupted)
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX alert_attempts_by_rule ON alert_attempts(rule_id, id)")


def _v5_live_blogs(db: sqlite_utils.Database) -> None:
    """Live blogs followed under their own policy: a fixed interval, for a limited time."""
    # Written as SQL for ON DELETE CASCADE: removing (or merging away) a watch ends its entry.
    db.execute(
        """
        CREATE TABLE live_blogs (
            watch_id INTEGER PRIMARY KEY REFERENCES watches(id) ON DELETE CASCADE,
            reason TEXT NOT NULL,           -- how it was recognized (LiveBlogPosting, its URL)
            followed_since TEXT NOT NULL,
            follow_until TEXT NOT NULL,     -- then the watch is retired (kept, no longer fetched)
            ended_at TEXT                   -- when it was retired
        )
        """
    )
    db.execute("CREATE INDEX live_blogs_due ON live_blogs(follow_until) WHERE ended_at IS NULL")


def _v6_article_regions_and_page_deltas(db: sqlite_utils.Database) -> None:
    """What makes a check cheap: each watch's article region, and raw pages stored as deltas.

    ``article_regions`` holds, per watch, where the article sits on its page and
    the fingerprint of that region when it last showed the latest version (see
    ``crawler.extraction.region``): a page with the same fingerprint is unchanged
    without being extracted. ``pages.base`` names the page a raw page was
    compressed against (zstd with the previous version's page as dictionary), so
    that a new version costs what changed, not the whole page again.
    """
    db["article_regions"].create(
        {
            "watch_id": int,
            "content_hash": str,  # the version whose article the region showed
            "recipe": str,  # JSON: how to find the region and which of its runs are the article
            "fingerprint": str,
            "learned_at": str,
        },
        pk="watch_id",
        not_null={"content_hash", "recipe", "fingerprint", "learned_at"},
        foreign_keys=[("watch_id", "watches", "id")],
    )
    db["pages"].add_column("base", str)


def _v7_robots_txt(db: sqlite_utils.Database) -> None:
    """Each site's robots.txt as last fetched, so that it is read once a day, not once per process.

    ``site`` is the scheme and authority (``https://example.com``, ``http://127.0.0.1:8080``):
    robots.txt applies to exactly that. ``body`` is what the rules are parsed from (empty for
    a 4xx answer: no rules, everything allowed).
    """
    db.execute(
        """
        CREATE TABLE robots_txt (
            site TEXT PRIMARY KEY,
            fetched_at TEXT NOT NULL,
            status INTEGER NOT NULL,        -- the HTTP status robots.txt was answered with
            body BLOB NOT NULL
        )
        """
    )


def _v8_site_blocks(db: sqlite_utils.Database) -> None:
    """Short blocks seen inside article containers, per site: the evidence for calling a block chrome.

    One row per site, block shape (its text with numbers masked, hashed) and watch. A
    shape seen on several watches of a site is the site's template; one whose text
    (``text_key``) changed between fetches of a watch (``variants`` > 1) is volatile.
    """
    db.execute(
        """
        CREATE TABLE site_blocks (
            site TEXT NOT NULL,             -- the host, without "www."
            shape TEXT NOT NULL,
            watch_id INTEGER NOT NULL,
            text_key TEXT NOT NULL,         -- the block's exact text when last seen, hashed
            variants INTEGER NOT NULL,      -- how many texts the block has had on this watch
            seen_at TEXT NOT NULL,
            PRIMARY KEY (site, shape, watch_id)
        ) WITHOUT ROWID
        """
    )


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


def _v10_rejected_pages(db: sqlite_utils.Database) -> None:
    """Why a watch is stuck, and the last page its checks rejected, so that a person can see it.

    ``watches.failing_since`` is when the current run of failed checks began and
    ``watches.failure_reason`` the latest failure's reason (both cleared by a good
    check). ``rejected_pages`` keeps, per watch, only the last page the quality guard
    rejected: its extracted text, zstd-compressed, and since when the same text has
    been served in a row (``first_rejected_at``, ``times``).
    """
    db["watches"].add_column("failing_since", str)
    db["watches"].add_column("failure_reason", str)
    # A rewrite's new headline (category "rewrite") is a headline change too.
    db.execute("DROP VIEW IF EXISTS article_stats")
    db.create_view(
        "article_stats",
        """
        SELECT w.id AS watch_id, w.url, w.label, w.state, w.added_at,
               (SELECT COUNT(*) FROM versions v WHERE v.watch_id = w.id) AS versions,
               (SELECT COUNT(*) FROM changes c WHERE c.watch_id = w.id AND c.event = 'edit') AS edits,
               (SELECT MIN(fetched_at) FROM versions v WHERE v.watch_id = w.id) AS first_seen_at,
               w.last_changed_at,
               (SELECT COUNT(*) FROM changes c, json_each(c.diff) e WHERE c.watch_id = w.id
                  AND json_extract(e.value, '$.field') = 'headline'
                  AND json_extract(e.value, '$.category') IN ('headline', 'rewrite')) AS headline_changes,
               (SELECT COUNT(*) FROM changes c, json_each(c.diff) e WHERE c.watch_id = w.id
                  AND json_extract(e.value, '$.category') = 'correction') AS corrections,
               (SELECT COALESCE(SUM(words_added), 0) FROM changes c WHERE c.watch_id = w.id) AS words_added,
               (SELECT COALESCE(SUM(words_removed), 0) FROM changes c WHERE c.watch_id = w.id) AS words_removed,
               w.failure_reason
        FROM watches w
        """,
    )
    # Written as SQL for ON DELETE CASCADE: removing a watch takes its rejected page with it.
    db.execute(
        """
        CREATE TABLE rejected_pages (
            watch_id INTEGER PRIMARY KEY REFERENCES watches(id) ON DELETE CASCADE,
            rejected_at TEXT NOT NULL,      -- the check that last served this text
            first_rejected_at TEXT NOT NULL, -- the first check in a row that served the same text
            times INTEGER NOT NULL,          -- checks in a row that served the same text
            reason TEXT NOT NULL,
            url TEXT,                        -- the URL the page was served from
            http_status INTEGER,
            content_hash TEXT,               -- the text's comparison hash (NULL: nothing extracted)
            codec TEXT NOT NULL,
            text BLOB NOT NULL               -- the extracted text as JSON (headline, byline, body), compressed
        )
        """
    )


def _v11_archive_captures(db: sqlite_utils.Database) -> None:
    """Where each version's page came from, and the HTTP response it came in.

    ``source`` is ``live`` (fetched by editwatch) or ``archive`` (recovered from a web
    archive by ``editwatch backfill``: ``fetched_at`` is then the capture time and
    ``archive_url`` the address the raw capture was replayed from). ``response_status``
    and ``response_headers`` (a JSON list of ``[name, value]`` pairs, as received) are
    what ``export --format warc`` writes around the raw page; NULL for pages stored
    before they were kept.
    """
    db["versions"].add_column("source", str, not_null_default="live")
    db["versions"].add_column("archive_url", str)
    db["versions"].add_column("response_status", int)
    db["versions"].add_column("response_headers", str)


def _v12_handoff(db: sqlite_utils.Database) -> None:
    """The hand-off from the crawler to the monitor: checks the monitor has not yet made changes of.

    ``checks.processed`` is 0 for a snapshot the crawler stored alone (``scrapy crawl``,
    a remote worker) and 1 once the monitor has drawn its changes, queued their alerts and
    scheduled the next check, in the same transaction. Checks stored before are processed.
    """
    db["checks"].add_column("processed", int, not_null_default=1)
    db.execute("CREATE INDEX checks_pending ON checks (id) WHERE processed = 0")


def _v14_render_decisions(db: sqlite_utils.Database) -> None:
    """What the crawler decided, per site, about reading its pages in a browser.

    ``mode`` is ``browser`` when a static page of the site gave no article and the same page
    rendered in a browser did, ``static`` when the browser did no better (so it is not tried
    again). ``watch_id`` is the watch whose check decided it, for its history.
    """
    db.execute(
        """
        CREATE TABLE render_decisions (
            site TEXT PRIMARY KEY,          -- the host, without "www."
            mode TEXT NOT NULL,             -- browser | static
            decided_at TEXT NOT NULL,
            watch_id INTEGER,
            reason TEXT NOT NULL
        )
        """
    )


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
    _v14_render_decisions,
]

LATEST_VERSION = len(MIGRATIONS)
