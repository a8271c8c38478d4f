"""Every command of ``editwatch --help``, given bad input or a broken environment: one clear line,
a non-zero exit, no traceback, and the database unchanged.

The sweep runs its command lines in one process (tests/cli_sweep.py), each on its own copy of
a small database, and compares every copy with the original afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage import NewVersion, Store, clock
from storage.errors import StorageError
from tests.conftest import ROOT, TEST_CONFIG

URL = "https://news.example/2026/03/18/council-votes"
FEED = "https://news.example/feed.xml"

# One command line per command and subcommand, each well formed: the environment is what fails.
EVERY_COMMAND = [
    ["add", URL],
    ["import", "urls.txt"],
    ["list"],
    ["remove", "1"],
    ["check", "1"],
    ["history", "1"],
    ["show", "1"],
    ["diff", "1"],
    ["search", "council"],
    ["export"],
    ["backfill", "1"],
    ["serve", "--port", "0"],
    ["run"],
    ["status"],
    ["sources", "add", FEED],
    ["sources", "list"],
    ["sources", "show", "1"],
    ["sources", "remove", "1"],
    ["sources", "check", "1"],
    ["alerts", "add", "stdout"],
    ["alerts", "list"],
    ["alerts", "remove", "1"],
    ["alerts", "test", "1"],
    ["alerts", "dispatch", "-q"],
    ["alerts", "log"],
    ["alerts", "retry", "1"],
]
# Commands without the database: only the configuration can be broken for them.
WITHOUT_DATABASE = [
    ["extract", "page.html"],
    ["demo", "--every", "1s"],
    ["worker", "--redis", "redis://127.0.0.1:1/0"],
]

# Bad arguments on a sound database: (command line, exit status, words the message must hold).
BAD_ARGUMENTS = [
    (["add", "ftp://news.example/story"], 2, "only http and https"),
    (["add", "news.example/story"], 2, "no scheme"),
    (["add", "http://exa mple.com/"], 2, "whitespace"),
    (["add", "gopher://news.example/1"], 2, "only http and https"),
    (["add", URL, "--every", "0s"], 2, "invalid duration"),
    (["add", "http://exa%mple.com/story"], 2, "not a host name"),
    (["add", "http://news.example:0/story"], 2, "port 0"),
    (["add", "http://news.example/a\x01b"], 2, "control characters"),
    (["remove", "http://news.example/unknown"], 2, "no watch"),
    (["check", "42"], 2, "no watch"),
    (["check", "data:text/html,hi"], 2, "no watch"),
    (["show", "1", "--version", "9"], 2, "version 9"),
    (["show", "1", "--version", "0"], 2, "0 is not in the range"),
    (["show", "1", "--version", "99999999999999999999"], 2, "not in the range"),
    (["diff", "1", "--from", "9"], 2, "versions 1 to 2, not 9"),
    (["diff", "1", "--to", "0"], 2, "0 is not in the range"),
    (["diff", "1", "--from", "0"], 2, "0 is not in the range"),
    (["diff", "1", "--format", "pdf"], 2, "pdf"),
    (["history", "not-a-watch"], 2, "no watch"),
    (["list", "--state", "sleeping"], 2, "sleeping"),
    (["export", "42"], 2, "no watch"),
    (["export", "--what", "everything"], 2, "everything"),
    (["export", "--format", "xml"], 2, "xml"),
    (["export", "--format", "warc", "--what", "edits"], 2, "does not apply"),
    (["backfill", "42"], 2, "no watch"),
    (["backfill", "1", "--from", "someday"], 2, "--from someday"),
    (["backfill", "1", "--limit", "0"], 2, "0 is not in the range"),
    (["backfill", "1", "--archive", "ftp://archive.example/cdx"], 2, "not an http(s) address"),
    (["serve", "--port", "99999"], 2, "99999"),
    (["serve", "--host", "256.1.1.1", "--port", "0"], 1, "cannot listen on 256.1.1.1"),
    (["sources", "add", "ftp://news.example/feed"], 2, "only http and https"),
    (["sources", "add", FEED, "--every", "often"], 2, "invalid duration"),
    (["sources", "show", "42"], 2, "no source"),
    (["sources", "remove", "42"], 2, "no source"),
    (["sources", "check", "42"], 2, "no source"),
    (["alerts", "add", "not a channel"], 2, "channel"),
    (["alerts", "add", "ftp://hooks.example/x"], 2, "channel"),
    (["alerts", "add", "stdout", "--on", "everything"], 2, "everything"),
    (["alerts", "add", "stdout", "--watch", "42"], 2, "no watch"),
    (["alerts", "add", "stdout", "--min-words", "-1"], 2, "min-words"),
    (["alerts", "add", "stdout", "--digest", "soon"], 2, "invalid duration"),
    (["alerts", "remove", "42"], 2, "no alert rule with ID 42"),
    (["alerts", "test", "42"], 2, "no alert rule with ID 42"),
    (["alerts", "retry", "42"], 2, "no alert rule with ID 42"),
    (["alerts", "log", "--rule", "42"], 2, "no alert rule with ID 42"),
    (["alerts", "log", "-n", "0"], 2, "0 is not in the range"),
    (["alerts", "remove", "99999999999999999999"], 2, "not in the range"),
    (["extract", "no-such-file.html"], 1, "no such file"),
    (["extract", "ftp://news.example/story"], 1, "only http and https"),
    (["demo", "--every", "soon"], 2, "invalid duration"),
    (["demo", "--port", "70000"], 2, "70000"),
    (["frobnicate"], 2, "No such command"),
]

BROKEN_CONFIGS = [
    ("[fetch]\ndelay_seconds = 0\nper_domain = 'many'\n", "fetch.per_domain", 3),
    ("[fetch]\ndelay_seconds = 0\ntimeout_seconds = \n", "editwatch.toml", 3),
    ("[alerts]\npoll_seconds = '5s'\ntimeout = 'soon'\n", "alerts.timeout", 3),
    ("[schedule]\n\nfailing_after = 0\n", "schedule.failing_after", 3),
    ('[sites."news.example"]\nheadline = "h1"\nbody = "div["\n', "body", 3),
]


def _sound_database(path: Path) -> None:
    """A database with a watch and its two versions, a source and an alert rule."""
    with Store(path) as store:
        watch, _ = store.watches.add(URL)
        for number, headline in ((1, "Council votes on the budget"), (2, "Council approves the budget")):
            with store.transaction() as conn:
                store.versions.insert(conn, watch.id, NewVersion(
                    fetched_at=clock.now_text(), url=URL, content_hash=f"h{number}", headline=headline,
                    byline=["Maria Okafor"], published=None, modified=None,
                    body=["The council met on Tuesday.", f"It voted {number} times."], extractor="test",
                ))  # fmt: skip
        store.sources.add(FEED, interval_seconds=600)
        store.alerts.add_rule("https://hooks.example/editwatch?token=s3cret", "webhook", ["edit"])


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sound_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sound") / "editwatch.db"
    _sound_database(path)
    return path


def _sweep(tmp: Path, cases: list[dict], timeout: float = 120) -> list[dict]:
    """Run the cases in one process; each case may name a ``db`` file and a ``config`` text."""
    prepared = []
    for n, case in enumerate(cases):
        home = tmp / f"case{n}"
        home.mkdir()
        (home / "urls.txt").write_text(URL + "\n")
        (home / "page.html").write_text("<html><body><h1>Hello</h1><p>A page.</p></body></html>")
        config = home / "editwatch.toml"
        config.write_text(case.get("config", TEST_CONFIG))
        env = {"EDITWATCH_CONFIG": str(config), "NO_COLOR": "1"}
        if case.get("db"):
            db = home / "editwatch.db"
            shutil.copy(case["db"], db)
            env["EDITWATCH_DB"] = str(db)
        elif case.get("db_in_place"):
            env["EDITWATCH_DB"] = case["db_in_place"]
        prepared.append({"args": case["args"], "env": env, "cwd": str(home), "input": case.get("input")})
    proc = subprocess.run(
        [sys.executable, "-m", "tests.cli_sweep"],
        input=json.dumps(prepared),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    for case, result in zip(prepared, results, strict=True):
        result["home"] = Path(case["cwd"])
    return results


def _one_line_error(result: dict, status: int) -> str:
    shown = f"{result['home'].name}: {result}"
    assert result["crash"] is None, shown
    assert result["exit"] == status, shown
    assert "Traceback" not in result["stderr"], shown
    lines = [line for line in result["stderr"].splitlines() if line.strip()]
    errors = [line for line in lines if not line.startswith(("Usage:", "Try "))]
    assert len(errors) == 1, shown
    return errors[0]


def test_bad_arguments_to_every_command_are_one_line_usage_errors(tmp_path, sound_db):
    results = _sweep(tmp_path, [{"args": args, "db": sound_db} for args, _, _ in BAD_ARGUMENTS])
    before = _dump(sound_db)
    for (args, status, words), result in zip(BAD_ARGUMENTS, results, strict=True):
        line = _one_line_error(result, status)
        assert words.lower() in line.lower(), (args, line)
        assert _dump(result["home"] / "editwatch.db") == before, args


@pytest.mark.parametrize("kind", ["not_sqlite", "newer_schema", "empty_file"])
def test_every_command_refuses_a_foreign_or_newer_database_and_leaves_it_alone(tmp_path, sound_db, kind):
    db = tmp_path / f"{kind}.db"
    if kind == "not_sqlite":
        db.write_bytes(b"SQLite format 2\x00 but really a text file\n" * 40)
        words = "not an editwatch database"
    elif kind == "empty_file":
        db.write_bytes(b"\x00" * 4096)
        words = "not an editwatch database"
    else:
        shutil.copy(sound_db, db)
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
        conn.close()
        words = "newer editwatch"
    original = db.read_bytes()
    results = _sweep(tmp_path, [{"args": args, "db": db} for args in EVERY_COMMAND])
    for args, result in zip(EVERY_COMMAND, results, strict=True):
        line = _one_line_error(result, 1)
        assert words in line, (args, line)
        assert (result["home"] / "editwatch.db").read_bytes() == original, args


@pytest.mark.parametrize("text, words, line", BROKEN_CONFIGS)
def test_every_command_names_the_line_of_a_broken_config(tmp_path, sound_db, text, words, line):
    commands = [*EVERY_COMMAND, *WITHOUT_DATABASE]
    results = _sweep(tmp_path, [{"args": args, "db": sound_db, "config": text} for args in commands])
    before = _dump(sound_db)
    for args, result in zip(commands, results, strict=True):
        error = _one_line_error(result, 1)
        assert words in error and f"line {line}" in error and "editwatch.toml" in error, (args, error)
        assert _dump(result["home"] / "editwatch.db") == before, args


# Commands that write, each given work that needs a write.
WRITING = [
    ["add", "https://news.example/another-story"],
    ["import", "-"],
    ["remove", "1"],
    ["check", "1"],
    ["run"],
    ["sources", "add", "https://news.example/other-feed.xml"],
    ["sources", "remove", "1"],
    ["sources", "check", "1"],
    ["alerts", "add", "stdout"],
    ["alerts", "remove", "1"],
]


@pytest.fixture
def full_disk(tmp_path):
    """A 4 MB tmpfs (root can mount one), filled up by the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        pytest.skip(
            "cannot mount a tmpfs here (needs root); test_a_full_database_refuses_writes covers storage"
        )
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(directory: Path) -> None:
    """Write to the disk until not one more block fits."""
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


def test_every_writing_command_on_a_full_disk_says_so_and_changes_nothing(tmp_path, sound_db, full_disk):
    db = full_disk / "editwatch.db"
    shutil.copy(sound_db, db)
    # The daemon or a reader usually has the database open: its -wal and -shm files exist.
    reader = sqlite3.connect(db)
    reader.execute("PRAGMA journal_mode = WAL")
    reader.execute("SELECT COUNT(*) FROM watches").fetchone()
    before = _dump(db)
    _fill(full_disk)
    cases = [
        {"args": args, "db_in_place": str(db), "input": "https://news.example/new\n"} for args in WRITING
    ]
    results = _sweep(tmp_path, cases)
    for args, result in zip(WRITING, results, strict=True):
        line = _one_line_error(result, 1)
        assert "disk is full" in line and "nothing was changed" in line, (args, line)
    (full_disk / "filler").unlink()
    assert _dump(db) == before
    reader.close()
    with Store(db) as store:
        assert store.integrity_check() == "ok"


def test_a_full_database_refuses_writes_and_keeps_what_it_had(sound_db, tmp_path):
    """SQLite's own limit on the file's pages, where no tmpfs can be mounted: the same error path."""
    db = tmp_path / "editwatch.db"
    shutil.copy(sound_db, db)
    before = _dump(db)
    with Store(db) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StorageError, match="the disk is full"):
            for n in range(200):
                store.watches.add(f"https://news.example/story-{n}?padding={'x' * 2000}")
        with pytest.raises(StorageError, match="the disk is full"):
            store.alerts.add_rule("stdout" + " " * 4000, "stdout", ["edit"] * 500)
    assert _dump(db)[: len(before)] == before  # what was there is intact
    with Store(db) as store:
        assert store.integrity_check() == "ok"
