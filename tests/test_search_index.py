"""The full-text index: built for versions stored before it existed, and kept in sync after."""

from __future__ import annotations

import json

import sqlite_utils

from monitor.research.search import presence_timeline, search_phrase
from storage import NewVersion, Store, schema


def _version(body: list[str], headline: str = "Talks in Moscow") -> dict:
    return {"fetched_at": "2021-03-18T10:00:00.000000+00:00", "content_hash": "h", "headline": headline,
            "byline": json.dumps(["Vladimir Isachenkov"]), "body": json.dumps(body)}  # fmt: skip


def test_upgrading_an_old_database_indexes_the_versions_it_already_has(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    schema.MIGRATIONS[0](old)  # the database as the first release left it
    old.execute("PRAGMA user_version = 1")
    old["watches"].insert({"id": 1, "url": "http://127.0.0.1/a", "added_at": "2021-03-18", "state": "active"})
    old["versions"].insert_all(
        [
            {"watch_id": 1, "number": 1, **_version(["The envoys urged all sides to reduce the violence."])},
            {"watch_id": 1, "number": 2, **_version(["The envoys urged restraint."])},
        ]
    )
    old.conn.commit()
    old.close()

    with Store(path) as store:
        assert store.schema_version() == schema.LATEST_VERSION
        (hit,) = search_phrase(store, "reduce the violence")
        assert (hit.versions, hit.added_in, hit.removed_in, hit.present_now) == ([1], [1], [2], False)


def test_new_versions_are_searchable_at_once(tmp_path):
    with Store(tmp_path / "new.db") as store:
        watch, _ = store.watches.add("http://127.0.0.1/b")
        with store.transaction() as conn:
            store.versions.insert(
                conn, watch.id,
                NewVersion(fetched_at="2021-03-18T10:00:00.000000+00:00", url=None, content_hash="h",
                           headline="Café talks", byline=["Ana Núñez"], published=None, modified=None,
                           body=["First paragraph ends here.", "Second paragraph starts here."],
                           extractor="test"),
            )  # fmt: skip
        # Accents are folded, names in the byline count, a phrase spanning two paragraphs does not.
        assert [h.fields for h in search_phrase(store, "cafe TALKS")] == [["headline"]]
        assert [h.fields for h in search_phrase(store, "ana nunez")] == [["byline"]]
        assert search_phrase(store, "ends here second paragraph") == []


def test_presence_timeline_counts_each_return():
    assert presence_timeline([1, 2, 3, 4, 5, 6], [1, 2, 5]) == ([1, 5], [3, 6])
    assert presence_timeline([1, 2, 3], [2, 3]) == ([2], [])
    assert presence_timeline([1, 2], []) == ([], [])
