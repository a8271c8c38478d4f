"""Printing the revision benchmark's figures: plain text, Markdown tables or one JSON document."""

from __future__ import annotations

import json
from collections.abc import Sequence

from benchmarks.revision_scoring import CheckScore, Tally, tally
from benchmarks.revision_stories import RevisionStory

_COLUMNS = ("checks", "served", "stored", "recall", "false", "agreement (diffs)")


def render(
    scores: Sequence[CheckScore], stories: Sequence[RevisionStory], commit: str, seconds: float, form: str
) -> str:
    """The report in ``form``: ``text``, ``markdown`` or ``json``."""
    overall, by_kind = tally(scores)
    by_story = {s.slug: tally([c for c in scores if c.story == s.slug])[0] for s in stories}
    templates = {s.slug: s.template for s in stories}
    if form == "json":
        return json.dumps(
            {
                "commit": commit,
                "stories": len(stories),
                "seconds": round(seconds, 1),
                "overall": overall.to_dict(),
                "by_kind": {kind: t.to_dict() for kind, t in by_kind.items()},
                "by_story": {
                    slug: {"template": templates[slug], **t.to_dict()} for slug, t in by_story.items()
                },
                "checks": [_check_dict(c) for c in scores],
            },
            indent=2,
        )
    markdown = form == "markdown"
    lines = [
        f"{len(stories)} stories, {overall.checks} checks, commit {commit}, {seconds:.0f} s",
        "",
        *_headline_figures(overall, markdown),
        "",
        *_table("edit kind", [(kind, t) for kind, t in by_kind.items()], markdown),
        "",
        *_table(
            "story (template)", [(f"{slug} ({templates[slug]})", t) for slug, t in by_story.items()], markdown
        ),
        "",
        *_problems(scores, markdown),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _headline_figures(overall: Tally, markdown: bool) -> list[str]:
    rows = [
        ("recall (versions stored / distinct versions served)",
         f"{_fmt(overall.recall)} ({overall.stored}/{overall.served})"),
        ("false versions (stored where no distinct version was served)", str(overall.false)),
        ("word agreement (mean F1 of each diff's changed words)",
         f"{_fmt(overall.mean_agreement)} (over {len(overall.agreements)} diffs)"),
    ]  # fmt: skip
    if markdown:
        return ["| figure | value |", "| --- | --- |", *(f"| {name} | **{value}** |" for name, value in rows)]
    return [f"{name:64} {value}" for name, value in rows]


def _table(first: str, rows: list[tuple[str, Tally]], markdown: bool) -> list[str]:
    cells = [
        (name, str(t.checks), str(t.served), str(t.stored), _fmt(t.recall), str(t.false),
         f"{_fmt(t.mean_agreement)} ({len(t.agreements)})" if t.agreements else "–")
        for name, t in rows
    ]  # fmt: skip
    header = (first, *_COLUMNS)
    if markdown:
        return [
            "| " + " | ".join(header) + " |",
            "| --- |" + " ---: |" * len(_COLUMNS),
            *("| " + " | ".join(row) + " |" for row in cells),
        ]
    width = max(len(first), *(len(row[0]) for row in cells))
    out = [f"{first:{width}}  " + "  ".join(f"{h:>8}" for h in _COLUMNS)]
    out.extend(f"{row[0]:{width}}  " + "  ".join(f"{cell:>8}" for cell in row[1:]) for row in cells)
    return out


def _problems(scores: Sequence[CheckScore], markdown: bool) -> list[str]:
    """Every missed version, false version and disagreeing diff, with editwatch's report of the check."""
    bullet = "- " if markdown else "  "
    missed = [c for c in scores if c.distinct and c.stored is None]
    false = [c for c in scores if not c.distinct and c.stored is not None]
    wrong = [c for c in scores if c.agreement is not None and c.agreement < 1]
    out: list[str] = []
    for title, group, describe in (
        ("missed versions", missed, lambda c: c.outcome or "no report"),
        ("false versions", false, lambda c: c.outcome),
        ("diffs that disagree with the served texts", wrong, _disagreement),
    ):
        out.append(f"{title}: {len(group)}")
        out.extend(f"{bullet}{c.story} check {c.step + 1} ({c.kind}): {describe(c)}" for c in group)
        out.append("")
    return out


def _disagreement(score: CheckScore) -> str:
    extra = score.reported - score.truth
    missing = score.truth - score.reported
    return (
        f"{_fmt(score.agreement)}: reported {sum(score.reported.values())} changed words, "
        f"{sum(score.truth.values())} really changed; "
        f"not really changed: {_sample(extra)}; not reported: {_sample(missing)}"
    )


def _sample(words, limit: int = 8) -> str:
    items = [f"{field}{sign}{word}" for (field, sign, word), n in words.most_common(limit) for _ in range(1)]
    total = sum(words.values())
    if not items:
        return "none"
    return " ".join(items) + (f" … ({total} in all)" if total > len(items) else "")


def _check_dict(score: CheckScore) -> dict:
    return {
        "story": score.story,
        "check": score.step + 1,
        "kind": score.kind,
        "distinct": score.distinct,
        "stored_version": score.stored,
        "agreement": score.agreement,
        "outcome": score.outcome,
        "words_reported": sum(score.reported.values()),
        "words_changed": sum(score.truth.values()),
    }


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
