"""Paragraphs split, merged or re-divided read as what they are: in text, JSON, HTML and alerts."""

from __future__ import annotations

import json

from rich.console import Console

from monitor.alerts.events import build_event
from monitor.alerts.messages import render_event
from monitor.alerts.settings import AlertSettings
from monitor.demo.site import NewsSite
from monitor.demo.stories import SEED_PARAGRAPHS
from monitor.diffing.engine import diff_articles
from monitor.diffing.html import changes_html
from monitor.diffing.terminal import print_diff, print_side_by_side
from monitor.diffing.view import body_rows, fold_unchanged
from monitor.web.templating import environment
from storage import Change, Watch

FIRST = "Lavrov opened the talks, saying that Moscow wants to help create conditions for negotiations."
SECOND = "He said the Taliban should not launch a spring offensive, and urged both sides to keep talking."
OTHER = "The U.S. peace envoy, Zalmay Khalilzad, attended the meeting as Washington reviews its deal."
JOINED = [f"{FIRST} {SECOND}", OTHER]
SPLIT = [FIRST, SECOND.replace("keep talking", "stay at the table"), OTHER]
_DIFF_BLOCK = '{% from "_diff.html" import diff_block %}{{ diff_block(fields, groups, view) }}'


def _plain(changes, old=None, new=None, side=False) -> str:
    console = Console(no_color=True, width=400, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    if side:
        print_side_by_side(console, diff_articles({"body": old}, {"body": new}), old, new, "diff")
    else:
        print_diff(console, changes, "diff")
    return console.export_text()


def test_a_split_reads_as_a_split_in_the_terminal_with_only_the_reworded_phrase_marked():
    diff = diff_articles({"body": JOINED}, {"body": SPLIT})
    assert [c.category for c in diff.changes] == ["split"]
    text = _plain(diff.changes)
    assert "¶1 split into ¶1–2 and edited: " + FIRST in text
    assert "[-keep talking.-]{+stay at the table.+}" in text
    # Nothing else is marked: the moved sentence is not shown as removed and added again.
    assert text.count("[-") == 1 and text.count("{+") == 1
    assert "He said the Taliban should not launch a spring offensive" in text.split(FIRST)[1]
    side = _plain(None, JOINED, SPLIT, side=True)
    assert side.count("[-") == 1 and side.count("{+") == 1 and "split into" in side


def test_a_pure_merge_marks_nothing_anywhere():
    diff = diff_articles({"body": [FIRST, SECOND, OTHER]}, {"body": JOINED})
    assert diff.summary == "paragraphs 1-2 merged"
    text = _plain(diff.changes)
    assert "¶1–2 merged into ¶1: " in text and "[-" not in text and "{+" not in text
    html = str(changes_html(diff.changes))
    assert 'class="change merge"' in html and "<del>" not in html and "<ins>" not in html


def test_the_diff_page_shows_each_new_paragraph_of_a_split_once_with_the_phrase_marked():
    diff = diff_articles({"body": JOINED}, {"body": SPLIT})
    for view in ("inline", "side"):
        rows = body_rows(JOINED, SPLIT, diff)
        html = (
            environment().from_string(_DIFF_BLOCK).render(fields=[], groups=fold_unchanged(rows), view=view)
        )
        assert '<span class="tag split">¶1 split into ¶1–2 and edited</span>' in html
        assert html.count("<del>") == 1 and html.count("<ins>") == 1, view
        assert "<del>keep talking.</del>" in html and "<ins>stay at the table.</ins>" in html
        # Each paragraph's text appears once per side: not removed in one place and added in another.
        assert html.count("He said the Taliban should not launch") == (2 if view == "side" else 1)


def test_an_alert_names_the_split_and_marks_only_what_changed():
    old, new = {"headline": "Talks", "body": JOINED}, {"headline": "Talks", "body": SPLIT}
    diff = diff_articles(old, new)
    change = Change(
        id=3, watch_id=7, event="edit", from_version=1, to_version=2, detected_at="2026-03-18T09:30:00+00:00",
        summary=diff.summary, fields=diff.fields, diff=[c.to_dict() for c in diff.changes],
        words_added=diff.words_added, words_removed=diff.words_removed,
    )  # fmt: skip
    event = build_event(_watch(), change, "Talks")
    (item,) = event["changes"]
    assert (item["category"], item["paragraph"], item["from_paragraphs"], item["paragraphs"]) == (
        "split",
        1,
        [1],
        [1, 2],
    )
    message = render_event({**event, "id": "k"}, AlertSettings())
    assert "paragraph 1 split in two and edited" in message.text
    assert "¶1 split into ¶1–2 and edited: " in message.text
    assert "[-keep talking.-]{+stay at the table.+}" in message.text
    assert message.text.count("[-") == 1 and message.text.count("{+") == 1
    merged = build_event(
        _watch(), _stored(diff_articles({"body": [FIRST, SECOND]}, {"body": [JOINED[0]]})), "T"
    )
    text = render_event({**merged, "id": "k"}, AlertSettings()).text
    assert "¶1–2 merged into ¶1: no words changed" in text and "[-" not in text


def test_editwatch_diff_reports_a_split_paragraph_as_a_split(workspace):
    """Real checks of a loopback site that splits a paragraph; the CLI's JSON, text, HTML and history."""
    site = NewsSite(seed=2)
    site.start()
    try:
        slug = next(iter(site.stories))
        story = site.stories[slug]
        with site.lock:
            story.paragraphs[1:3] = [f"{SEED_PARAGRAPHS[1]} {SEED_PARAGRAPHS[2]}"]
            story.revision += 1
        workspace.run("add", site.url(slug))
        assert "new version 1" in workspace.run("check").stdout
        with site.lock:
            story.paragraphs[1:2] = [SEED_PARAGRAPHS[1], SEED_PARAGRAPHS[2]]
            story.revision += 1
        out = workspace.run("check").stdout
        assert "new version 2: paragraph 2 split in two" in out, out
    finally:
        site.stop()

    document = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
    (change,) = document["changes"]
    assert (change["field"], change["kind"], change["category"]) == ("body", "edit", "split")
    assert (change["old_index"], change["new_index"], change["old_indexes"], change["new_indexes"]) == (
        1, 1, [1], [1, 2]
    )  # fmt: skip
    assert document["words_added"] == document["words_removed"] == 0
    assert document["summary"] == "paragraph 2 split in two"

    text = workspace.run("diff", "1").stdout
    assert "¶2 split into ¶2–3: " in text and "[-" not in text and "{+" not in text
    html = workspace.run("diff", "1", "--format", "html").stdout
    assert '<span class="tag split">¶2 split into ¶2–3</span>' in html
    assert "<del>" not in html and "<ins>" not in html
    (version,) = [v for v in json.loads(workspace.run("history", "1", "--json").stdout) if v["version"] == 2]
    assert version["categories"] == ["split"] and version["words_added"] == version["words_removed"] == 0


def _stored(diff) -> Change:
    return Change(
        id=4, watch_id=7, event="edit", from_version=1, to_version=2, detected_at="2026-03-18T09:30:00+00:00",
        summary=diff.summary, fields=diff.fields, diff=[c.to_dict() for c in diff.changes],
        words_added=diff.words_added, words_removed=diff.words_removed,
    )  # fmt: skip


def _watch() -> Watch:
    return Watch(
        id=7, url="https://news.example/story", label=None, interval_seconds=None, added_at="2026-01-01",
        state="active", etag=None, last_modified=None, published_at=None, last_checked_at=None,
        last_changed_at=None, next_check_at=None, lease_until=None, consecutive_failures=0, source=None,
    )  # fmt: skip
