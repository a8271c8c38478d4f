"""Properties of the diff engine, checked with hypothesis on generated articles."""

from __future__ import annotations

import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crawler.extraction.comparison import canonical_text, comparison_key
from monitor.diffing.apply import apply_diff
from monitor.diffing.engine import Change, diff_articles
from monitor.diffing.words import list_ops, sentence_ops, split_sentences, word_ops

# Words without digits or "ago"/"now", so that no generated text looks like a volatile counter.
WORDS = [
    "the", "council", "mayor", "said", "budget", "talks", "envoy", "Moscow", "Kabul", "peace",
    "deal", "troops", "withdrawal", "statement", "officials", "report", "violence", "conference",
    "minister", "government", "negotiators", "Taliban", "delegation", "round",
]  # fmt: skip

word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=2, max_size=9).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
body = st.lists(paragraph, min_size=0, max_size=8)
name = st.sampled_from(["Vladimir Isachenkov", "Nataliya Vasilyeva", "Daria Litvinova", "Jim Heintz"])
date = st.sampled_from([None, "2021-03-18T09:14:00+00:00", "2021-03-19T10:00:00+00:00"])


def _titled(record: dict) -> st.SearchStrategy[dict]:
    """Sometimes a <title> made of the headline and the site's name, as most sites have."""
    if not record["headline"]:
        return st.just(record)
    return st.sampled_from([record, {**record, "title": record["headline"] + " | The Gazette"}])


article = st.fixed_dictionaries(
    {
        "headline": st.one_of(st.none(), paragraph),
        "byline": st.lists(name, max_size=3, unique=True),
        "published": date,
        "modified": date,
        "body": body,
        # None: not recorded (a version from before they were read); "": the page had none.
        "title": st.one_of(st.none(), st.just(""), paragraph),
        "social_headline": st.one_of(st.none(), st.just(""), paragraph),
    }
).flatmap(_titled)


@st.composite
def edited(draw: st.DrawFn, base: dict) -> dict:
    """``base`` after a few newsroom edits: rewrites, inserts, deletes, moves, splits, merges, headline and byline."""
    new = json.loads(json.dumps(base))
    paragraphs = new["body"]
    for _ in range(draw(st.integers(0, 6))):
        action = draw(
            st.sampled_from(
                ["edit", "insert", "delete", "move", "split", "merge", "headline", "byline", "date",
                 "title", "social"]
            )
        )  # fmt: skip
        if action in ("title", "social") and new["headline"]:
            # The <title> follows the headline (with the site's name), or is edited on its own.
            field = "title" if action == "title" else "social_headline"
            new[field] = draw(st.sampled_from([new["headline"] + " | The Gazette", new["headline"]]))
        elif action in ("title", "social"):
            new["title" if action == "title" else "social_headline"] = draw(st.one_of(st.just(""), paragraph))
        elif action == "insert" or (action != "headline" and not paragraphs):
            paragraphs.insert(draw(st.integers(0, len(paragraphs))), draw(paragraph))
        elif action == "edit":
            k = draw(st.integers(0, len(paragraphs) - 1))
            words = paragraphs[k].split()
            at = draw(st.integers(0, len(words) - 1))
            words[at : at + draw(st.integers(0, 3))] = draw(st.lists(word, max_size=3))
            paragraphs[k] = " ".join(words) or draw(paragraph)
        elif action == "delete":
            del paragraphs[draw(st.integers(0, len(paragraphs) - 1))]
        elif action == "move":
            moved = paragraphs.pop(draw(st.integers(0, len(paragraphs) - 1)))
            paragraphs.insert(draw(st.integers(0, len(paragraphs))), moved)
        elif action == "split":
            k = draw(st.integers(0, len(paragraphs) - 1))
            paragraphs[k : k + 1] = _split(paragraphs[k], draw(st.integers(1, 3)))
        elif action == "merge" and len(paragraphs) > 1:
            k = draw(st.integers(0, len(paragraphs) - 2))
            paragraphs[k : k + 2] = [f"{paragraphs[k]} {paragraphs[k + 1]}"]
        elif action == "headline":
            new["headline"] = draw(st.one_of(st.none(), paragraph))
        elif action == "byline":
            new["byline"] = draw(st.lists(name, max_size=3, unique=True))
        else:
            new["published"] = draw(date)
    return new


def _split(text: str, at: int) -> list[str]:
    """``text`` cut in two after its ``at``-th sentence (whole, if it has no more)."""
    sentences = split_sentences(text)
    if len(sentences) <= at:
        return [text]
    return ["".join(sentences[:at]).strip(), "".join(sentences[at:]).strip()]


def _same_byline(a: list[str], b: list[str]) -> bool:
    # The byline is compared as a set of names: reordering names is not an edit.
    return sorted(n.casefold() for n in a) == sorted(n.casefold() for n in b)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), old=article)
def test_applying_the_diff_of_a_to_b_reconstructs_b(data, old):
    new = data.draw(edited(old))
    diff = diff_articles(old, new)
    rebuilt = apply_diff(old, diff.changes)
    assert rebuilt["body"] == new["body"]
    assert rebuilt["headline"] == new["headline"] or comparison_key(
        rebuilt["headline"] or ""
    ) == comparison_key(new["headline"] or "")
    assert _same_byline(rebuilt["byline"], new["byline"])
    assert (rebuilt["published"], rebuilt["modified"]) == (new["published"], new["modified"])
    for field in ("title", "social_headline"):  # compared (and so rebuilt) when known on both sides
        if old[field] is not None and new[field] is not None:
            assert canonical_text(rebuilt[field] or "") == canonical_text(new[field] or "")
    # The stored (JSON) form of the diff applies just the same.
    stored = json.loads(json.dumps([c.to_dict() for c in diff.changes]))
    assert apply_diff(old, stored) == rebuilt


@settings(max_examples=200, deadline=None)
@given(old=article, new=article)
def test_any_two_articles_diff_into_changes_that_rebuild_the_second(old, new):
    rebuilt = apply_diff(old, diff_articles(old, new).changes)
    assert rebuilt["body"] == new["body"]
    assert not diff_articles(rebuilt, new)


@settings(max_examples=200, deadline=None)
@given(old=st.fixed_dictionaries({"headline": st.text(), "body": st.lists(st.text(), max_size=6)}),
       new=st.fixed_dictionaries({"headline": st.text(), "body": st.lists(st.text(), max_size=6)}))  # fmt: skip
def test_arbitrary_text_rebuilds_up_to_the_comparison_form(old, new):
    rebuilt = apply_diff(old, diff_articles(old, new).changes)
    assert [comparison_key(p) for p in rebuilt["body"]] == [comparison_key(p) for p in new["body"]]
    assert not diff_articles(rebuilt, new)


@settings(max_examples=200, deadline=None)
@given(old=article)
def test_the_diff_of_an_article_with_itself_is_empty(old):
    diff = diff_articles(old, json.loads(json.dumps(old)))
    assert diff.changes == [] and not diff
    assert diff.summary == "no changes"


@settings(max_examples=200, deadline=None)
@given(old=article)
def test_typography_and_spacing_alone_are_not_edits(old):
    def retype(text: str) -> str:
        return text.replace(" ", "\u00a0", 1).replace(".", ".\u200b") + "  "

    new = {**old, "body": [retype(p) for p in old["body"]]}
    new["headline"] = retype(old["headline"]) if old["headline"] else old["headline"]
    assert not diff_articles(old, new)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), paragraphs=st.lists(paragraph, min_size=2, max_size=10, unique=True))
def test_moving_a_paragraph_is_one_move(data, paragraphs):
    assume(len({comparison_key(p) for p in paragraphs}) == len(paragraphs))
    source = data.draw(st.integers(0, len(paragraphs) - 1))
    moved = list(paragraphs)
    text = moved.pop(source)
    target = data.draw(st.integers(0, len(moved)))
    assume(target != source)
    moved.insert(target, text)
    old, new = {"body": paragraphs}, {"body": moved}

    diff = diff_articles(old, new)
    assert len(diff.changes) == 1, diff.changes
    (change,) = diff.changes
    assert (change.field, change.kind, change.category) == ("body", "edit", "move")
    assert change.words_added == change.words_removed == 0
    if abs(target - source) > 1:
        # Only a swap of neighbours can be told either way round.
        assert (change.old_index, change.new_index, change.after) == (source, target, text)
    assert apply_diff(old, diff.changes)["body"] == moved
    assert diff.summary == "1 paragraph moved"


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.one_of(sentence, st.sampled_from(["Mr. Lavrov spoke.", "U.S. envoy left.", "  "])))
       .map(" ".join))  # fmt: skip
def test_sentences_split_without_losing_a_character(text):
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert all(pieces) or text == ""


@settings(max_examples=200, deadline=None)
@given(before=paragraph, after=paragraph)
def test_word_marks_rebuild_both_texts(before, after):
    for ops in (word_ops(before, after), sentence_ops(before, after)[0]):
        assert "".join(t for op, t in ops if op != "delete") == after
        # Unchanged words are shown as they are now, so the old text comes back up to spacing.
        assert canonical_text("".join(t for op, t in ops if op != "insert")) == canonical_text(before)
        assert all(op in ("equal", "insert", "delete") for op, _ in ops)


@settings(max_examples=200, deadline=None)
@given(before=st.lists(name, max_size=4), after=st.lists(name, max_size=4))
def test_byline_marks_rebuild_both_lists(before, after):
    ops = list_ops(before, after)
    assert "".join(t for op, t in ops if op != "delete") == ", ".join(after)
    assert "".join(t for op, t in ops if op != "insert") == ", ".join(before)


def test_a_credited_author_is_marked_whole():
    ops = list_ops(["Vladimir Isachenkov"], ["Vladimir Isachenkov", "Nataliya Vasilyeva"])
    assert ops == [["equal", "Vladimir Isachenkov"], ["insert", ", Nataliya Vasilyeva"]]


def test_a_rewritten_sentence_is_marked_inside_that_sentence_only():
    before = "The talks ended on Thursday. The envoy said the deal was close. Troops will leave by May."
    after = "The talks ended on Thursday. The envoy said the deal was far off. Troops will leave by May."
    diff = diff_articles({"body": [before]}, {"body": [after]})
    (change,) = diff.changes
    assert (change.kind, change.category) == ("edit", "edit")
    assert change.sentences == [
        {"kind": "edit", "before": "The envoy said the deal was close.",
         "after": "The envoy said the deal was far off.", "old_index": 1, "new_index": 1},
    ]  # fmt: skip
    marked = [(op, t) for op, t in change.words if op != "equal"]
    assert marked == [("delete", "close."), ("insert", "far off.")]
    assert (change.words_added, change.words_removed) == (2, 1)


def test_an_added_sentence_is_one_insert_within_the_paragraph():
    before = "Lavrov opened the talks. Another round is expected."
    after = "Lavrov opened the talks. He called them productive. Another round is expected."
    (change,) = diff_articles({"body": [before]}, {"body": [after]}).changes
    assert change.sentences == [{"kind": "insert", "after": "He called them productive.", "new_index": 1}]
    assert change.words_added == 4 and change.words_removed == 0


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Mr. Lavrov met the U.S. envoy, Zalmay Khalilzad. John F. Kennedy was not there. Done."
    assert [p.strip() for p in split_sentences(text)] == [
        "Mr. Lavrov met the U.S. envoy, Zalmay Khalilzad.",
        "John F. Kennedy was not there.",
        "Done.",
    ]


def test_every_category_is_recognized():
    old = {
        "headline": "Talks open in Moscow",
        "byline": ["Vladimir Isachenkov"],
        "published": "2021-03-18T09:14:00+00:00",
        "body": [
            "Russia urged the Afghan sides to reach a peace deal on Thursday in Moscow.",
            "The statement came after a conference that brought together negotiators.",
            "Lavrov opened the talks and spoke about productive negotiations.",
            "Another round of talks is expected to be held in Turkey in the coming weeks.",
        ],
    }
    new = {
        "headline": "Talks end in Moscow",
        "byline": ["Vladimir Isachenkov", "Nataliya Vasilyeva"],
        "published": "2021-03-19T09:14:00+00:00",
        "body": [
            "Russia urged the Afghan sides to reach a peace deal on Friday in Moscow.",
            "Another round of talks is expected to be held in Turkey in the coming weeks.",
            "Lavrov opened the talks and spoke about productive negotiations.",
            "A new paragraph about the Taliban delegation and its leader Baradar.",
            "Correction: An earlier version misstated the day of the talks.",
        ],
    }
    diff = diff_articles(old, new)
    got = sorted((c.field, c.kind, c.category) for c in diff.changes)
    assert got == sorted(
        [
            ("headline", "edit", "headline"),
            ("byline", "edit", "byline"),
            ("published", "edit", "dates"),
            ("body", "edit", "edit"),
            ("body", "edit", "move"),
            ("body", "delete", "deletion"),
            ("body", "insert", "addition"),
            ("body", "insert", "correction"),
        ]
    ), diff.changes
    byline = next(c for c in diff.changes if c.field == "byline")
    assert (byline.words_added, byline.words_removed) == (2, 0)
    assert apply_diff(old, diff.changes)["body"] == new["body"]


def test_a_paragraph_moved_and_lightly_edited_is_one_move_with_word_marks():
    paragraphs = [
        f"Paragraph {n} tells of the talks between officials and the envoy in detail." for n in "ABCDE"
    ]
    moved = [*paragraphs[1:], paragraphs[0].replace("in detail", "at length")]
    diff = diff_articles({"body": paragraphs}, {"body": moved})
    (change,) = diff.changes
    assert (change.kind, change.category, change.old_index, change.new_index) == ("edit", "move", 0, 4)
    assert ("insert", "at length.") in [tuple(op) for op in change.words]
    assert "paragraph 5 edited" in diff.summary and "1 paragraph moved" in diff.summary


def test_a_diff_that_does_not_fit_is_refused():
    from monitor.diffing.engine import DiffDoesNotApply

    change = Change(field="body", kind="delete", category="deletion", before="Not there.", old_index=0)
    try:
        apply_diff({"body": ["Something else entirely."]}, [change])
    except DiffDoesNotApply as exc:
        assert "paragraph 1" in str(exc)
    else:
        raise AssertionError("a mismatched diff applied")


@settings(max_examples=200, deadline=None)
@given(data=st.data(), old=article)
def test_diff_rows_read_both_versions_in_order(data, old):
    from monitor.diffing.view import body_rows, fold_unchanged

    new = data.draw(edited(old))
    rows = body_rows(old["body"], new["body"], diff_articles(old, new))
    # Reading the rows top to bottom gives the new article on one side and the old on the other.
    # (A row of a split, merge or reflow may have one side only.)
    assert [r.after for r in rows if r.kind not in ("delete", "move_from") and r.new_number] == new["body"]
    assert [r.old_number for r in rows if r.kind not in ("insert", "move_to") and r.old_number] == list(
        range(1, len(old["body"]) + 1)
    )
    assert [r.new_number for r in rows if r.kind not in ("delete", "move_from") and r.new_number] == list(
        range(1, len(new["body"]) + 1)
    )
    assert all(r.before is not None or r.after is not None for r in rows)
    assert [r for g in fold_unchanged(rows) for r in g.rows] == rows


@settings(max_examples=200, deadline=None)
@given(data=st.data(), paragraphs=st.lists(paragraph, min_size=1, max_size=8))
def test_a_split_or_a_merge_is_one_change_with_no_words_added_or_removed(data, paragraphs):
    assume(len({comparison_key(p) for p in paragraphs}) == len(paragraphs))
    new = list(paragraphs)
    k = data.draw(st.integers(0, len(new) - 1))
    if data.draw(st.booleans()):
        parts = _split(new[k], data.draw(st.integers(1, 3)))
        assume(len(parts) == 2)
        new[k : k + 1] = parts
        expected = ("split", [k], [k, k + 1])
    else:
        assume(k + 1 < len(new))
        new[k : k + 2] = [f"{new[k]} {new[k + 1]}"]
        expected = ("merge", [k, k + 1], [k])
    assume(len({comparison_key(p) for p in new}) == len(new))
    old = {"body": paragraphs}
    diff = diff_articles(old, {"body": new})
    assert len(diff.changes) == 1, diff.changes
    (change,) = diff.changes
    assert (change.category, change.old_indexes, change.new_indexes) == expected
    assert change.words_added == change.words_removed == 0
    # The marks hold no words: only the paragraph break that appeared or went away.
    assert all(not text.strip() for op, text in change.words if op != "equal")
    assert apply_diff(old, diff.changes)["body"] == new
    assert apply_diff(old, json.loads(json.dumps([c.to_dict() for c in diff.changes])))["body"] == new


@settings(max_examples=200, deadline=None)
@given(data=st.data(), old=article)
def test_reflow_marks_rebuild_both_sides_paragraph_by_paragraph(data, old):
    from monitor.diffing.engine import REFLOWS
    from monitor.diffing.view import paragraph_words

    new = data.draw(edited(old))
    for change in diff_articles(old, new).changes:
        if change.category not in REFLOWS:
            continue
        news = paragraph_words(change.words, "new")
        olds = paragraph_words(change.words, "old")
        assert ["".join(t for op, t in w if op != "delete") for w in news] == [
            new["body"][j] for j in change.new_indexes
        ]
        assert [canonical_text("".join(t for op, t in w if op != "insert")) for w in olds] == [
            canonical_text(old["body"][i]) for i in change.old_indexes
        ]
