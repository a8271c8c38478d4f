"""history, diff, search and export on a database filled by real checks of an edited story."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from tests.edited_story import EXPECTED, HOSTILE, REMOVED_PARAGRAPH, REMOVED_PHRASE


def _kinds(changes: list[dict]) -> set[tuple[str, str, str]]:
    return {(c["field"], c["kind"], c["category"]) for c in changes}


def test_history_json_lists_every_version_with_the_fields_and_categories_of_its_edits(history_workspace):
    entries = json.loads(history_workspace.run("history", "1", "--json").stdout)
    assert [(e["event"], e["version"]) for e in entries] == [("version", n) for n in range(1, 6)]
    assert entries[0]["summary"] == "first version" and entries[0]["categories"] == []
    for entry in entries[1:]:
        expected = EXPECTED[entry["version"]]
        assert set(entry["categories"]) == {category for _, _, category in expected}, entry
        assert set(entry["fields"]) == {name for name, _, _ in expected}, entry
    assert entries[2]["summary"] == "byline changed; 1 paragraph removed"
    assert entries[3]["summary"] == "1 paragraph moved; correction appended"
    assert entries[2]["words_removed"] == len(REMOVED_PARAGRAPH.split())


def test_diff_json_of_each_version_matches_the_edits_made(history_workspace):
    for version, expected in EXPECTED.items():
        diff = json.loads(history_workspace.run("diff", "1", "--to", str(version), "--format", "json").stdout)
        assert (diff["from"], diff["to"]) == (version - 1, version)
        assert _kinds(diff["changes"]) == expected, (version, diff["changes"])
        for change in diff["changes"]:
            assert {"field", "kind", "before", "after"} <= set(change) | {"before", "after"}
            assert change["kind"] in ("edit", "insert", "delete")
    moved = json.loads(history_workspace.run("diff", "1", "--to", "4", "--format", "json").stdout)
    (move,) = [c for c in moved["changes"] if c["category"] == "move"]
    assert (move["old_index"], move["new_index"]) == (1, 8)
    edited = json.loads(history_workspace.run("diff", "1", "--to", "2", "--format", "json").stdout)
    (edit,) = [c for c in edited["changes"] if c["category"] == "edit"]
    assert [op for op in edit["words"] if op[0] != "equal"] == [["delete", "wants"], ["insert", "hopes"]]
    assert edit["sentences"][0]["kind"] == "edit"


def test_diff_between_any_two_versions_and_its_plain_marks(history_workspace):
    diff = json.loads(
        history_workspace.run("diff", "1", "--from", "1", "--to", "5", "--format", "json").stdout
    )
    # The paragraph removed in 3 and restored in 5 is no change between 1 and 5.
    assert REMOVED_PARAGRAPH not in json.dumps(diff["changes"], ensure_ascii=False)
    assert {"headline", "byline", "move", "correction", "addition", "edit"} <= {
        c["category"] for c in diff["changes"]
    }
    text = history_workspace.run("diff", "1", "--from", "2", "--to", "3").stdout
    assert f"[-{REMOVED_PARAGRAPH}-]" in text
    assert "{+, Nataliya Vasilyeva" in text
    side = history_workspace.run("diff", "1", "--from", "1", "--to", "2", "--side-by-side").stdout
    assert "[-wants-]" in side and "{+hopes+}" in side
    assert side.index("[-wants-]") < side.index("{+hopes+}")


def test_history_table_shows_versions_summaries_and_word_counts(history_workspace):
    out = history_workspace.run("history", "1").stdout
    assert "version" in out and "words +/−" in out
    assert "correction appended" in out and "+22 −0" in out


def test_diff_rejects_versions_that_do_not_exist(history_workspace):
    proc = history_workspace.run("diff", "1", "--to", "9", check_exit=2)
    assert proc.stderr.strip() == "editwatch: error: watch 1 has versions 1 to 5, not 9"
    proc = history_workspace.run("diff", "1", "--format", "json", "--side-by-side", check_exit=2)
    assert proc.stderr.strip() == "editwatch: error: --side-by-side applies to text and html output, not json"


def test_html_export_is_a_standalone_page_with_every_text_escaped(history_workspace):
    out = history_workspace.path / "diff.html"
    history_workspace.run("diff", "1", "--from", "1", "--to", "3", "--format", "html", "-o", str(out))
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<style>" in page and 'rel="stylesheet"' not in page
    assert "<script" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;" in page
    assert "<ins>hopes</ins>" in page and "<del>wants</del>" in page
    assert f"<del>{REMOVED_PARAGRAPH}</del>" in page
    side = history_workspace.run("diff", "1", "--format", "html", "--side-by-side").stdout
    assert 'class="body side-by-side"' in side and "<ins>" in side


def test_search_finds_a_phrase_removed_in_version_3_and_says_so(history_workspace):
    found = json.loads(history_workspace.run("search", REMOVED_PHRASE, "--json").stdout)
    assert len(found) == 1
    (hit,) = found
    assert hit["watch_id"] == 1 and hit["url"].endswith("/russia-afghan-peace-conference")
    assert hit["versions"] == [1, 2, 5]
    assert hit["added_in"] == [1, 5] and hit["removed_in"] == [3]
    assert hit["fields"] == ["body"] and hit["passage"] == REMOVED_PARAGRAPH
    # Case, punctuation and accents do not matter; words spanning two paragraphs do not match.
    assert (
        json.loads(history_workspace.run("search", "REDUCE the LEVEL, of violence", "--json").stdout) == found
    )
    assert json.loads(history_workspace.run("search", "in the country another round", "--json").stdout) == []
    # Text that was added and is still there.
    hostile = json.loads(history_workspace.run("search", "onerror window pwned", "--json").stdout)
    assert [(h["added_in"], h["removed_in"], h["present_now"]) for h in hostile] == [([2], [], True)]
    text = history_workspace.run("search", REMOVED_PHRASE).stdout
    assert "1, 2, 5" in text and "3" in text


def test_search_reports_nothing_found_and_refuses_a_phrase_without_words(history_workspace):
    assert "no stored version contains" in history_workspace.run("search", "zebra crossing").stdout
    proc = history_workspace.run("search", '" :: "', check_exit=2)
    assert proc.stderr.strip() == "editwatch: error: search needs at least one word"


def test_search_forgets_a_removed_watch(history_workspace):
    # The full-text index follows deletions (triggers), so no result points at a deleted version.
    assert "removed (5 versions deleted)" in history_workspace.run("remove", "1").stdout
    assert json.loads(history_workspace.run("search", REMOVED_PHRASE, "--json").stdout) == []


def test_export_edits_jsonl_and_csv_carry_every_change(history_workspace):
    lines = history_workspace.run("export").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    for version, expected in EXPECTED.items():
        got = {(r["field"], r["kind"], r["category"]) for r in records if r["to_version"] == version}
        assert got == expected, version
    assert all(r["watch_id"] == 1 for r in records)  # the other story never changed
    table = list(csv.DictReader(io.StringIO(history_workspace.run("export", "--format", "csv").stdout)))
    assert len(table) == len(records)
    deleted = next(r for r in table if r["category"] == "deletion")
    assert deleted["before"] == REMOVED_PARAGRAPH and deleted["old_paragraph"] == "7"


def test_export_versions_and_changes(history_workspace, edited_history):
    versions = [
        json.loads(x) for x in history_workspace.run("export", "--what", "versions").stdout.splitlines()
    ]
    assert [(v["watch_id"], v["version"]) for v in versions] == [(1, n) for n in range(1, 6)] + [(2, 1)]
    assert HOSTILE in versions[1]["body"]
    out = history_workspace.path / "changes.csv"
    proc = history_workspace.run(
        "export", edited_history.url, "--what", "changes", "--format", "csv", "-o", str(out)
    )
    assert "wrote 4 changes records" in proc.stderr
    rows = list(csv.DictReader(out.open()))
    assert [r["to_version"] for r in rows] == ["2", "3", "4", "5"]
    assert rows[2]["categories"] == "move; correction"


def test_datasette_views_read_the_history_without_editwatch(history_workspace):
    # What a researcher sees with `sqlite3 editwatch.db` or `datasette editwatch.db`.
    conn = sqlite3.connect(history_workspace.db)
    latest = conn.execute(
        "SELECT watch_id, version, paragraphs, body_text FROM latest_versions ORDER BY watch_id"
    ).fetchall()
    assert [(w, v) for w, v, _, _ in latest] == [(1, 5), (2, 1)]
    assert REMOVED_PARAGRAPH in latest[0][3] and latest[0][3].count("\n\n") == latest[0][2] - 1
    log = conn.execute("SELECT to_version, summary, headline FROM change_log").fetchall()
    assert [r[0] for r in log] == [5, 4, 3, 2] and log[0][2].startswith("Taliban resist ceasefire call")
    edits = conn.execute(
        "SELECT to_version, field, kind, category, paragraph FROM edit_log ORDER BY change_id"
    ).fetchall()
    assert {(f, k, c) for v, f, k, c, _ in edits if v == 3} == EXPECTED[3]
    stats = conn.execute(
        "SELECT versions, edits, headline_changes, corrections FROM article_stats WHERE watch_id = 1"
    ).fetchone()
    assert stats == (5, 4, 1, 1)
    hits = conn.execute(
        "SELECT version FROM version_texts JOIN versions_fts ON versions_fts.rowid = version_texts.version_id"
        " WHERE versions_fts MATCH ? ORDER BY version",
        (f'"{REMOVED_PHRASE}"',),
    ).fetchall()
    assert hits == [(1,), (2,), (5,)]
    conn.close()
