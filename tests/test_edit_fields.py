"""Each edit names exactly the field it edited, on layouts that put the byline and an "Updated …" stamp
inside the article container: the real CLI, a real webhook receiver, the demo site on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from monitor.demo.newsroom import EDIT_FIELDS
from monitor.demo.site import EDIT_KINDS, NewsSite
from monitor.demo.stories import generated_story

# desk: "By NAME" and "Published: … Updated N minutes ago" paragraphs open the body container;
# wire: one "By NAME | Updated HH:MM" line opens it. Both stamps change on every request.
LAYOUTS = ("desk", "wire")


@pytest.fixture
def stamped_site():
    """Every kind of edit once per layout, and one story per layout left alone."""
    stories = [
        generated_story(n, layout)
        for n, layout in enumerate((layout for layout in LAYOUTS for _ in range(len(EDIT_KINDS) + 1)), 1)
    ]
    site = NewsSite(stories, seed=4)
    site.start()
    yield site
    site.stop()


def test_each_edit_lists_only_its_field_in_the_change_and_the_alert(workspace, stamped_site, receiver):
    site = stamped_site
    (workspace.path / "urls.txt").write_text("".join(site.url(slug) + "\n" for slug in site.stories))
    workspace.run("import", "urls.txt")
    workspace.run("alerts", "add", receiver.url, "--on", "edit")
    workspace.run("check")
    workspace.run("check")  # the stamps and the chrome changed; the stories did not

    plan = {}
    for layout in LAYOUTS:
        slugs = [s.slug for s in site.stories.values() if s.template == layout]
        plan.update(zip(slugs, EDIT_KINDS, strict=False))  # the last story of each layout stays unedited
    for slug, kind in plan.items():
        site.edit(slug, kind)
    workspace.run("check")
    workspace.run("alerts", "dispatch")

    watches = {w["url"].rsplit("/", 1)[1]: w for w in json.loads(workspace.run("list", "--json").stdout)}
    assert {slug for slug, w in watches.items() if w["versions"] > 1} == set(plan)  # no chrome-only version
    alerts = {}
    for event in receiver.events:
        alerts.setdefault(event["url"].rsplit("/", 1)[1], []).append(event)
    assert set(alerts) == set(plan)
    store = workspace.store()
    for slug, kind in plan.items():
        layout, field = site.stories[slug].template, EDIT_FIELDS[kind]
        changes = [c for c in store.changes.for_watch(watches[slug]["id"]) if c.event == "edit"]
        assert len(changes) == 1 and len(alerts[slug]) == 1, (layout, kind, changes, alerts[slug])
        for fields in (changes[0].fields, alerts[slug][0]["fields"]):
            # A byline edit names the byline (and at most the modified date), never the body.
            assert field in fields and set(fields) <= {field, "modified"}, (layout, kind, changes[0].summary)
    store.close()
    byline = next(slug for slug, kind in plan.items() if kind == "byline")
    assert alerts[byline][0]["summary"] == "byline changed"


def _page(line: str, headline: str = "Council approves the budget", social: str | None = None) -> str:
    paragraphs = "".join(
        f"<p>The council voted on the city budget for the {n}th time this year, and officials said the "
        "plan would pay for new buses, road repairs and two schools.</p>"
        for n in range(4, 9)
    )
    social_tag = f'<meta property="og:title" content="{social or headline}">'
    return (
        f"<html><head><title>{headline} | City News</title>{social_tag}"
        '<meta property="og:site_name" content="City News"></head><body><main><article>'
        f"<h1>{headline}</h1><div class='content'><p>{line}</p>{paragraphs}</div></article></main></body></html>"
    )


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Ana Ruiz and Tom Berg | Updated 14:05", ["Ana Ruiz", "Tom Berg"]),
        ("By Ana Ruiz", ["Ana Ruiz"]),
        ("By the end of the week, the council had voted twice.", []),
    ],
)
def test_an_unmarked_byline_line_is_the_byline_and_never_the_body(line, byline):
    from crawler.extraction import extract_article

    article = extract_article(_page(line), "http://127.0.0.1/budget")
    assert article.byline == byline
    assert (line in article.body) == (not byline)


def test_a_social_headline_edit_is_named_as_such_when_the_page_headline_stayed():
    from crawler.extraction import comparison_form, extract_article
    from monitor.diffing.apply import apply_diff
    from monitor.diffing.engine import diff_articles

    old, new = (
        comparison_form(extract_article(_page("By Ana Ruiz", social=social), "http://127.0.0.1/budget"))
        for social in (None, "What to know: the council's budget")
    )
    diff = diff_articles(old, new)
    assert diff.fields == ["social_headline"]
    rebuilt = apply_diff(old, diff.changes)
    assert {k: rebuilt[k] for k in ("headline", "social_headline")} == {
        k: new[k] for k in ("headline", "social_headline")
    }
