"""The diff engine on hand-made articles: alignment, classification, summaries."""

from __future__ import annotations

from monitor.diffing.apply import apply_diff
from monitor.diffing.engine import PARAGRAPH_BREAK, diff_articles, word_ops

BODY = [
    "MOSCOW (AP) — Russia, the United States, China and Pakistan urged the Afghan sides to reach a deal.",
    "The statement came after a conference in Moscow that brought together the negotiators.",
    "Lavrov opened the talks, saying Moscow wants to help create conditions for negotiations.",
    "The U.S. envoy, Zalmay Khalilzad, attended the meeting as Washington reviews a deal.",
    "Another round of talks is expected to be held in Turkey in the coming weeks.",
]


def article(**changes):
    base = {
        "headline": "Russia hosts Afghan talks",
        "byline": ["V. Isachenkov"],
        "published": "2021-03-18",
        "modified": None,
        "body": list(BODY),
    }
    base.update(changes)
    return base


def test_identical_articles_have_no_changes():
    assert not diff_articles(article(), article())
    assert diff_articles(article(), article()).summary == "no changes"


def test_insert_next_to_an_edit_is_one_insert_and_one_edit_not_a_cascade():
    body = list(BODY)
    body[2] = body[2].replace("wants to help", "hopes to help")
    body.insert(2, "A completely new paragraph about the Taliban delegation arriving in Moscow.")
    diff = diff_articles(article(), article(body=body))
    assert [(c.kind, c.category, c.new_index) for c in diff.changes] == [
        ("insert", "addition", 2),
        ("edit", "edit", 3),
    ]
    assert diff.summary == "paragraph 4 edited; 1 paragraph added"
    edit = diff.changes[1]
    assert ["delete", "wants"] in edit.words and ["insert", "hopes"] in edit.words


def test_headline_byline_and_correction_are_named():
    body = [*BODY, "Correction: An earlier version of this story misspelled the envoy's name."]
    diff = diff_articles(
        article(),
        article(
            headline="Russia hosts Afghan peace talks", byline=["V. Isachenkov", "N. Vasilyeva"], body=body
        ),
    )
    assert diff.fields == ["headline", "byline", "body"]
    assert diff.summary == "headline changed; byline changed; correction appended"


def test_typographic_variants_are_not_edits():
    body = [p.replace("'", "\u2019").replace(" ", "\u00a0", 1) for p in BODY]
    body[0] = body[0].replace("—", "-")
    assert not diff_articles(article(), article(body=body))


def test_moved_paragraph_is_one_move():
    body = [BODY[0], BODY[2], BODY[3], BODY[4], BODY[1]]
    diff = diff_articles(article(), article(body=body))
    assert [(c.kind, c.category) for c in diff.changes] == [("edit", "move")]
    assert diff.summary == "1 paragraph moved"


def test_deleted_paragraph_and_counts():
    diff = diff_articles(article(), article(body=BODY[:3] + BODY[4:]))
    assert [(c.kind, c.category, c.old_index) for c in diff.changes] == [("delete", "deletion", 3)]
    assert diff.words_removed == len(BODY[3].split())
    assert diff.summary == "1 paragraph removed"


def test_word_ops_keep_spacing_and_mark_only_changed_words():
    ops = word_ops("the quick brown fox", "the slow brown fox jumps")
    assert ops == [
        ["equal", "the "],
        ["delete", "quick"],
        ["insert", "slow"],
        ["equal", " brown fox"],
        ["insert", " jumps"],
    ]


def test_headline_variants_are_fields_of_their_own_and_unknown_ones_are_not_compared():
    old = article(page_headline="Russia hosts Afghan talks", social_headline="Moscow hosts talks", title="")
    new = article(page_headline="Russia hosts Afghan talks", social_headline="Moscow hosts peace talks",
                  title="Russia hosts Afghan talks | AP")  # fmt: skip
    diff = diff_articles(old, new)
    assert diff.fields == ["social_headline", "title"]
    assert [(c.kind, c.category) for c in diff.changes] == [("edit", "headline"), ("insert", "headline")]
    assert diff.summary == "social headline changed; page title added"
    # None is "stored before editwatch read it": nothing to compare, so no change.
    assert not diff_articles(article(), new)
    assert not diff_articles(new, article(social_headline=None, title=None, page_headline=None))


def test_a_variant_that_only_echoes_the_headline_edit_is_not_reported_again():
    old = article(search_headline="Russia hosts Afghan talks", title="Russia hosts Afghan talks | AP News",
                  social_headline="Talks in Moscow")  # fmt: skip
    new = article(headline="Russia hosts Afghan peace talks", search_headline="Russia hosts Afghan peace talks",
                  title="Russia hosts Afghan peace talks | AP News", social_headline="Talks in Moscow")  # fmt: skip
    diff = diff_articles(old, new)
    assert diff.fields == ["headline"]
    assert diff.changes[0].also_in == {"search_headline": new["search_headline"], "title": new["title"]}
    assert apply_diff(old, diff.changes)["title"] == new["title"]  # still rebuilds the new version
    # Changed otherwise than the headline (a new site name besides): its own edit.
    new["title"] = "Russia hosts Afghan peace talks | Associated Press"
    assert diff_articles(old, new).fields == ["headline", "title"]
    # A variant changed differently from the headline is named too.
    new["search_headline"] = "Afghan peace talks open in Moscow"
    assert diff_articles(old, new).fields == ["headline", "search_headline", "title"]


def _joined(body, k):
    """``body`` with paragraphs ``k`` and ``k + 1`` run together as one."""
    return [*body[:k], f"{body[k]} {body[k + 1]}", *body[k + 2 :]]


def _rebuilds(old, new, diff):
    stored = [c.to_dict() for c in diff.changes]
    return (
        apply_diff(old, diff.changes) == apply_diff(old, stored)
        and apply_diff(old, stored)["body"] == new["body"]
    )


def test_a_paragraph_split_in_two_is_one_split_with_no_words_changed():
    old, new = article(body=_joined(BODY, 2)), article()
    diff = diff_articles(old, new)
    (change,) = diff.changes
    assert (change.field, change.kind, change.category) == ("body", "edit", "split")
    assert (change.old_indexes, change.new_indexes, change.old_index, change.new_index) == ([2], [2, 3], 2, 2)
    assert change.words_added == change.words_removed == 0 == diff.words_added == diff.words_removed
    assert not [t for op, t in change.words if op != "equal" and t.strip()]
    assert change.sentences == []
    assert change.after == f"{BODY[2]}{PARAGRAPH_BREAK}{BODY[3]}"
    assert diff.summary == "paragraph 3 split in two"
    assert _rebuilds(old, new, diff)


def test_two_paragraphs_merged_are_one_merge():
    old, new = article(), article(body=_joined(BODY, 3))
    diff = diff_articles(old, new)
    (change,) = diff.changes
    assert (change.kind, change.category, change.old_indexes, change.new_indexes) == (
        "edit",
        "merge",
        [3, 4],
        [3],
    )
    assert change.words_added == change.words_removed == 0
    assert diff.summary == "paragraphs 4-5 merged"
    assert _rebuilds(old, new, diff)


def test_a_sentence_moved_to_the_next_paragraph_is_a_reflow():
    old = article(body=[BODY[0], BODY[1], f"{BODY[2]} {BODY[3]}", BODY[4]])
    new = article(body=[BODY[0], BODY[1], BODY[2], f"{BODY[3]} {BODY[4]}"])
    diff = diff_articles(old, new)
    (change,) = diff.changes
    assert (change.category, change.old_indexes, change.new_indexes) == ("reflow", [2, 3], [2, 3])
    assert change.words_added == change.words_removed == 0
    assert diff.summary == "text moved between paragraphs 3 and 4"
    assert _rebuilds(old, new, diff)


def test_a_split_that_rewords_a_phrase_marks_only_that_phrase():
    body = list(BODY)
    body[3] = body[3].replace("attended the meeting", "took part in the meeting")
    old, new = article(body=_joined(BODY, 2)), article(body=body)
    diff = diff_articles(old, new)
    (change,) = diff.changes
    assert (change.category, change.old_indexes, change.new_indexes) == ("split", [2], [2, 3])
    marked = [(op, t) for op, t in change.words if op != "equal" and t.strip()]
    assert marked == [("delete", "attended"), ("insert", "took part in")]
    assert (change.words_added, change.words_removed) == (3, 1)
    assert diff.summary == "paragraph 3 split in two and edited"
    assert _rebuilds(old, new, diff)


def test_a_merge_next_to_an_inserted_paragraph_is_a_merge_and_an_addition():
    added = "A completely new paragraph about the Taliban delegation arriving in Moscow."
    body = _joined(BODY, 1)
    body.insert(2, added)
    old, new = article(), article(body=body)
    diff = diff_articles(old, new)
    got = [(c.kind, c.category, c.old_indexes, c.new_index) for c in diff.changes]
    assert got == [("edit", "merge", [1, 2], 1), ("insert", "addition", None, 2)]
    assert diff.words_added == len(added.split()) and diff.words_removed == 0
    assert diff.summary == "paragraphs 2-3 merged; 1 paragraph added"
    assert _rebuilds(old, new, diff)


def test_a_split_does_not_hide_an_edit_elsewhere_or_a_rewrite_next_to_it():
    body = list(BODY)
    body[0] = body[0].replace("urged", "pressed")
    # Paragraph 5 rewritten: it shares no run of words with the paragraphs around it.
    body[4] = "Officials in Kabul said they would study the proposal before answering."
    old, new = article(body=_joined(BODY, 2)), article(body=body)
    diff = diff_articles(old, new)
    got = [(c.kind, c.category, c.old_index, c.new_index) for c in diff.changes]
    assert got == [
        ("edit", "edit", 0, 0),
        ("edit", "split", 2, 2),
        ("delete", "deletion", 3, None),
        ("insert", "addition", None, 4),
    ], got
    assert _rebuilds(old, new, diff)


def test_an_edit_beside_a_new_paragraph_that_quotes_it_is_not_a_split():
    body = list(BODY)
    body[2] = "Lavrov opened the talks, saying Moscow wants to help."
    # Shares a run of words with what paragraph 3 lost, but most of it is new.
    body.insert(
        3, "Diplomats said the aim was to create conditions for negotiations that could last until summer."
    )
    diff = diff_articles(article(), article(body=body))
    assert [(c.kind, c.category, c.new_index) for c in diff.changes] == [
        ("edit", "edit", 2),
        ("insert", "addition", 3),
    ]


def test_a_one_word_paragraph_merged_into_the_next_is_a_merge():
    old = article(body=["“No.”", BODY[1], BODY[2]])
    new = article(body=[f"“No.” {BODY[1]}", BODY[2]])
    diff = diff_articles(old, new)
    assert [(c.category, c.old_indexes, c.new_indexes) for c in diff.changes] == [("merge", [0, 1], [0])]
    assert diff.words_added == diff.words_removed == 0
    assert _rebuilds(old, new, diff)


def test_paragraphs_written_without_spaces_are_recognized_as_merged():
    first = "東京女子医大の元理事の男性は十三日、ほっとした口ぶりで語った。"
    second = "理事会もずっと紛糾していた。再生への道筋をつけるのも一苦労だった。"
    old, new = article(body=[first, second, BODY[0]]), article(body=[first + second, BODY[0]])
    diff = diff_articles(old, new)
    assert [(c.category, c.old_indexes, c.new_indexes) for c in diff.changes] == [("merge", [0, 1], [0])]
    assert _rebuilds(old, new, diff)


def test_a_two_word_sentence_moved_to_the_next_paragraph_is_a_reflow():
    old = article(body=[f"{BODY[0]} Attendance: 30,500.", BODY[1], BODY[2]])
    new = article(body=[BODY[0], f"Attendance: 30,500. {BODY[1]}", BODY[2]])
    diff = diff_articles(old, new)
    assert [(c.category, c.old_indexes, c.new_indexes) for c in diff.changes] == [("reflow", [0, 1], [0, 1])]
    assert diff.words_added == diff.words_removed == 0
    assert _rebuilds(old, new, diff)
