"""Headline A/B tests: a headline alternating among a few variants is reported once, not on every flip."""

from __future__ import annotations

import json

from monitor.changes.headline_ab import headline_flip, headline_flips
from tests.receivers import WebhookReceiver

A, B, C, D = "Talks end without a deal", "Talks collapse in Moscow", "Moscow talks fail", "A fourth headline"


def test_a_return_to_an_earlier_variant_is_a_flip_reported_once():
    assert headline_flip([A], B) is None  # an ordinary edit
    first = headline_flip([A, B], A)
    assert first is not None and first.first and first.variants == [A, B]
    again = headline_flip([A, B, A], B)
    assert again is not None and not again.first
    assert not headline_flip([A, B, A, B, A, B], A).first
    # Three variants rotating: reported once when the third joins the rotation.
    assert headline_flip([A, B, A, B, C], A).first
    assert not headline_flip([A, B, A, B, C, A], C).first


def test_many_variants_or_a_distant_revert_are_edits_not_ab_tests():
    assert headline_flip([A, B, C, D], A) is None  # four variants: a story being rewritten
    assert headline_flip([A] + [f"Headline {i}" for i in range(20)], A) is None  # outside the window
    # Body edits between flips keep the same headline: versions with one headline count once.
    assert headline_flip([A, A, B, B], A).first


def test_headline_toggling_between_two_variants_sends_one_ab_report_not_a_stream(workspace, news_site):
    receiver = WebhookReceiver().start()
    slug = "russia-afghan-peace-conference"
    url = news_site.url(slug)
    workspace.run("add", url)
    workspace.run("alerts", "add", receiver.url)
    story = news_site.stories[slug]
    original = story.headline
    variant = "Moscow talks: Russia, US and China press Afghan sides for a deal"
    outputs = []
    for headline in (original, variant, original, variant, original):
        with news_site.lock:
            story.headline = headline
            story.revision += 1
        outputs.append(workspace.run("check").stdout.strip())
    assert outputs[1].endswith("new version 2: headline changed")
    assert "headline A/B test: 2 variants alternate" in outputs[2]
    assert "variant shown again" in outputs[3] and "variant shown again" in outputs[4]

    workspace.run("alerts", "dispatch")
    assert [e["event"] for e in receiver.events] == ["edit", "ab_test"]
    ab = receiver.events[1]
    assert ab["fields"] == ["headline"]
    assert ab["changes"][0]["variants"] == [original, variant]
    # Every version is kept: the history shows the page as it was at each check.
    history = json.loads(workspace.run("history", "1", "--json").stdout)
    assert [e["version"] for e in history] == [1, 2, 3, 4, 5]
    assert history[2]["summary"].startswith("headline A/B test")
    receiver.stop()


def test_each_headline_variant_is_judged_against_its_own_history():
    history = {"headline": [A, A, A], "social_headline": [B, C, B], "title": ["T", "T", "T"]}
    flips = headline_flips(["social_headline", "modified"], {"social_headline": C}, history)
    assert list(flips) == ["social_headline"] and flips["social_headline"].variants == [C, B]
    assert flips["social_headline"].summary.startswith("headline A/B test (social headline)")
    # Any other field changed, or a variant edited for the first time: an ordinary edit.
    assert headline_flips(["social_headline", "body"], {"social_headline": C}, history) is None
    assert headline_flips(["title"], {"title": "T2"}, history) is None
