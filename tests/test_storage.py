"""The SQLite store: WAL, BEGIN IMMEDIATE, schema versions, one transaction per check."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from storage import CheckResult, NewChange, NewVersion, StorageError, Store, clock
from storage.schema import LATEST_VERSION


def _version(body: list[str], page: bytes | None = b"<html>page</html>") -> NewVersion:
    return NewVersion(
        fetched_at=clock.now_text(),
        url="https://example.com/a",
        content_hash=str(hash(tuple(body))),
        headline="Headline",
        byline=["A. Writer"],
        published="2021-03-18",
        modified=None,
        body=body,
        extractor="test",
        raw_page=page,
    )


def test_new_database_is_wal_at_the_latest_schema(tmp_path):
    with Store(tmp_path / "e.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.schema_version() == LATEST_VERSION
        tables = {
            r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")
        }
        assert {
            "watches",
            "checks",
            "versions",
            "changes",
            "pages",
            "latest_versions",
            "change_log",
        } <= tables


def test_a_check_with_version_and_change_is_recorded_atomically(tmp_path):
    with Store(tmp_path / "e.db") as store:
        watch, created = store.watches.add("https://example.com/a")
        assert created
        store.checks.record(
            CheckResult(watch.id, clock.now_text(), "new_version", 200, new_version=_version(["one"]))
        )
        recorded = store.checks.record(
            CheckResult(
                watch.id,
                clock.now_text(),
                "new_version",
                200,
                new_version=_version(["one", "two"]),
                changes=[NewChange(event="edit", summary="1 paragraph added", from_version=1)],
            )
        )
        assert recorded.version.number == 2
        change = store.changes.for_watch(watch.id)[0]
        assert (change.from_version, change.to_version) == (1, 2)
        # The same raw page is stored once.
        assert store.conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 1
        assert store.versions.raw_page(recorded.version) == b"<html>page</html>"

        def failing_hook(*args):
            raise RuntimeError("boom")

        store.checks.change_hooks.append(failing_hook)
        with pytest.raises(RuntimeError):
            store.checks.record(
                CheckResult(
                    watch.id,
                    clock.now_text(),
                    "new_version",
                    200,
                    new_version=_version(["three"]),
                    changes=[NewChange(event="edit", summary="edited", from_version=2)],
                )
            )
        # Nothing of the failed check was stored.
        assert store.versions.count(watch.id) == 2
        assert len(store.changes.for_watch(watch.id)) == 1
        assert store.conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 2


def _writer(path: str, worker: int, rounds: int) -> None:
    store = Store(path)
    watch, _ = store.watches.add(f"https://example.com/{worker}")
    for n in range(rounds):
        store.checks.record(
            CheckResult(
                watch.id, clock.now_text(), "new_version", 200, new_version=_version([f"{worker}-{n}"], None)
            )
        )
    store.close()


def test_concurrent_writers_in_separate_processes_never_see_database_is_locked(tmp_path):
    path = str(tmp_path / "e.db")
    Store(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, w, 40)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    with Store(path) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 160
        assert store.integrity_check() == "ok"


def test_remove_deletes_the_watch_and_its_history(tmp_path):
    with Store(tmp_path / "e.db") as store:
        watch, _ = store.watches.add("https://example.com/a")
        store.checks.record(
            CheckResult(watch.id, clock.now_text(), "new_version", 200, new_version=_version(["x"]))
        )
        counts = store.watches.remove(watch.id)
        assert counts["versions"] == 1 and counts["checks"] == 1
        assert store.conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 0


def test_leases_keep_a_watch_from_being_fetched_twice(tmp_path):
    with Store(tmp_path / "e.db") as store:
        for n in range(5):
            store.watches.add(f"https://example.com/{n}")
        first = store.watches.lease_due(limit=3, lease_seconds=60)
        second = store.watches.lease_due(limit=10, lease_seconds=60)
        assert len(first) == 3 and len(second) == 2
        assert not {w.id for w in first} & {w.id for w in second}
        assert store.watches.lease([w.id for w in first], lease_seconds=60) == []


def test_not_a_database_and_newer_schema_are_clear_errors(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(StorageError, match="not an editwatch database"):
        Store(junk)
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer editwatch"):
        Store(newer)


def test_robots_txt_is_stored_per_site_and_capped_at_a_line_end(tmp_path):
    line = b"Disallow: /" + b"x" * 88 + b"\n"  # 100 bytes
    huge = line * 6000  # 600 KB: more than anyone reads
    with Store(tmp_path / "e.db") as store:
        assert store.robots_txt.get("https://example.com") is None
        store.robots_txt.put("https://example.com", 200, huge)
        store.robots_txt.put("http://example.com", 404, b"")
        kept = store.robots_txt.get("https://example.com")
        assert kept.status == 200 and kept.body == line * (512 * 1024 // 100)
        assert 0 <= kept.age_seconds() < 60
        assert (
            store.robots_txt.get("http://example.com").status,
            store.robots_txt.get("http://example.com").body,
        ) == (404, b"")
