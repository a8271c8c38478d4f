"""Score article extraction on the development set of real news pages, beside trafilatura.

Run from the repository root::

    python -m benchmarks.extraction            # the table, editwatch beside trafilatura
    python -m benchmarks.extraction --failures # also list the pages each field got wrong

The development set (``../shared/data/extraction-dev`` from the repository root, or
``$EDITWATCH_EXTRACTION_DEV``) holds real pages with curated expectations; see its
README. Body text is scored the way the public article-extraction benchmarks do:
precision and recall of word 4-gram shingles, averaged over pages, F1 from the means.
editwatch is scored on the output of the real ``editwatch extract --json --explain`` run
over every page in one call (which also lists, by reason, the words it removed from
inside the article containers); times are CPU time measured in-process, per page, for both
extractors (from the page bytes to the result; CPU time so that other processes on a
shared machine do not count).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_DATE_SUFFIX = re.compile(r"_\d{4}_\d{2}_\d{2}\.html\.gz$")
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class Case:
    """One page of the development set and what it should yield."""

    path: Path
    url: str | None
    headline: str
    authors: list[str]
    published: str | None
    body: str


@dataclass
class Scores:
    """Per-page results of one extractor."""

    name: str
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    headline: list[bool] = field(default_factory=list)
    byline: list[bool] = field(default_factory=list)
    published: list[bool] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)


def dev_set_path() -> Path | None:
    """Where the development set is, or None when this machine has none."""
    explicit = os.environ.get("EDITWATCH_EXTRACTION_DEV")
    path = Path(explicit) if explicit else ROOT.parent / "shared" / "data" / "extraction-dev"
    return path if (path / "test_data").is_dir() else None


def load_cases(root: Path) -> list[Case]:
    """Every page with its expectations (JSON versions pair with page files in date order)."""
    cases = []
    for expectations in sorted((root / "test_data").glob("*/*.json")):
        folder = expectations.parent
        publisher = expectations.stem
        pages = sorted(
            p for p in folder.glob(f"{publisher}_*.html.gz") if _DATE_SUFFIX.sub("", p.name) == publisher
        )
        versions = list(json.loads(expectations.read_text(encoding="utf-8")).values())
        meta_path = folder / "meta.info"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        for page, expected in zip(pages, versions, strict=False):
            body = expected.get("body") or {}
            parts = list(body.get("summary") or [])
            for section in body.get("sections") or []:
                parts.extend(section.get("headline") or [])
                parts.extend(section.get("paragraphs") or [])
            cases.append(
                Case(
                    path=page,
                    url=(meta.get(page.name) or {}).get("url"),
                    headline=expected.get("title") or "",
                    authors=list(expected.get("authors") or []),
                    published=expected.get("publishing_date"),
                    body="\n".join(parts),
                )
            )
    return cases


def shingle_counts(text: str, n: int = 4) -> Counter:
    """Word n-gram shingles with their counts (the public benchmarks' tokenization: ``\\w+``)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def precision_recall(expected: str, extracted: str) -> tuple[float | None, float | None]:
    """Shingle precision and recall of one page; None where undefined (nothing to measure)."""
    truth, guess = shingle_counts(expected), shingle_counts(extracted)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def headline_matches(expected: str, extracted: str | None) -> bool:
    """Exact match after whitespace normalization."""
    return " ".join(expected.split()) == " ".join((extracted or "").split())


def byline_matches(expected: list[str], extracted: list[str]) -> bool:
    """Every expected name is among the extracted ones (case and typography folded)."""
    found = {_fold(name).casefold() for name in extracted}
    return all(_fold(name).casefold() in found for name in expected)


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def date_matches(expected: str | None, extracted: str | None) -> bool:
    """Same calendar day, in the page's own time zone or in UTC."""
    want, got = _parse_date(expected), _parse_date(extracted)
    if want is None or got is None:
        return False
    if want.date() == got.date():
        return True
    if want.tzinfo and got.tzinfo:
        return want.astimezone(tz=None).utcoffset() is not None and (
            want.astimezone(_UTC).date() == got.astimezone(_UTC).date()
        )
    return False


from datetime import UTC as _UTC  # noqa: E402


def score_page(scores: Scores, case: Case, headline, byline, published, body: str) -> None:
    """Add one page's results to ``scores``."""
    name = case.path.name
    precision, recall = precision_recall(case.body, body)
    if precision is not None:
        scores.precision.append(precision)
    if recall is not None:
        scores.recall.append(recall)
    if recall is not None and (recall < 0.9 or (precision or 0) < 0.9):
        scores.failures.setdefault("body", []).append(f"{name} P={precision or 0:.2f} R={recall:.2f}")
    checks = (
        ("headline", headline_matches(case.headline, headline), case.headline, headline),
        ("byline", byline_matches(case.authors, byline or []), case.authors, byline),
        ("published", date_matches(case.published, published), case.published, published),
    )
    for field_name, ok, want, got in checks:
        if field_name == "byline" and not case.authors:
            continue
        getattr(scores, field_name).append(ok)
        if not ok:
            scores.failures.setdefault(field_name, []).append(f"{name}: want {want!r} got {got!r}")


def run_editwatch_cli(cases: list[Case]) -> list[dict]:
    """``editwatch extract --json`` over every page in one call; one record per page, in order."""
    args = [sys.executable, "-m", "monitor", "extract", "--json", "--explain", *(str(c.path) for c in cases)]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(records) != len(cases):
        raise SystemExit(
            f"editwatch extract printed {len(records)} records for {len(cases)} pages:\n{proc.stderr}"
        )
    return records


def time_editwatch(cases: list[Case], pages: list[bytes]) -> list[float]:
    """CPU milliseconds per page for ``extract_article``, in-process (from the bytes as fetched)."""
    from crawler.extraction import extract_article

    millis = []
    for case, page in zip(cases, pages, strict=True):
        start = time.process_time()
        extract_article(page, case.url)
        millis.append((time.process_time() - start) * 1000)
    return millis


def run_trafilatura(cases: list[Case], pages: list[bytes], scores: Scores) -> None:
    """trafilatura's default ``extract()`` (body) and ``extract_metadata()`` on the same pages."""
    import trafilatura
    from trafilatura.metadata import extract_metadata

    trafilatura.extract(pages[0], url=cases[0].url)  # warm up
    for case, page in zip(cases, pages, strict=True):
        start = time.process_time()
        text = trafilatura.extract(page, url=case.url) or ""
        scores.millis.append((time.process_time() - start) * 1000)
        meta = extract_metadata(page, default_url=case.url)
        authors = [a.strip() for a in re.split(r";|,", (meta.author if meta else "") or "") if a.strip()]
        score_page(scores, case, meta.title if meta else None, authors, meta.date if meta else None, text)


def removed_words(records: list[dict]) -> str:
    """What the extractor leaves out of the article containers, in words, grouped by reason.

    Lines, one per reason: blocks, words and a few examples, so that anyone can see what is dropped.
    """
    blocks: Counter = Counter()
    words: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for record in records:
        for removal in record.get("removed") or []:
            reason = removal["reason"]
            blocks[reason] += 1
            words[reason] += len(_TOKEN.findall(removal["text"]))
            seen = examples.setdefault(reason, [])
            if len(seen) < 3 and removal["text"][:60] not in seen:
                seen.append(removal["text"][:60])
    lines = [
        f"Removed from inside the article containers: {sum(words.values())} words in {sum(blocks.values())} blocks"
    ]
    for reason, count in words.most_common():
        sample = "; ".join(repr(e) for e in examples[reason])
        lines.append(f"  {reason:<10} {count:>6} words {blocks[reason]:>5} blocks  e.g. {sample}")
    return "\n".join(lines)


def _mean(values: list) -> float:
    return statistics.fmean(values) if values else 0.0


def table(results: list[Scores], pages: int) -> str:
    """The results as a Markdown table."""
    lines = [
        f"| extractor ({pages} pages) | body P | body R | body F1 | headline | byline | published "
        "| CPU ms/page median | CPU ms/page mean |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results:
        p, r = _mean(s.precision), _mean(s.recall)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(
            f"| {s.name} | {p:.3f} | {r:.3f} | **{f1:.3f}** | {_mean(s.headline):.1%} | {_mean(s.byline):.1%} "
            f"| {_mean(s.published):.1%} | {statistics.median(s.millis):.1f} | {_mean(s.millis):.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Print editwatch beside trafilatura on the development set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the pages each field got wrong")
    parser.add_argument("--only", help="score only pages whose file name contains this text")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura baseline")
    args = parser.parse_args()
    root = dev_set_path()
    if root is None:
        print("extraction benchmark skipped: no development set (set EDITWATCH_EXTRACTION_DEV)")
        return
    cases = load_cases(root)
    if args.only:
        cases = [c for c in cases if args.only in str(c.path)]
    pages = [gzip.decompress(c.path.read_bytes()) for c in cases]

    editwatch = Scores("editwatch extract")
    records = run_editwatch_cli(cases)
    for case, record in zip(cases, records, strict=True):
        body = "\n".join(record.get("body") or [])
        score_page(
            editwatch, case, record.get("headline"), record.get("byline"), record.get("published"), body
        )
    time_editwatch(cases[:20], pages[:20])  # warm caches and imports before timing
    editwatch.millis = time_editwatch(cases, pages)
    results = [editwatch]
    if not args.no_trafilatura:
        baseline = Scores("trafilatura extract() default")
        run_trafilatura(cases, pages, baseline)
        results.append(baseline)
    print(table(results, len(cases)))
    print()
    print(removed_words(records))
    if args.failures:
        for s in results[:1]:
            for field_name, items in s.failures.items():
                print(f"\n{s.name}: {field_name} wrong on {len(items)} pages")
                for item in items:
                    print(f"  {item}")


if __name__ == "__main__":
    main()
