"""A database filled by real checks of the demo news site, through edits of every kind.

Used by the history, search, export, viewer and browser tests (built once per
test session by the ``edited_history`` fixture in conftest.py). The story goes
through five versions; ``EXPECTED`` says what each one changed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from monitor.demo.site import NewsSite
from monitor.demo.stories import SEED_PARAGRAPHS, generated_story

SLUG = "russia-afghan-peace-conference"
OTHER_SLUG = "story-7"

# Article text is untrusted: this paragraph must show as text everywhere, never run.
HOSTILE = (
    'Officials shared <script>document.title="pwned";window.__pwned=1</script> and '
    '"><img src=x onerror="window.__pwned=2"> with <a href="javascript:alert(1)">a link</a> '
    "and javascript:alert(1) in it."
)
# Paragraph 6 of the seed story: deleted in version 3, restored in version 5.
REMOVED_PARAGRAPH = SEED_PARAGRAPHS[5]
REMOVED_PHRASE = "reduce the level of violence"

# (field, kind, category) of each version's changes against the one before.
EXPECTED: dict[int, set[tuple[str, str, str]]] = {
    2: {
        ("headline", "edit", "headline"),
        ("body", "edit", "edit"),
        ("body", "insert", "addition"),
        ("modified", "edit", "dates"),
    },
    3: {
        ("byline", "edit", "byline"),
        ("body", "delete", "deletion"),
        ("modified", "edit", "dates"),
    },
    4: {
        ("body", "edit", "move"),
        ("body", "insert", "correction"),
    },
    5: {
        ("body", "insert", "addition"),
        ("published", "edit", "dates"),
    },
}


@dataclass
class EditedHistory:
    """The finished database and what was done to the story."""

    db: Path
    config: Path
    url: str
    other_url: str


def build(workspace, snapshot_dir: Path) -> EditedHistory:
    """Watch two stories, check, edit the seed story four times (checking after each), keep the database."""
    site = NewsSite([*NewsSite().stories.values(), generated_story(7)], seed=3)
    site.start()
    try:
        url, other_url = site.url(SLUG), site.url(OTHER_SLUG)
        workspace.run("add", url, "--label", "ap")
        workspace.run("add", other_url)
        workspace.run("check")
        story = site.stories[SLUG]

        # Version 2: headline rewritten, paragraph 3 edited, the hostile paragraph added.
        site.edit(SLUG, "headline")
        site.edit(SLUG, "edit_paragraph", index=2)
        site.edit(SLUG, "insert_paragraph", index=4, text=HOSTILE)
        story.modified = "2021-03-18T12:00:00+00:00"
        _check(workspace, url, 2)

        # Version 3: a paragraph removed and a second author credited.
        site.edit(SLUG, "delete_paragraph", index=story.paragraphs.index(REMOVED_PARAGRAPH))
        site.edit(SLUG, "byline")
        story.modified = "2021-03-18T15:00:00+00:00"
        _check(workspace, url, 3)

        # Version 4: paragraph 2 moved to the end, then a correction appended.
        site.edit(SLUG, "move_paragraph", index=1)
        site.edit(SLUG, "correction")
        story.modified = "2021-03-18T15:00:00+00:00"
        _check(workspace, url, 4)

        # Version 5: the removed paragraph comes back; the publication date is corrected.
        site.edit(SLUG, "insert_paragraph", index=5, text=REMOVED_PARAGRAPH)
        story.published = "2021-03-19T09:14:00+00:00"
        story.modified = "2021-03-18T15:00:00+00:00"
        _check(workspace, url, 5)
    finally:
        site.stop()
    # Every CLI process has exited, so the write-ahead log is folded into the file.
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    db = snapshot_dir / "edited.db"
    shutil.copy(workspace.db, db)
    return EditedHistory(db=db, config=workspace.config, url=url, other_url=other_url)


def _check(workspace, url: str, version: int) -> None:
    out = workspace.run("check", url).stdout.strip()
    assert f"new version {version}" in out, out
