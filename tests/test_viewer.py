"""The web viewer over HTTP: pages, Atom feeds, escaping, read-only behaviour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tests.edited_story import EXPECTED, HOSTILE, REMOVED_PARAGRAPH, REMOVED_PHRASE

ATOM = "{http://www.w3.org/2005/Atom}"


def _no_live_markup_from_the_article(page: str) -> None:
    """None of the hostile paragraph's markup survives as markup."""
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "onerror=" not in page.replace("onerror=&#34;", "")
    assert 'href="javascript' not in page.lower()


def test_index_lists_articles_latest_change_first(viewer):
    status, headers, page = viewer.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    first, second = page.index("Taliban resist ceasefire call"), page.index("(7)")
    assert first < second  # the edited story changed last; the other never changed
    assert "published date changed; 1 paragraph added" in page
    assert '<a href="/watch/1/diff?from=4&amp;to=5">' in page
    status, headers, css = viewer.get("/static/style.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
    assert headers["Cache-Control"] == "max-age=3600" and "ins {" in css


def test_article_timeline_lists_every_version_and_links_its_diff(viewer):
    status, _, page = viewer.get("/watch/1")
    assert status == 200
    for version in range(2, 6):
        assert f'href="/watch/1/diff?from={version - 1}&amp;to={version}"' in page
    assert "1 paragraph moved; correction appended" in page
    assert '<select name="from">' in page and 'href="/watch/1/feed.atom"' in page


def test_diff_page_marks_insertions_and_deletions_inline_and_side_by_side(viewer):
    status, _, page = viewer.get("/watch/1/diff?from=1&to=3")
    assert status == 200
    assert "<del>wants</del><ins>hopes</ins>" in page
    assert f"<del>{REMOVED_PARAGRAPH}</del>" in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;" in page
    _no_live_markup_from_the_article(page)
    status, _, side = viewer.get("/watch/1/diff?from=1&to=3&view=side")
    assert status == 200 and 'class="body side-by-side"' in side
    old_column, new_column = side.split('<div class="old">'), side.split('<div class="new">')
    assert any("<del>wants</del>" in part.split("</div>")[0] for part in old_column)
    assert any("<ins>hopes</ins>" in part.split("</div>")[0] for part in new_column)


def test_every_page_shows_the_hostile_paragraph_as_text(viewer):
    for path in ("/watch/1/version/2", "/watch/1/diff?from=1&to=2", "/search?q=onerror+window", "/watch/1"):
        status, _, page = viewer.get(path)
        assert status == 200, path
        _no_live_markup_from_the_article(page)
    _, _, version = viewer.get("/watch/1/version/2")
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;a link&lt;/a&gt;" in version


def test_search_page_says_where_a_phrase_came_and_went(viewer):
    status, _, page = viewer.get("/search?q=" + REMOVED_PHRASE.replace(" ", "+"))
    assert status == 200
    assert "In versions 1, 2, 5." in page
    assert 'removed in <a href="/watch/1/diff?from=2&amp;to=3">v3</a>' in page
    assert "<mark>reduce the level of violence</mark>" in page


def test_atom_feeds_list_each_change_with_its_categories(viewer):
    status, headers, body = viewer.get("/feed.atom")
    assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(body)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    by_link = {}
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        to_version = int(re.search(r"to=(\d+)", link).group(1))
        by_link[to_version] = entry
        terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
        assert terms == {category for _, _, category in EXPECTED[to_version]}, to_version
        assert entry.find(f"{ATOM}id").text.startswith("tag:editwatch,")
    # The content is HTML carried as text: the hostile paragraph is escaped inside it.
    content = by_link[2].find(f"{ATOM}content").text
    assert "<ins>" in content and "&lt;script&gt;" in content and "<script" not in content
    assert "<del>wants</del>" in content
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/feed.atom")
    status, _, one = viewer.get("/watch/2/feed.atom")
    assert status == 200 and ET.fromstring(one).findall(f"{ATOM}entry") == []
    assert len(ET.fromstring(viewer.get("/watch/1/feed.atom")[2]).findall(f"{ATOM}entry")) == 4


def test_bad_requests_get_a_page_not_a_traceback(viewer):
    assert viewer.get("/watch/99")[0] == 404
    assert viewer.get("/watch/1/version/42")[0] == 404
    status, _, page = viewer.get("/watch/1/diff?from=abc")
    assert status == 400 and "from must be a positive whole number" in page
    assert viewer.get("/watch/1/diff?view=%3Cscript%3E")[2].count("<script") == 0
    assert viewer.get("/nowhere")[0] == 404


def test_the_viewer_is_read_only_and_answers_only_to_loopback_names(viewer):
    status, headers, _ = viewer.get("/", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    # A page reached through another name (DNS rebinding) is refused.
    assert viewer.get("/", headers={"Host": "attacker.example"})[0] == 400
    assert viewer.get("/", headers={"Host": "localhost:8080"})[0] == 200


def test_hostile_text_in_html_export_and_atom_is_inert_too(history_workspace):
    page = history_workspace.run("diff", "1", "--from", "1", "--to", "2", "--format", "html").stdout
    _no_live_markup_from_the_article(page)
    assert HOSTILE not in page


def test_a_reader_never_blocks_the_writer_and_cannot_write(history_workspace):
    from storage import Store

    with Store(history_workspace.db, read_only=True) as reader, Store(history_workspace.db) as writer:
        rows = reader.conn.execute("SELECT id FROM versions")  # a read left open mid-way
        rows.fetchone()
        watch, created = writer.watches.add("http://127.0.0.1:9/new-story")
        assert created and writer.watches.get(watch.id).url.endswith("/new-story")
        try:
            reader.watches.add("http://127.0.0.1:9/other")
        except Exception as exc:  # SQLite refuses: the connection is query-only
            assert "readonly" in str(exc) or "read-only" in str(exc)
        else:
            raise AssertionError("a read-only store wrote")


def test_serve_reports_a_missing_database_and_a_busy_port_in_one_line(workspace):
    import socket

    proc = workspace.run("--db", str(workspace.path / "nothing.db"), "serve", "--port", "0", check_exit=1)
    assert proc.stderr.strip() == f"editwatch: error: no database at {workspace.path / 'nothing.db'}"
    workspace.run("check")  # creates the database (read-only commands do not)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = workspace.run("serve", "--port", str(port), check_exit=1)
    assert proc.stderr.startswith(f"editwatch: error: cannot listen on 127.0.0.1:{port}")
    assert len(proc.stderr.strip().splitlines()) == 1
