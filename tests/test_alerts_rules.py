"""`editwatch alerts` commands, secrets kept out of every output, and noise control per rule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from monitor.demo.site import NewsSite
from monitor.demo.stories import seed_story
from tests.receivers import WebhookReceiver, free_port, wait_for

SECRET = "s3cr3t-T0ken-value-4242"
FAST = '\n[alerts]\nretry_base = "0.2s"\nretry_max = "0.5s"\ntimeout = "2s"\nconfirm_delay = "0.05s"\n'


@pytest.fixture
def two_stories():
    site = NewsSite([seed_story(slug="first"), seed_story(slug="second")], seed=3)
    site.start()
    yield site
    site.stop()


def test_add_list_test_and_remove_rules_without_ever_showing_secrets(workspace, receiver, news_site):
    workspace.config.write_text(workspace.config.read_text() + FAST + f'webhook_secret = "{SECRET}-hmac"\n')
    workspace.run("add", news_site.url("russia-afghan-peace-conference"), "--label", "ap")
    out = workspace.run(
        "alerts", "add", f"{receiver.url}?token={SECRET}", "--on", "edit,removed", "--watch", "1"
    ).stdout
    assert out.strip() == f"alert rule 1: webhook {receiver.url}?token=****: edit, removed about watch 1"
    mail = f"mailto://editor:{SECRET}@localhost:{free_port()}/desk@example.com?from=editwatch@example.com"
    out = workspace.run("alerts", "add", mail, "--label", "ap", "--min-words", "3", "--digest", "1h").stdout
    assert "alert rule 2: apprise mailto://editor:****@localhost" in out
    assert "watches labelled ap" in out and "edits of at least 3 words" in out and "digest every 1h" in out
    workspace.run("alerts", "add", "stdout", "--on", "all", "--confirm")

    listed = workspace.run("alerts", "list").stdout
    as_json = workspace.run("alerts", "list", "--json").stdout
    assert SECRET not in listed and SECRET not in as_json
    rules = json.loads(as_json)
    assert [r["kind"] for r in rules] == ["webhook", "apprise", "stdout"]
    assert rules[0]["events"] == ["edit", "removed"] and rules[0]["watch_id"] == 1
    assert rules[2]["events"] == ["edit", "removed", "restored", "moved", "failing", "ab_test"]
    assert rules[2]["confirm"] is True

    # A test alert goes out at once; the webhook gets a "test" event with an Idempotency-Key.
    out = workspace.run("alerts", "test", "1").stdout
    assert out.strip() == f"alert rule 1: test sent to webhook {receiver.url}?token=****"
    assert receiver.events[0]["event"] == "test" and receiver.received[0].headers["idempotency-key"]
    assert receiver.received[0].path == f"/hook?token={SECRET}"  # the real URL is used, only never shown
    signature = hmac.new(f"{SECRET}-hmac".encode(), receiver.received[0].raw, hashlib.sha256).hexdigest()
    assert receiver.received[0].headers["x-editwatch-signature"] == f"sha256={signature}"

    # The SMTP port is closed: the failure is reported, and the password is not in it.
    proc = workspace.run("alerts", "test", check_exit=1)
    assert "alert rule 2: test failed" in proc.stdout
    assert "editwatch: error: 1 of 3 test alerts failed" in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr

    assert (
        workspace.run("alerts", "remove", "2").stdout.strip()
        == "alert rule 2: removed (0 undelivered alerts dropped)"
    )
    assert [r["id"] for r in json.loads(workspace.run("alerts", "list", "--json").stdout)] == [1, 3]


def test_failed_deliveries_log_no_secret_and_given_up_alerts_can_be_retried(workspace, news_site):
    workspace.config.write_text(workspace.config.read_text() + FAST + 'give_up_after = "0.1s"\n')
    slug = "russia-afghan-peace-conference"
    workspace.run("add", news_site.url(slug))
    port = free_port()
    workspace.run("alerts", "add", f"http://editor:{SECRET}@127.0.0.1:{port}/hooks/{SECRET}?key={SECRET}")
    workspace.run("check")
    news_site.edit(slug, "headline")
    workspace.run("check")
    proc = workspace.run("alerts", "dispatch")
    assert "alert failed for good" in proc.stderr and "connection refused" in proc.stderr
    listed = workspace.run("alerts", "list", "--json").stdout
    log = workspace.run("alerts", "log", "--json").stdout
    status = workspace.run("status").stdout
    for output in (proc.stdout, proc.stderr, listed, log, status):
        assert SECRET not in output
    rule = json.loads(listed)[0]
    assert rule["channel"] == f"http://editor:****@127.0.0.1:{port}/hooks/****?key=****"
    assert rule["failed"] == 1 and rule["pending"] == 0
    assert "alerts: 1 rules, 0 pending, 1 failed; failing channels: rule 1" in status

    receiver = WebhookReceiver(port=port).start()
    assert workspace.run("alerts", "retry").stdout.strip() == "1 alerts queued again"
    assert "delivered 1" in workspace.run("alerts", "dispatch").stdout
    request = receiver.received[0]
    assert request.path == f"/hooks/{SECRET}?key={SECRET}"
    assert (
        request.headers["authorization"] == "Basic " + base64.b64encode(f"editor:{SECRET}".encode()).decode()
    )
    assert json.loads(workspace.run("status", "--json").stdout)["alerts"]["failing_channels"] == []
    receiver.stop()


@pytest.mark.parametrize(
    ("args", "message", "status"),
    [
        (["add", "stdout", "--on", "edits"], "unknown event 'edits'", 2),
        (["add", "not a url"], "not a channel URL", 2),
        (["add", f"nosuchservice://user:{SECRET}@host/x"], "not a channel editwatch can send to", 2),
        (["add", "stdout", "--watch", "42"], "no watch with ID 42", 2),
        (["add", "stdout", "--digest", "soon"], "invalid duration 'soon'", 2),
        (["add", "stdout", "--field", "headline,tittle"], "unknown field 'tittle'", 2),
        (["remove", "9"], "no alert rule with ID 9", 2),
        (["test", "9"], "no alert rule with ID 9", 2),
    ],
)
def test_bad_input_is_one_line_error(workspace, args, message, status):
    workspace.run("check")  # creates an empty database: the IDs are unknown, not the file
    proc = workspace.run("alerts", *args, check_exit=status)
    assert proc.stderr.startswith("editwatch: error: ") and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and SECRET not in proc.stderr


def test_bad_alerts_config_is_reported_with_its_key(workspace):
    workspace.config.write_text(workspace.config.read_text() + '\n[alerts]\nretry_bsae = "1s"\n')
    proc = workspace.run("alerts", "dispatch", check_exit=1)
    assert (
        proc.stderr.startswith("editwatch: error: ")
        and "editwatch.toml: unknown key alerts.retry_bsae" in proc.stderr
    )
    assert proc.stderr.strip().endswith("(line 8)")


def test_min_words_keeps_small_edits_out_of_a_rule(workspace, two_stories, receiver):
    workspace.config.write_text(workspace.config.read_text() + FAST)
    for slug in ("first", "second"):
        workspace.run("add", two_stories.url(slug))
    workspace.run("alerts", "add", receiver.url, "--min-words", "5")
    everything = WebhookReceiver().start()
    workspace.run("alerts", "add", everything.url)
    workspace.run("check")
    two_stories.edit("first", "edit_paragraph")  # one word replaced
    two_stories.edit("second", "insert_paragraph")  # a new paragraph
    workspace.run("check")
    workspace.run("alerts", "dispatch")
    assert [e["url"].rsplit("/", 1)[1] for e in receiver.events] == ["second"]
    assert sorted(e["url"].rsplit("/", 1)[1] for e in everything.events) == ["first", "second"]
    everything.stop()


def test_digest_sends_one_message_per_period(workspace, two_stories, receiver):
    workspace.config.write_text(workspace.config.read_text() + FAST)
    for slug in ("first", "second"):
        workspace.run("add", two_stories.url(slug))
    workspace.run("alerts", "add", receiver.url, "--digest", "1h")
    workspace.run("check")
    two_stories.edit("first", "headline")
    two_stories.edit("second", "correction")
    workspace.run("check")
    assert "delivered 0" in workspace.run("alerts", "dispatch").stdout  # the period has not passed
    assert not receiver.received

    store = workspace.store()
    with store.transaction() as conn:  # an hour later
        conn.execute("UPDATE alert_outbox SET created_at = '2000-01-01T00:00:00.000000+00:00'")
    store.close()
    assert "delivered 2" in workspace.run("alerts", "dispatch").stdout
    assert len(receiver.received) == 1
    digest = receiver.events[0]
    assert digest["event"] == "digest" and digest["count"] == 2
    assert digest["id"] == receiver.keys[0]
    assert [e["event"] for e in digest["events"]] == ["edit", "edit"]
    assert len({e["id"] for e in digest["events"]}) == 2
    assert "delivered 0" in workspace.run("alerts", "dispatch").stdout


def test_confirming_refetch_drops_an_edit_that_reverted_and_sends_one_that_stayed(
    workspace, news_site, receiver
):
    workspace.config.write_text(workspace.config.read_text() + FAST)
    slug = "russia-afghan-peace-conference"
    workspace.run("add", news_site.url(slug))
    workspace.run("alerts", "add", receiver.url, "--confirm")
    workspace.run("check")
    story = news_site.stories[slug]
    original = story.headline
    news_site.edit(slug, "headline")
    workspace.run("check")
    with news_site.lock:  # the page goes back before the alert is confirmed
        story.headline = original
    assert wait_for(lambda: "dropped as reverted 1" in workspace.run("alerts", "dispatch").stdout)
    assert not receiver.received

    news_site.edit(slug, "insert_paragraph")
    workspace.run("check")
    assert wait_for(lambda: "delivered 1" in workspace.run("alerts", "dispatch").stdout)
    assert [e["event"] for e in receiver.events] == ["edit"]
    assert receiver.events[0]["to_version"] == 3
