"""The revision benchmark scores what it claims to: its scoring on known diffs, its stories, one short replay.

These tests pin the benchmark's yardstick, never editwatch's current figures.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from benchmarks.revision_report import render
from benchmarks.revision_scoring import (
    CheckScore,
    agreement,
    combine,
    net,
    reported_changes,
    score_story,
    tally,
    word_changes,
    words,
)
from benchmarks.revision_stories import (
    FIRST,
    NOT_A_VERSION,
    STORIES,
    UNCHANGED,
    WRONG_CHARSET,
    Article,
    RevisionStory,
    append,
    history,
    reword,
    split,
)
from benchmarks.revisions import replay

BODY = (
    "The council voted on Monday to close two branch libraries.",
    '"It is a disgrace," said Rosa Delgado.',
    "The branches close on Jan. 31.",
)
FIRST_ARTICLE = Article("Council closes two libraries", ("Grace Nakamura",), BODY)
CORRECTION = "Correction: An earlier version of this story misstated the closing date."


def _mapping(article: Article) -> dict:
    return {"headline": article.headline, "byline": article.byline, "body": article.paragraphs}


def _served(revisions) -> list[tuple]:
    return [(r.kind, _mapping(r.article), r.changes) for r in revisions]


def _insert(text: str, index: int) -> dict:
    return {"field": "body", "kind": "insert", "category": "addition", "after": text, "new_index": index}


def _delete(text: str, index: int) -> dict:
    return {"field": "body", "kind": "delete", "category": "deletion", "before": text, "old_index": index}


def test_words_ignore_typography_and_punctuation_only_tokens():
    assert words("“It’s a disgrace,” she said — twice.") == [
        "\"It's",
        "a",
        'disgrace,"',
        "she",
        "said",
        "twice.",
    ]


def test_a_perfect_diff_of_an_appended_correction_scores_one():
    revisions = history(FIRST_ARTICLE, ("correction", append(CORRECTION)))
    diff = {"changes": [_insert(CORRECTION, 3)]}
    scores = score_story("s", _served(revisions), [1, 2], {2: diff})
    assert [s.agreement for s in scores] == [None, 1.0]


def test_a_diff_that_misses_an_added_paragraph_scores_lower():
    added = "Ashford said the city had no good options."
    revisions = history(FIRST_ARTICLE, ("paragraphs added", append(added, CORRECTION)))
    perfect = {"changes": [_insert(added, 3), _insert(CORRECTION, 4)]}
    missing = {"changes": [_insert(CORRECTION, 4)]}
    good = score_story("s", _served(revisions), [1, 2], {2: perfect})[1].agreement
    poor = score_story("s", _served(revisions), [1, 2], {2: missing})[1].agreement
    assert good == 1.0
    assert 0 < poor < 1
    # The correction's 11 words reported; 11 + 8 really added.
    assert poor == pytest.approx(2 * 11 / (11 + 19))


def test_a_reworded_quote_counts_only_the_words_that_changed():
    revisions = history(FIRST_ARTICLE, ("quote softened", reword("It is a disgrace", "I cannot support it")))
    _, changes = revisions[1].kind, revisions[1].changes
    assert net(changes) == word_changes(
        "body", ['"It', "is", "a", 'disgrace,"'], ['"I', "cannot", "support", 'it,"']
    )
    diff = {"changes": [{"field": "body", "kind": "edit", "category": "edit", "old_index": 1, "new_index": 1,
                         "words": [["delete", '"It is a disgrace,"'], ["insert", '"I cannot support it,"'],
                                   ["equal", " said Rosa Delgado."]]}]}  # fmt: skip
    assert score_story("s", _served(revisions), [1, 2], {2: diff})[1].agreement == 1.0


def test_a_split_shown_as_churn_scores_zero_and_shown_without_word_changes_scores_one():
    revisions = history(FIRST_ARTICLE, ("paragraph split", split("to close two")))
    assert revisions[1].changes == Counter()
    whole, head, tail = BODY[0], "The council voted on Monday", "to close two branch libraries."
    churn = {"changes": [_delete(whole, 0), _insert(head, 0), _insert(tail, 1)]}
    named = {"changes": [{"field": "body", "kind": "edit", "category": "split", "before": whole,
                          "after": f"{head} {tail}", "old_index": 0, "new_index": 0}]}  # fmt: skip
    assert score_story("s", _served(revisions), [1, 2], {2: churn})[1].agreement == 0.0
    assert score_story("s", _served(revisions), [1, 2], {2: named})[1].agreement == 1.0


def test_a_word_one_change_removes_and_adds_again_stayed():
    diff = {"changes": [{"field": "headline", "kind": "edit", "category": "headline",
                         "words": [["delete", "close two"], ["insert", "two close"], ["equal", " libraries"]]}]}  # fmt: skip
    assert reported_changes(diff) == Counter()
    assert agreement(Counter(), Counter()) == 1.0


def test_edits_in_a_row_cancel_across_edits_but_a_rewrite_keeps_its_own_words():
    flip = word_changes("headline", ["to", "cut"], ["will", "cut"])
    back = word_changes("headline", ["will", "cut"], ["to", "cut"])
    assert combine([flip, back]) == Counter()
    rewrite = Counter({("body", "-", "the"): 3, ("body", "+", "the"): 5})
    assert combine([rewrite]) == rewrite
    assert combine([rewrite, Counter({("body", "-", "the"): 2})]) == Counter(
        {("body", "-", "the"): 3, ("body", "+", "the"): 3}
    )


def test_recall_and_false_versions_count_what_was_served_against_what_was_stored():
    revisions = history(
        FIRST_ARTICLE,
        ("rewrite", append(CORRECTION)),
        (WRONG_CHARSET, None),
        (UNCHANGED, None),
        ("correction", reword("Jan. 31", "Feb. 28")),
    )
    # The rewrite was missed; the charset fault stored a version; the last edit was stored.
    stored = [1, None, 2, None, 3]
    diff_3 = {"changes": [{"field": "body", "kind": "edit", "category": "edit", "old_index": 2, "new_index": 2,
                           "words": [["equal", "The branches close on "], ["delete", "Jan. 31."],
                                     ["insert", "Feb. 28."]]}]}  # fmt: skip
    scores = score_story("s", _served(revisions), stored, {2: {"changes": []}, 3: diff_3})
    overall, by_kind = tally(scores)
    assert (overall.served, overall.stored, overall.false) == (3, 2, 1)
    assert overall.recall == pytest.approx(2 / 3)
    assert by_kind["rewrite"].recall == 0
    assert by_kind[WRONG_CHARSET].false == 1 and by_kind[WRONG_CHARSET].served == 0
    # The false version's diff is not scored; the next one is compared with the edit since it.
    assert [s.agreement for s in scores] == [None, None, None, None, 1.0]
    # Had the charset fault stored nothing, the last diff would also owe the missed correction's words.
    missed = score_story("s", _served(revisions), [1, None, None, None, 2], {2: diff_3})
    assert 0 < missed[4].agreement < 1


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.slug)
def test_every_story_serves_a_new_version_exactly_where_it_says_so(story: RevisionStory):
    assert story.revisions[0].kind == FIRST
    for before, after in zip(story.revisions, story.revisions[1:], strict=False):
        assert (after.article == before.article) == (after.kind in NOT_A_VERSION), after.kind
        if after.kind != "rewrite":  # what an edit says it changed is what changed in the text
            expected = Counter()
            for name, old, new in (
                ("headline", [before.article.headline], [after.article.headline]),
                ("byline", before.article.byline, after.article.byline),
                ("body", before.article.paragraphs, after.article.paragraphs),
            ):
                expected.update(
                    word_changes(name, [w for t in old for w in words(t)], [w for t in new for w in words(t)])
                )
            assert net(after.changes) == expected, after.kind


def test_the_report_prints_every_figure_in_every_form():
    scores = [
        CheckScore("s", 0, FIRST, True, 1),
        CheckScore("s", 1, "correction", True, 2, agreement=0.5, outcome="new version 2: 1 paragraph added"),
        CheckScore("s", 2, WRONG_CHARSET, False, 3, outcome="new version 3: 5 paragraphs edited"),
        CheckScore("s", 3, "rewrite", True, None, outcome="error: the page shows something else"),
    ]
    stories = [RevisionStory("s", "station", "2026-11-30T09:00:00+00:00", ())]
    text = render(scores, stories, "abc1234", 12.0, "text")
    assert "0.67 (2/3)" in text and "false versions: 1" in text and "missed versions: 1" in text
    assert "| edit kind | checks |" in render(scores, stories, "abc1234", 12.0, "markdown")
    data = json.loads(render(scores, stories, "abc1234", 12.0, "json"))
    assert data["overall"]["false_versions"] == 1 and data["by_kind"]["correction"]["word_agreement"] == 0.5


def test_a_short_replay_checks_every_step_and_scores_each_stored_diff(tmp_path):
    story = RevisionStory(
        slug="council-closes-libraries",
        template="paper",
        published="2026-11-30T09:00:00+00:00",
        stamp=True,
        revisions=history(FIRST_ARTICLE, ("correction", append(CORRECTION)), (UNCHANGED, None)),
    )
    scores = replay([story], seed=1, work=tmp_path, progress=lambda _: None)
    assert [(s.step, s.kind, s.distinct) for s in scores] == [
        (0, FIRST, True), (1, "correction", True), (2, UNCHANGED, False), (3, UNCHANGED, False),
    ]  # fmt: skip
    assert all(s.outcome for s in scores)  # editwatch reported every check
    numbers = [s.stored for s in scores if s.stored is not None]
    assert numbers == sorted(numbers) and numbers[0] == 1
    scored = [s for s in scores if s.agreement is not None]
    assert all(0 <= s.agreement <= 1 and s.truth for s in scored)
