"""One article end to end: fetch, normalize, store, diff; chrome-only changes make no version."""

from __future__ import annotations

import json
import subprocess
import sys

from monitor.demo.stories import SEED_HEADLINE
from tests.conftest import ROOT

SLUG = "russia-afghan-peace-conference"


def test_first_check_stores_version_one_with_the_article(workspace, news_site):
    url = news_site.url(SLUG)
    out = workspace.run("add", url, "--label", "ap").stdout
    assert out.startswith(f"1 {url}: added")
    out = workspace.run("check").stdout
    assert out.strip() == f"1 {url}: new version 1"

    shown = json.loads(workspace.run("show", "1", "--json").stdout)
    assert shown["headline"] == SEED_HEADLINE
    assert shown["byline"] == ["Vladimir Isachenkov"]
    assert shown["published"].startswith("2021-03-18")
    assert shown["body"][0].startswith("MOSCOW (AP)")
    page_text = " ".join(shown["body"])
    for chrome in ("Recommended Videos", "º", "Advertisement", "Trending Now", "cookies"):
        assert chrome not in page_text


def test_chrome_only_changes_make_no_new_version(workspace, news_site):
    url = news_site.url(SLUG)
    workspace.run("add", url)
    workspace.run("check")
    for _ in range(3):
        assert workspace.run("check", url).stdout.strip() == f"1 {url}: unchanged"
    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [e["version"] for e in history] == [1]


def test_edit_insert_and_headline_make_one_version_with_a_readable_diff(workspace, news_site):
    url = news_site.url(SLUG)
    workspace.run("add", url)
    workspace.run("check")
    news_site.edit(SLUG, "edit_paragraph", index=2)
    news_site.edit(SLUG, "insert_paragraph", index=2)
    news_site.edit(SLUG, "headline")

    out = workspace.run("check", "1").stdout.strip()
    assert out == f"1 {url}: new version 2: headline changed; paragraph 4 edited; 1 paragraph added"

    diff = json.loads(workspace.run("diff", url, "--format", "json").stdout)
    assert diff["url"] == url and diff["from"] == 1 and diff["to"] == 2
    body = [c for c in diff["changes"] if c["field"] == "body"]
    # One insert plus one edit, not a cascade of shifted paragraphs.
    assert sorted(c["kind"] for c in body) == ["edit", "insert"]
    edit = next(c for c in body if c["kind"] == "edit")
    assert "hopes" in edit["after"] and "hopes" not in edit["before"]  # "wants" softened
    assert any(c["field"] == "headline" and c["kind"] == "edit" for c in diff["changes"])

    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [(e["event"], e["version"]) for e in history] == [("version", 1), ("version", 2)]
    assert set(history[1]) >= {"version", "fetched_at", "content_hash", "headline", "summary"}
    assert "paragraph 4 edited" in history[1]["summary"]

    text = workspace.run("diff", "1").stdout
    assert "[-wants-]{+hopes+}" in text


def test_show_older_version_and_plain_diff_between_any_two(workspace, news_site):
    url = news_site.url(SLUG)
    workspace.run("add", url)
    workspace.run("check")
    news_site.edit(SLUG, "correction")
    workspace.run("check")
    news_site.edit(SLUG, "delete_paragraph", index=0)
    workspace.run("check")
    first = json.loads(workspace.run("show", "1", "--version", "1", "--json").stdout)
    assert first["version"] == 1 and first["body"][0].startswith("MOSCOW (AP)")
    diff = json.loads(workspace.run("diff", "1", "--from", "1", "--to", "3", "--format", "json").stdout)
    kinds = sorted((c["kind"], c.get("category")) for c in diff["changes"] if c["field"] == "body")
    assert kinds == [("delete", "deletion"), ("insert", "correction")]


def test_scrapy_crawl_from_the_repository_root_stores_the_check(workspace, news_site):
    url = news_site.url(SLUG)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "article",
            "-a",
            f"url={url}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            f"EDITWATCH_DB={workspace.db}",
            "-s",
            "LOG_LEVEL=INFO",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"1 {url}: new version 1" in proc.stderr
    listed = json.loads(workspace.run("list", "--json").stdout)
    assert listed[0]["url"] == url and listed[0]["versions"] == 1
