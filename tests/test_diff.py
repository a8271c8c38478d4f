"""The diff engine on hand-made articles: alignment, classification, summaries."""

from __future__ import annotations

from monitor.diff import apply_diff, diff_articles, word_ops

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
