"""Text inside the article container is dropped only with evidence: a label, a dateline read into the
date fields, a block the site repeats on other articles, or one that changes on every fetch."""

from __future__ import annotations

import json

import pytest

from crawler.extraction import extract_article
from crawler.extraction.chrome import SiteChrome, block_shape
from monitor.demo.site import NewsSite

STORY = [
    "The city council voted on Tuesday to approve a new budget that raises spending on schools, roads and parks.",
    "The plan passed by six votes to three after a debate that ran past midnight, according to the minutes.",
    "Opponents said the tax increase would hurt small businesses already struggling with higher rents.",
    "The mayor, who proposed the budget in March, called the vote a turning point for the city's finances.",
    "Residents who spoke at the meeting were divided, with some praising the investment and others the taxes.",
]


def page(paragraphs: list[str], *, headline: str = "Council approves budget", byline: str = "Jane Roe",
         published_meta: bool = False, before: str = "") -> str:  # fmt: skip
    """An article page without JSON-LD; ``before`` is markup inside the container, above the story."""
    meta = f'<meta name="author" content="{byline}">'
    if published_meta:
        meta += '<meta property="article:published_time" content="2026-11-30T12:33:00Z">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{headline}</title>{meta}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{headline}</h1><div class='story'>{before}{body}</div></article>"
        "<footer>© Gazette</footer></body></html>"
    )


@pytest.mark.parametrize(
    "shape",
    [
        "Video shows the moment the bridge collapsed into the river.",
        "Share prices fell 3% in early trading.",
        "Credit card fraud rose by a fifth last year.",
        "Source: the ministry said the figures were provisional.",
        "On 12.03.2024 the court ruled against him.",
    ],
)
def test_short_real_paragraphs_that_begin_like_furniture_stay_in_the_body(shape):
    paragraphs = [*STORY[:2], shape, *STORY[2:]]
    article = extract_article(page(paragraphs))
    assert article.body == paragraphs
    assert article.removed == []


def test_a_key_points_list_above_the_story_is_the_story():
    points = "<ul><li>Budget passes six to three</li><li>Taxes rise by two percent</li></ul>"
    article = extract_article(page(STORY, before=points))
    assert article.body == ["Budget passes six to three", "Taxes rise by two percent", *STORY]


def test_bare_labels_go_by_their_vocabulary():
    paragraphs = [*STORY[:2], "Advertisement", "Read more", *STORY[2:], "Share this"]
    article = extract_article(page(paragraphs))
    assert article.body == STORY
    assert [(r.text, r.reason) for r in article.removed] == [
        ("Advertisement", "label"),
        ("Read more", "label"),
        ("Share this", "label"),
    ]


def test_a_dateline_in_the_container_fills_the_dates_and_leaves_the_body():
    stamp = "<p>Published: November 30, 2026 at 12:33 p.m. Updated 1 minute ago</p><p>5 min read</p>"
    article = extract_article(page(STORY, before=stamp))
    assert article.body == STORY
    assert article.published == "2026-11-30T12:33:00"
    assert [r.reason for r in article.removed] == ["dateline", "dateline"]
    assert "published 2026-11-30T12:33:00" in article.removed[0].evidence
    # A better source wins; the dateline is still no paragraph.
    article = extract_article(page(STORY, before="<p>Updated: 01.12.2026, 10:15</p>", published_meta=True))
    assert article.body == STORY
    assert article.published.startswith("2026-11-30") and article.modified == "2026-12-01T10:15:00"


def test_a_block_the_site_repeats_on_other_articles_is_chrome_unless_it_is_most_of_the_article():
    pitch = "Support independent journalism: become a member of the Gazette today."
    paragraphs = [*STORY, pitch]
    shape = block_shape(pitch)
    assert extract_article(page(paragraphs), chrome=SiteChrome({shape: frozenset({1, 2})})).body == paragraphs
    # Seen on three other articles: the site's template. The article's own sighting does not count.
    assert extract_article(
        page(paragraphs), chrome=SiteChrome({shape: frozenset({1, 2, 3})}, watch_id=3)
    ).body == (paragraphs)
    seen = SiteChrome({shape: frozenset({1, 2, 3, 4, 5})})
    article = extract_article(page(paragraphs), chrome=seen.for_watch(5))
    assert article.body == STORY
    assert [(r.reason, r.evidence) for r in article.removed] == [
        ("repeated", "repeated on 4 other articles of the site")
    ]
    # On an article that never showed it, a sentence is news (an editor's note the site also put
    # elsewhere) until a later fetch of it shows it again; a label is chrome at once.
    assert extract_article(page(paragraphs), chrome=seen.for_watch(6)).body == paragraphs
    label = SiteChrome({block_shape("Gazette Plus"): frozenset({1, 2, 3})}, watch_id=6)
    assert extract_article(page([*STORY, "Gazette Plus"]), chrome=label).body == STORY
    # The same story watched at several addresses repeats whole: it is not a template.
    everything = SiteChrome({block_shape(p): frozenset({1, 2, 3}) for p in paragraphs})
    assert extract_article(page(paragraphs), chrome=everything.for_watch(9)).body == paragraphs


# -- learned while crawling a loopback site ------------------------------------------------------


def _stories(count: int) -> list[list[str]]:
    """Distinct stories of one site (numbers alone do not make blocks distinct)."""
    towns = ["Ashford", "Bexley", "Croydon", "Dartford", "Enfield", "Fulham"]
    return [[f"In {towns[n]}, {p[0].lower()}{p[1:]}" for p in STORY] for n in range(count)]


def test_a_block_repeated_across_the_sites_articles_is_learned_dropped_and_explained(workspace):
    pitch = "Support independent journalism: become a member of the Gazette today."
    stories = _stories(4)
    with NewsSite() as site:
        urls = [site.serve(f"story-{n}", page([*s[:3], pitch, *s[3:]])) for n, s in enumerate(stories)]
        (workspace.path / "urls.txt").write_text("".join(u + "\n" for u in urls))
        workspace.run("import", "urls.txt")
        workspace.run("check")  # each article sees the block; no article yet knows it as chrome
        first = json.loads(workspace.run("show", "1", "--json").stdout)
        assert pitch in first["body"]
        # The next check knows it from the three other articles: dropped, and no version for it.
        out = workspace.run("check").stdout
        assert "new version" not in out, out
        shown = json.loads(workspace.run("show", "1", "--json", "--explain").stdout)
        assert {
            "text": pitch,
            "reason": "repeated",
            "evidence": "repeated on 3 other articles of the site",
        } in (shown["removed"])
        explained = workspace.run("extract", urls[0], "--explain").stdout
        assert f"[repeated: repeated on 3 other articles of the site] {pitch}" in explained
        assert pitch not in json.loads(workspace.run("extract", urls[0], "--json").stdout)["body"]
        # A real edit is then reported alone, without the template block.
        edited = [*stories[0][:3], pitch, *stories[0][3:], "The council will meet again next month."]
        site.serve("story-0", page(edited))
        assert "new version 2: 1 paragraph added" in workspace.run("check").stdout
        change = workspace.store().changes.for_watch(1)[-1]
        assert change.summary == "1 paragraph added" and pitch not in json.dumps(change.diff)


def test_a_byline_edit_under_an_in_container_dateline_changes_only_the_byline(workspace):
    stamp = "<p>Published: November 30, 2026 at 12:33 p.m. Updated 1 minute ago</p>"
    with NewsSite() as site:
        url = site.serve("story", page(STORY, before=stamp))
        workspace.run("add", url)
        workspace.run("check")
        shown = json.loads(workspace.run("show", "1", "--json").stdout)
        assert shown["body"] == STORY and shown["published"] == "2026-11-30T12:33:00"
        site.serve(
            "story", page(STORY, before=stamp.replace("1 minute", "9 minutes"), byline="Jane Roe-Smith")
        )
        workspace.run("check")
        diff = json.loads(workspace.run("diff", "1", "--format", "json").stdout)
        assert diff["fields"] in (["byline"], ["byline", "modified"])


def test_a_block_that_changes_on_every_fetch_while_the_article_does_not_makes_no_version(workspace):
    with NewsSite() as site:

        def serve(readers: int) -> str:
            return site.serve("story", page([*STORY[:3], f"{readers:,} people are reading this", *STORY[3:]]))

        url = serve(1234)
        workspace.run("add", url)
        workspace.run("check")
        for readers in (1240, 1312, 977):
            serve(readers)
            assert "unchanged" in workspace.run("check").stdout
        assert workspace.store().versions.count(1) == 1
        explained = workspace.run("show", "1", "--explain").stdout
        assert "[volatile: changes between fetches while the article does not] 1,234 people" in explained
        # A sentence of the story whose number changes is an edit, however often.
        site.serve("story", page([*STORY[:3], "At least 12 people were injured.", *STORY[3:]]))
        workspace.run("check")
        site.serve("story", page([*STORY[:3], "At least 15 people were injured.", *STORY[3:]]))
        assert "new version 3" in workspace.run("check").stdout


def test_the_site_tally_counts_articles_per_block_and_texts_per_article(tmp_path):
    from storage import Store

    with Store(tmp_path / "editwatch.db") as store:
        for watch in (1, 2, 3):
            store.site_blocks.observe("news.example", watch, [("pitch", "same"), (f"own{watch}", "x")])
        store.site_blocks.observe("other.example", 4, [("pitch", "same")])
        store.site_blocks.observe("news.example", 1, [("counter", "a")])
        store.site_blocks.observe("news.example", 1, [("counter", "a")])  # seen again unchanged
        evidence = store.site_blocks.evidence("news.example", 3, 2)
        assert evidence.watches == {"pitch": frozenset({1, 2, 3})} and evidence.changing == frozenset()
        store.site_blocks.observe("news.example", 1, [("counter", "b")])  # its text changed
        assert store.site_blocks.evidence("news.example", 3, 2, ["counter"]).changing == {"counter"}
        assert store.site_blocks.evidence("news.example", 4, 2).watches == {}
