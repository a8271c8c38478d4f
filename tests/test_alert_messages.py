"""Alert messages: readable snippets, capped length, viewer links, and inert article text in HTML."""

from __future__ import annotations

from monitor.alerts.events import build_event, change_size, parse_events, rule_wants
from monitor.alerts.messages import render_digest, render_event, snippet
from monitor.alerts.settings import AlertSettings
from monitor.diffing.engine import diff_articles
from storage import Change, Watch
from storage.alert_records import AlertRule

LONG = (
    "The joint statement came after a conference in Moscow that brought together Afghan government "
    "negotiators, representatives of the Taliban and envoys of the four countries on Thursday."
)
SETTINGS = AlertSettings()


def _watch(label: str | None = None) -> Watch:
    return Watch(
        id=7, url="https://news.example/story", label=label, interval_seconds=None, added_at="2026-01-01",
        state="active", etag=None, last_modified=None, published_at=None, last_checked_at=None,
        last_changed_at=None, next_check_at=None, lease_until=None, consecutive_failures=0, source=None,
    )  # fmt: skip


def _change(old: dict, new: dict, event: str = "edit") -> Change:
    diff = diff_articles(old, new)
    return Change(
        id=3, watch_id=7, event=event, from_version=1, to_version=2, detected_at="2026-03-18T09:30:00+00:00",
        summary=diff.summary, fields=diff.fields, diff=[c.to_dict() for c in diff.changes],
        words_added=diff.words_added, words_removed=diff.words_removed,
    )  # fmt: skip


def _event(old: dict, new: dict) -> dict:
    return {**build_event(_watch(), _change(old, new), new.get("headline")), "id": "k"}


def test_body_edit_is_a_short_snippet_with_removed_and_added_words_marked():
    pieces = snippet(LONG, LONG.replace("four countries", "three countries"), context=4)
    text = "".join(
        f"[-{t}-]" if op == "delete" else f"{{+{t}+}}" if op == "insert" else t for op, t in pieces
    )
    assert text == "… and envoys of the [-four-]{+three+} countries on Thursday."
    two_sentences = (
        "First sentence stays. The talks were held in Moscow on Thursday. Another sentence follows here."
    )
    pieces = snippet(two_sentences, two_sentences.replace("Moscow", "Doha"))
    text = "".join(
        f"[-{t}-]" if op == "delete" else f"{{+{t}+}}" if op == "insert" else t for op, t in pieces
    )
    assert text == "The talks were held in [-Moscow-]{+Doha+} on Thursday."


def test_headline_reads_before_to_after_and_message_links_the_viewer():
    old = {"headline": "Talks end without deal", "body": [LONG]}
    new = {"headline": "Talks end with a deal", "body": [LONG.replace("Moscow", "Doha")]}
    settings = AlertSettings(
        viewer_url="http://127.0.0.1:8080/w/{watch_id}/diff/{from_version}..{to_version}"
    )
    message = render_event(_event(old, new), settings)
    assert "Headline: Talks end without deal → Talks end with a deal" in message.text
    assert (
        "¶1 edited: The joint statement came after a conference in [-Moscow-]{+Doha+} that brought together"
        " Afghan government negotiators, representatives of the Taliban and envoys …"
    ) in message.text
    assert "View the changes: http://127.0.0.1:8080/w/7/diff/1..2" in message.text
    assert message.title == "editwatch: Edited: Talks end with a deal"
    assert (
        '<a href="http://127.0.0.1:8080/w/7/diff/1..2">http://127.0.0.1:8080/w/7/diff/1..2</a>'
        in message.html
    )


def test_long_diffs_are_capped_with_a_count_of_what_was_left_out():
    old = {
        "headline": "H",
        "body": [f"Paragraph {i} says something distinct about topic {i}." for i in range(12)],
    }
    new = {
        "headline": "H",
        "body": [f"Paragraph {i} now says something else about topic {i}!" for i in range(12)],
    }
    message = render_event(_event(old, new), AlertSettings(max_changes=3))
    assert message.text.count("edited:") == 3
    assert "… and 9 more changes" in message.text
    long_paragraph = " ".join(["word"] * 500)
    inserted = render_event(_event({"body": ["a b c"]}, {"body": ["a b c", long_paragraph]}), SETTINGS)
    assert len(inserted.text) < 600 and "…" in inserted.text


def test_article_text_is_escaped_in_html_and_hostile_links_are_not_links():
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    old = {"headline": "Plain", "body": ["Safe text here."]}
    new = {"headline": f"Plain {payload}", "body": ["Safe text here.", f"<b>{payload}</b>"]}
    event = _event(old, new)
    event["url"] = "javascript:alert(3)"
    html = render_event(event, SETTINGS).html
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    digest = render_digest([event, event], SETTINGS).html
    assert "<script>" not in digest and "&lt;script&gt;" in digest


def test_digest_is_one_message_listing_every_event():
    first = _event({"headline": "A", "body": [LONG]}, {"headline": "B", "body": [LONG]})
    second = {**first, "event": "removed", "summary": "article removed (HTTP 404)", "changes": []}
    message = render_digest([first, second], SETTINGS)
    assert message.title == "editwatch: 2 changes to watched articles"
    assert "Edited: B" in message.text and "Removed: B" in message.text
    assert "article removed (HTTP 404)" in message.text


def test_rules_select_events_watches_labels_and_minimum_size():
    small = _change({"body": [LONG]}, {"body": [LONG.replace("four", "4")]})
    big = _change({"body": [LONG]}, {"body": [LONG, LONG.replace("Moscow", "Doha and elsewhere")]})
    byline = _change(
        {"byline": ["A. Writer"], "body": [LONG]}, {"byline": ["A. Writer", "B. Other Name"], "body": [LONG]}
    )
    assert change_size(small.diff) == 2 and change_size(byline.diff) == 3

    def rule(**kw) -> AlertRule:
        fields = dict(id=1, channel="stdout", kind="stdout", events=["edit"], watch_id=None, label=None, min_words=0,
                      digest_seconds=None, confirm=False, created_at="", failures=0, retry_at=None, last_error=None)  # fmt: skip
        return AlertRule(**{**fields, **kw})

    assert rule_wants(rule(), _watch(), small)
    assert not rule_wants(rule(events=["removed"]), _watch(), small)
    assert not rule_wants(rule(min_words=5), _watch(), small)
    assert rule_wants(rule(min_words=5), _watch(), big)
    assert rule_wants(rule(watch_id=7), _watch(), small) and not rule_wants(rule(watch_id=8), _watch(), small)
    assert rule_wants(rule(label="ap"), _watch("ap"), small) and not rule_wants(
        rule(label="ap"), _watch(), small
    )
    # A rule following some fields takes edits of them only; other events are not edits of fields.
    assert rule_wants(rule(fields=["byline", "title"]), _watch(), byline)
    assert not rule_wants(rule(fields=["social_headline", "title"]), _watch(), small)
    assert parse_events([]) == ["edit", "removed", "restored", "moved", "ab_test"]
    assert parse_events(["edit,ab-test", "removed"]) == ["edit", "ab_test", "removed"]
    assert "failing" in parse_events(["all"])
