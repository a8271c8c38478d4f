"""Newsroom edits replayed through editwatch: recall, false versions and word agreement of the diffs.

Serves the stories of :mod:`benchmarks.revision_stories` on a loopback news site
(:class:`monitor.demo.site.NewsSite`: chrome that changes on every request, in six
templates), watches each with ``editwatch add``, then at each step serves every
story's next revision and runs ``editwatch check``, as a user's cron would. At the
end it reads every stored version's diff with ``editwatch diff --format json`` and
compares it with what was served (see :mod:`benchmarks.revision_scoring` for how
each figure is defined):

- **recall**: versions stored / distinct versions served;
- **false versions**: versions stored where no distinct version was served
  (chrome only, or the same article as Latin-1 bytes under a UTF-8 header);
- **word agreement**: mean F1 of the words each stored diff reports added and
  removed against the words that really changed between the served texts.

The same figures are printed per edit kind, then every missed version, every false
version and every diff that disagrees, with editwatch's own report of the check.
Only 127.0.0.1 is contacted. Prints figures; asserts nothing.

    python benchmarks/revisions.py [--stories 7] [--seed 1] [--markdown | --json]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.revision_report import render
from benchmarks.revision_scoring import CheckScore, score_story
from benchmarks.revision_stories import STORIES, UNCHANGED, Revision, RevisionStory
from benchmarks.support import PYTHON, ROOT, editwatch_env
from monitor.demo.site import NewsSite
from monitor.demo.stories import Story
from monitor.demo.templates import TEMPLATES

CONFIG = "[fetch]\ndelay_seconds = 0\nper_domain = 8\nretries = 0\ntimeout_seconds = 10\n"
_CHECK_LINE = re.compile(r"^(\d+) (\S+): (.*)$")
_NEW_VERSION = re.compile(r"\bnew version (\d+)\b")
_BYLINE = re.compile(r'(<div class="byline">.*?</div>)')


class RevisionSite(NewsSite):
    """The demo news site, plus a stamp inside the article and pages served in the wrong charset.

    A story with ``extra["stamp"]`` shows "Published: … Updated N minutes ago" under
    its byline, N new on every request; one with ``extra["charset"] == "latin-1"`` is
    served as Latin-1 bytes under its usual ``charset=utf-8`` header, so characters
    Latin-1 lacks (curly quotes, dashes) become "?".
    """

    def _page(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        status, ctype, payload, extra = super()._page(path, headers)
        story = self.stories.get(path.split("?", 1)[0].strip("/"))
        if story is None or status != 200:
            return status, ctype, payload, extra
        if story.extra.get("stamp"):
            stamp = (
                f'<p class="updated">Published: November 30, 2026 at 9:00 a.m. · '
                f"Updated {self.rng.randint(1, 59)} minutes ago</p>"
            )
            payload = _BYLINE.sub(lambda m: m.group(1) + stamp, payload.decode("utf-8"), count=1).encode()
        if story.extra.get("charset") == "latin-1":
            payload = payload.decode("utf-8").encode("latin-1", errors="replace")
        return status, ctype, payload, extra


def stories_for(count: int) -> list[RevisionStory]:
    """``count`` stories: the benchmark's own, then again in the next template, and so on."""
    chosen = []
    for n in range(count):
        base, copy = STORIES[n % len(STORIES)], n // len(STORIES)
        if copy:
            template = TEMPLATES[(TEMPLATES.index(base.template) + copy) % len(TEMPLATES)]
            base = replace(base, slug=f"{base.slug}-{copy + 1}", template=template)
        chosen.append(base)
    return chosen


def served_at(story: RevisionStory, step: int) -> Revision:
    """What a story serves at a step: its revision, or its last article again once they run out."""
    if step < len(story.revisions):
        return story.revisions[step]
    return Revision(UNCHANGED, story.revisions[-1].article)


def _serve(site: NewsSite, story: RevisionStory, step: int) -> None:
    revision = served_at(story, step)
    article = revision.article
    with site.lock:
        page = site.stories[story.slug]
        if step and article != served_at(story, step - 1).article:
            page.modified = f"2026-11-30T{10 + step:02d}:{(7 * step) % 60:02d}:00+00:00"
        page.headline, page.byline, page.paragraphs = (
            article.headline,
            list(article.byline),
            list(article.paragraphs),
        )
        page.extra["charset"] = revision.charset
        page.revision += 1


def _demo_story(story: RevisionStory) -> Story:
    first = story.revisions[0].article
    page = Story(
        slug=story.slug, headline=first.headline, byline=list(first.byline), published=story.published,
        paragraphs=list(first.paragraphs), template=story.template,
    )  # fmt: skip
    # The "stale" template's JSON-LD keeps the body as first published, as such CMSs do.
    page.extra.update(stamp=story.stamp, original_paragraphs=list(first.paragraphs))
    return page


class Workspace:
    """A directory with a real SQLite database and a config; runs the ``editwatch`` CLI in it."""

    def __init__(self, path: Path):
        self.path = path
        (path / "editwatch.toml").write_text(CONFIG)
        self.env = {**editwatch_env(path / "editwatch.db"), "EDITWATCH_CONFIG": str(path / "editwatch.toml")}

    def run(self, *args: str) -> str:
        """``editwatch ARGS``'s standard output (raises with its standard error if it failed)."""
        proc = subprocess.run(
            [PYTHON, "-m", "monitor", *args], cwd=self.path, env=self.env, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        if proc.returncode:
            raise RuntimeError(f"editwatch {' '.join(args)} exited {proc.returncode}: {proc.stderr[-800:]}")
        return proc.stdout


def replay(stories: list[RevisionStory], seed: int, work: Path, progress=print) -> list[CheckScore]:
    """Serve every story's revisions, check after each step, and score what editwatch stored."""
    site = RevisionSite([_demo_story(s) for s in stories], seed=seed)
    site.start()
    ws = Workspace(work)
    try:
        for story in stories:
            ws.run("add", site.url(story.slug))
        ids = {w["url"].rsplit("/", 1)[-1]: w["id"] for w in json.loads(ws.run("list", "--json"))}
        slug_of = {watch_id: slug for slug, watch_id in ids.items()}
        steps = max(len(s.revisions) for s in stories) + 1  # and once more unchanged
        stored: dict[str, list[int | None]] = {s.slug: [None] * steps for s in stories}
        outcomes: dict[str, list[str]] = {s.slug: [""] * steps for s in stories}
        for step in range(steps):
            for story in stories:
                _serve(site, story, step)
            for line in ws.run("check").splitlines():
                match = _CHECK_LINE.match(line)
                if not match or int(match[1]) not in slug_of:
                    continue
                slug = slug_of[int(match[1])]
                outcomes[slug][step] = match[3]
                number = _NEW_VERSION.search(match[3])
                stored[slug][step] = int(number[1]) if number else None
            progress(f"step {step + 1}/{steps} checked")
    finally:
        site.stop()
    scores = []
    for story in stories:
        watch_id = str(ids[story.slug])
        versions = [
            e["version"] for e in json.loads(ws.run("history", watch_id, "--json")) if e["event"] == "version"
        ]
        diffs = {
            n: json.loads(ws.run("diff", watch_id, "--from", str(n - 1), "--to", str(n), "--format", "json"))
            for n in versions
            if n > 1
        }
        served = [
            (
                r.kind,
                {"headline": r.article.headline, "byline": r.article.byline, "body": r.article.paragraphs},
                r.changes,
            )
            for r in (served_at(story, step) for step in range(steps))
        ]
        scores.extend(score_story(story.slug, served, stored[story.slug], diffs, outcomes[story.slug]))
    return scores


def commit() -> str:
    """The commit measured (with ``+changes`` when the work tree differs from it)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)  # fmt: skip
    except OSError:
        return "unknown"
    return head.stdout.strip() + (" +changes" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stories", type=int, default=len(STORIES), help="stories to replay (more: again in other templates)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the site's chrome")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true", help="print Markdown tables")
    form.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    if args.stories < 1:
        parser.error("--stories must be at least 1")
    stories = stories_for(args.stories)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="editwatch-revisions-") as work:
        quiet = args.json or args.markdown
        scores = replay(stories, args.seed, Path(work), progress=(lambda _: None) if quiet else print)
    elapsed = time.perf_counter() - started
    print(
        render(
            scores,
            stories,
            commit(),
            elapsed,
            "json" if args.json else "markdown" if args.markdown else "text",
        )
    )


if __name__ == "__main__":
    main()
