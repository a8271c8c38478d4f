"""A local news site of 200 articles: chrome changes on every request, only real edits make versions."""

from __future__ import annotations

import json

import pytest

from monitor.demo.newsroom import EDIT_FIELDS
from monitor.demo.site import EDIT_KINDS, NewsSite

ARTICLES = 200


@pytest.fixture(scope="module")
def big_site():
    site = NewsSite.generated(ARTICLES, seed=7)
    site.start()
    yield site
    site.stop()


def _outcomes(stdout: str) -> dict[str, str]:
    """URL → outcome from `editwatch check` output lines (`ID URL: outcome`)."""
    result = {}
    for line in stdout.splitlines():
        head, _, outcome = line.partition(": ")
        result[head.split(" ", 1)[1]] = outcome
    return result


def test_only_edited_articles_get_exactly_one_new_version(workspace, big_site):
    urls = [big_site.url(slug) for slug in big_site.stories]
    (workspace.path / "urls.txt").write_text("\n".join(urls) + "\n")
    assert "imported 200 new watches" in workspace.run("import", "urls.txt").stdout

    first = _outcomes(workspace.run("check", timeout=300).stdout)
    assert len(first) == ARTICLES and set(first.values()) == {"new version 1"}

    # Again with nothing edited: the chrome changed on every request, the articles did not.
    again = _outcomes(workspace.run("check", timeout=300).stdout)
    assert set(again.values()) == {"unchanged"}, {u: o for u, o in again.items() if o != "unchanged"}

    slugs = list(big_site.stories)
    edited = {}
    for n, kind in enumerate(EDIT_KINDS):
        for slug in slugs[n * 5 : n * 5 + 3]:
            big_site.edit(slug, kind)
            edited[big_site.url(slug)] = kind

    after = _outcomes(workspace.run("check", timeout=300).stdout)
    changed = {u for u, o in after.items() if o.startswith("new version")}
    assert changed == set(edited)
    assert all(after[u].startswith("new version 2") for u in changed)

    listed = {w["url"]: w for w in json.loads(workspace.run("list", "--json").stdout)}
    diffs = workspace.run_all([["diff", str(listed[url]["id"]), "--format", "json"] for url in edited])
    for kind, out in zip(edited.values(), diffs, strict=True):
        diff = json.loads(out)
        assert EDIT_FIELDS[kind] in {c["field"] for c in diff["changes"]}, (kind, diff)
    unedited = [w for u, w in listed.items() if u not in edited]
    assert all(w["versions"] == 1 for w in unedited)
