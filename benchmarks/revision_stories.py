"""Revision histories for ``benchmarks/revisions.py``: news stories edited the way newsrooms edit them.

Each :class:`RevisionStory` is a sequence of :class:`Revision` states, one per check:
what the site serves at that check. A revision whose article equals the one before
is not a new version (served again with fresh chrome, or served in the wrong
character set); every other revision is. The places, people and events are
invented; the editing is copied from real revision histories: a breaking story
rewritten from a few paragraphs to dozens under a new headline and byline,
contributor lines, corrections and editor's notes appended, quotes reordered and
softened, paragraphs split and merged, headlines A/B tested, a page served as
Latin-1 bytes under a UTF-8 header, and short real paragraphs edited.

The stories' prose lives in :mod:`benchmarks.revision_texts`; this module says how
each one is edited.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from benchmarks import revision_texts as t
from benchmarks.revision_scoring import Word, word_changes, words

# The edits a story goes through; ``NOT_A_VERSION`` ones serve the same article again.
FIRST = "first publication"
UNCHANGED = "unchanged (chrome only)"
WRONG_CHARSET = "wrong charset"
CHARSET_RECOVERED = "charset recovered"
NOT_A_VERSION = (UNCHANGED, WRONG_CHARSET, CHARSET_RECOVERED)


@dataclass(frozen=True)
class Article:
    """What a reader sees of a story: headline, byline and body paragraphs."""

    headline: str
    byline: tuple[str, ...]
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Revision:
    """The story as served at one check: the edit that made it, the article, the bytes' charset.

    ``changes`` are the words the edit really changed, ``(field, "+" or "-", word)``
    (see :mod:`benchmarks.revision_scoring`).
    """

    kind: str
    article: Article
    charset: str = "utf-8"  # "latin-1": Latin-1 bytes under a charset=utf-8 header
    changes: Counter[Word] = field(default_factory=Counter, compare=False)


@dataclass(frozen=True)
class RevisionStory:
    """One watched story and what it serves at each check.

    ``stamp`` adds a "Published: … Updated N minutes ago" line inside the article
    container that changes on every fetch (the ``inline`` template has its own).
    """

    slug: str
    template: str
    published: str
    revisions: tuple[Revision, ...]
    stamp: bool = False


# An edit: the article before -> the article after, and the words it really changed.
Edit = Callable[[Article], tuple[Article, Counter[Word]]]


def history(first: Article, *edits: tuple[str, Edit | None]) -> tuple[Revision, ...]:
    """The revisions from ``first`` through ``(kind, edit)`` steps; an edit of ``None`` serves it again."""
    revisions = [Revision(FIRST, first)]
    for kind, edit in edits:
        article = revisions[-1].article
        charset = "latin-1" if kind == WRONG_CHARSET else "utf-8"
        after, changes = edit(article) if edit else (article, Counter())
        revisions.append(Revision(kind, after, charset, changes))
    return tuple(revisions)


# -- edits: each names its paragraph by a piece of its text, and says which words changed --


def _find(article: Article, text: str) -> int:
    """The index of the one paragraph containing ``text``."""
    found = [k for k, p in enumerate(article.paragraphs) if text in p]
    if len(found) != 1:
        raise ValueError(f"{len(found)} paragraphs contain {text!r}")
    return found[0]


def _body(article: Article, body: list[str]) -> Article:
    return replace(article, paragraphs=tuple(body))


def _added(name: str, *texts: str) -> Counter[Word]:
    return Counter((name, "+", w) for text in texts for w in words(text))


def append(*texts: str) -> Edit:
    """Paragraphs added at the end (a contributor line, a correction, an editor's note)."""
    return lambda a: (_body(a, [*a.paragraphs, *texts]), _added("body", *texts))


def insert_after(anchor: str, *texts: str) -> Edit:
    """Paragraphs added after the one containing ``anchor``."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        k = _find(a, anchor) + 1
        return _body(a, [*a.paragraphs[:k], *texts, *a.paragraphs[k:]]), _added("body", *texts)

    return edit


def reword(old: str, new: str) -> Edit:
    """``old`` replaced by ``new`` in the one paragraph containing it."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        body = list(a.paragraphs)
        k = _find(a, old)
        body[k] = body[k].replace(old, new)
        return _body(a, body), word_changes("body", words(a.paragraphs[k]), words(body[k]))

    return edit


def swap(first: str, second: str) -> Edit:
    """The paragraphs containing ``first`` and ``second`` trade places (quotes reordered): no word changes."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        i, j = _find(a, first), _find(a, second)
        body = list(a.paragraphs)
        body[i], body[j] = body[j], body[i]
        return _body(a, body), Counter()

    return edit


def split(before: str) -> Edit:
    """The paragraph containing ``before`` split in two where it begins: no word changes."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        k = _find(a, before)
        text = a.paragraphs[k]
        at = text.index(before)
        body = list(a.paragraphs)
        body[k : k + 1] = [text[:at].rstrip(), text[at:]]
        return _body(a, body), Counter()

    return edit


def merge(anchor: str) -> Edit:
    """The paragraph containing ``anchor`` and the next one joined into one: no word changes."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        k = _find(a, anchor)
        body = list(a.paragraphs)
        body[k : k + 2] = [f"{body[k]} {body[k + 1]}"]
        return _body(a, body), Counter()

    return edit


def move_sentence(sentence: str) -> Edit:
    """A paragraph's last sentence moved to the start of the next paragraph: no word changes."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        k = _find(a, sentence)
        body = list(a.paragraphs)
        if not body[k].endswith(sentence):
            raise ValueError(f"paragraph {k} does not end with {sentence!r}")
        body[k] = body[k][: -len(sentence)].rstrip()
        body[k + 1] = f"{sentence} {body[k + 1]}"
        return _body(a, body), Counter()

    return edit


def headline(text: str) -> Edit:
    """A new headline (its words that stayed, in whatever order, are not changes)."""
    return lambda a: (replace(a, headline=text), word_changes("headline", words(a.headline), words(text)))


def byline(*names: str) -> Edit:
    """A new byline."""
    return lambda a: (
        replace(a, byline=names),
        word_changes("byline", [w for n in a.byline for w in words(n)], [w for n in names for w in words(n)]),
    )


def rewrite(text: str, names: tuple[str, ...], paragraphs: tuple[str, ...]) -> Edit:
    """The story rewritten wholesale under a new headline and byline.

    Every paragraph not kept word for word was replaced: all its words removed,
    all the new one's added.
    """

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        after = Article(text, names, paragraphs)
        _, changes = both(headline(text), byline(*names))(a)
        kept = Counter(a.paragraphs) & Counter(paragraphs)
        for p in (Counter(a.paragraphs) - kept).elements():
            changes.update(("body", "-", w) for w in words(p))
        changes.update(_added("body", *(Counter(paragraphs) - kept).elements()))
        return after, changes

    return edit


def both(*edits: Edit) -> Edit:
    """Several edits published at once."""

    def edit(a: Article) -> tuple[Article, Counter[Word]]:
        changes: Counter[Word] = Counter()
        for one in edits:
            a, more = one(a)
            changes.update(more)
        return a, changes

    return edit


# -- the stories ----------------------------------------------------------------

STORIES: tuple[RevisionStory, ...] = (
    RevisionStory(
        slug="eastbrook-bridge-collapse",
        template="inline",
        published="2026-11-30T14:05:00+00:00",
        revisions=history(
            Article(t.BRIDGE_HEADLINE_1, ("Dana Whitfield",), t.BRIDGE_1),
            ("short paragraph added", insert_after("Police asked drivers", t.BRIDGE_VIDEO)),
            (UNCHANGED, None),
            ("rewrite", rewrite(t.BRIDGE_HEADLINE_2, ("Dana Whitfield", "Marcus Oyelaran"), t.BRIDGE_2)),
            ("short paragraph edited", reword(t.BRIDGE_VIDEO, t.BRIDGE_VIDEO_EDITED)),
            (
                "rewrite",
                rewrite(
                    t.BRIDGE_HEADLINE_3, ("Marcus Oyelaran", "Helen Castellanos", "Tom Birkett"), t.BRIDGE_3
                ),
            ),
            ("contributor line", append("Reuters contributed reporting.")),
            ("correction", both(reword("built in 1961", "built in 1964"), append(t.BRIDGE_CORRECTION))),
            (UNCHANGED, None),
        ),
    ),
    RevisionStory(
        slug="storm-power-outages-valley",
        template="station",
        published="2026-11-29T06:40:00+00:00",
        revisions=history(
            Article(t.STORM_HEADLINE_1, ("Priya Raman",), t.STORM_1),
            (UNCHANGED, None),
            ("paragraphs added", insert_after("canceled classes", *t.STORM_ADDED)),
            ("rewrite", rewrite(t.STORM_HEADLINE_2, ("Priya Raman", "Owen Delacroix"), t.STORM_2)),
            ("quote softened", reword(t.STORM_QUOTE, t.STORM_QUOTE_SOFTENED)),
            ("editor's note", append(t.STORM_NOTE)),
            (UNCHANGED, None),
        ),
    ),
    RevisionStory(
        slug="council-budget-vote-library-cuts",
        template="paper",
        published="2026-11-30T09:00:00+00:00",
        stamp=True,
        revisions=history(
            Article(t.COUNCIL_HEADLINE, ("Grace Nakamura",), t.COUNCIL),
            ("quotes reordered", swap("Rosa Delgado", "Nobody up here")),
            (UNCHANGED, None),
            ("quote softened", reword(t.COUNCIL_QUOTE, t.COUNCIL_QUOTE_SOFTENED)),
            ("byline changed", byline("Grace Nakamura", "Elliot Marsh")),
            ("editor's note", append(t.COUNCIL_NOTE)),
            ("contributor line", append("Elliot Marsh contributed reporting from City Hall.")),
            ("short paragraph edited", reword("voted 7-2", "voted 6-3")),
        ),
    ),
    RevisionStory(
        slug="appeals-court-halts-quarry-expansion",
        template="graph",
        published="2026-11-28T16:20:00+00:00",
        revisions=history(
            Article(t.COURT_HEADLINE, ("Samuel Adeyemi",), t.COURT),
            ("paragraph split", split(t.COURT_SPLIT_AT)),
            (UNCHANGED, None),
            ("paragraphs merged", merge("disappointed by the ruling")),
            ("sentence moved to next paragraph", move_sentence(t.COURT_MOVED_SENTENCE)),
            (
                "paragraph split",
                both(split(t.COURT_SPLIT_2_AT), reword("is expected to take", "is likely to take")),
            ),
            ("short paragraph edited", reword("on March 12", "on March 21")),
            (
                "paragraphs merged",
                both(merge("three-judge panel"), reword("a new review", "a new environmental review")),
            ),
        ),
    ),
    RevisionStory(
        slug="harborline-foods-cuts-jobs",
        template="modern",
        published="2026-11-30T11:30:00+00:00",
        revisions=history(
            Article(t.FOODS_HEADLINE_A, ("Nora Lindqvist",), t.FOODS),
            ("headline A/B test", headline(t.FOODS_HEADLINE_B)),
            ("headline A/B test", headline(t.FOODS_HEADLINE_A)),
            ("headline A/B test", headline(t.FOODS_HEADLINE_B)),
            ("short paragraph edited", reword("Shares fell 3%", "Shares fell 5%")),
            ("headline A/B test", headline(t.FOODS_HEADLINE_A)),
            (UNCHANGED, None),
            ("contributor line", append("Bloomberg contributed reporting.")),
        ),
    ),
    RevisionStory(
        slug="jose-alvarez-gallery-reopens",
        template="stale",
        published="2026-11-27T08:15:00+00:00",
        revisions=history(
            Article(t.GALLERY_HEADLINE, ("Inés Müller",), t.GALLERY),
            ("paragraphs added", insert_after("About 4,000 visitors", t.GALLERY_ADDED)),
            (WRONG_CHARSET, None),
            (WRONG_CHARSET, None),
            (CHARSET_RECOVERED, None),
            ("quote softened", reword(t.GALLERY_QUOTE, t.GALLERY_QUOTE_SOFTENED)),
            (UNCHANGED, None),
            ("correction", both(reword("Zürich in 1987", "Zürich in 1978"), append(t.GALLERY_CORRECTION))),
        ),
    ),
    RevisionStory(
        slug="text-scam-bank-customers-warning",
        template="station",
        published="2026-11-30T13:10:00+00:00",
        stamp=True,
        revisions=history(
            Article(t.SCAM_HEADLINE, ("Rafael Ortiz",), t.SCAM),
            ("byline changed", byline("Rafael Ortiz", "Keisha Brown")),
            ("short paragraph edited", reword("rose 14%", "rose 16%")),
            (UNCHANGED, None),
            ("paragraphs added", insert_after("call their bank immediately", *t.SCAM_ADDED)),
            ("correction", both(reword("since Tuesday", "since Monday"), append(t.SCAM_CORRECTION))),
            ("quotes reordered", swap("We will never ask", "These messages look real")),
            (WRONG_CHARSET, None),
            (WRONG_CHARSET, None),
            (CHARSET_RECOVERED, None),
        ),
    ),
)
