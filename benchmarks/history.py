"""How fast history is read: the diff engine, phrase search, export and the viewer's pages.

Builds a database of generated articles, each edited several times, through the
same storage calls the daemon uses, then times the readers. Prints figures;
asserts nothing.

    python benchmarks/history.py [--articles 2000] [--versions 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.demo.stories import generated_story, new_sentence
from monitor.diffing.engine import diff_articles
from monitor.research import export as exporting
from monitor.research.search import search_phrase
from monitor.web.app import create_app
from storage import CheckResult, NewChange, NewVersion, Store


def _edit(body: list[str], rng: random.Random, n: int) -> list[str]:
    body = list(body)
    kind = rng.choice(["edit", "insert", "delete", "move"])
    k = rng.randrange(len(body))
    if kind == "edit":
        words = body[k].split()
        words[rng.randrange(len(words))] = f"revised{n}"
        body[k] = " ".join(words)
    elif kind == "insert":
        body.insert(k, new_sentence(n))
    elif kind == "delete" and len(body) > 3:
        del body[k]
    else:
        body.append(body.pop(k))
    return body


def build(path: Path, articles: int, versions: int) -> tuple[float, int]:
    """Fill the database; returns seconds spent and how many versions were stored."""
    rng = random.Random(7)
    started, stored = time.perf_counter(), 0
    with Store(path) as store:
        for number in range(1, articles + 1):
            story = generated_story(number)
            watch, _ = store.watches.add(f"http://127.0.0.1:9/story-{number}")
            fields = {"headline": story.headline, "byline": story.byline, "published": story.published,
                      "modified": None, "body": story.paragraphs}  # fmt: skip
            previous = None
            for v in range(1, versions + 1):
                if previous is not None:
                    fields = {**fields, "body": _edit(fields["body"], rng, number * 100 + v)}
                result = CheckResult(watch_id=watch.id, checked_at=f"2026-01-01T00:{v:02d}:00.000000+00:00",
                                     outcome="new_version")  # fmt: skip
                result.new_version = NewVersion(fetched_at=result.checked_at, url=None, content_hash=f"{number}-{v}",
                                                extractor="bench", **fields)  # fmt: skip
                if previous is not None:
                    diff = diff_articles(previous, fields)
                    result.changes.append(
                        NewChange(
                            event="edit",
                            summary=diff.summary,
                            from_version=v - 1,
                            fields=diff.fields,
                            diff=[c.to_dict() for c in diff.changes],
                            words_added=diff.words_added,
                            words_removed=diff.words_removed,
                        )
                    )
                store.checks.record(result)
                previous, stored = fields, stored + 1
    return time.perf_counter() - started, stored


def timed(label: str, fn, repeat: int = 5) -> float:
    """Run ``fn`` ``repeat`` times and print the median in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"{label:<58} {median:10.1f} ms")
    return median


_LOOP = asyncio.new_event_loop()  # one loop, so the app's worker threads keep their connections


def call(app, path: str, query: str = "") -> None:
    sent = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"127.0.0.1:8080")], "server": ("127.0.0.1", 8080),
             "client": ("127.0.0.1", 50000)}  # fmt: skip
    _LOOP.run_until_complete(app(scope, receive, send))
    assert sent[0]["status"] == 200, (path, sent[0]["status"], sent[-1].get("body", b"")[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    seconds, stored = build(path, args.articles, args.versions)
    print(f"built {args.articles} articles x {args.versions} versions ({stored} versions) in {seconds:.1f} s "
          f"({stored / seconds:.0f} versions/s, diff and full-text indexing included)")  # fmt: skip

    # The diff engine alone: a 10-paragraph and a 120-paragraph article, a few edits each.
    rng = random.Random(3)
    short = generated_story(1).paragraphs
    long = [p for n in range(1, 13) for p in generated_story(n).paragraphs]
    for name, body in (("10 paragraphs", short), ("120 paragraphs", long)):
        edited = body
        for n in range(4):
            edited = _edit(edited, rng, n)
        timed(
            f"diff_articles, {name}, 4 edits",
            lambda b=body, e=edited: diff_articles({"body": b}, {"body": e}),
            20,
        )

    with Store(path, read_only=True) as store:
        timed(
            f"search, phrase in every version ({stored} versions)",
            lambda: search_phrase(store, "officials said"),
        )
        rare = " ".join(generated_story(17).paragraphs[0].split()[:5])
        timed("search, phrase in one article's versions", lambda: search_phrase(store, rare))
        for what in ("edits", "versions"):
            out = io.StringIO()
            start = time.perf_counter()
            count = exporting.write(exporting.RECORDS[what](store, store.watches.all()), what, "jsonl", out)
            elapsed = time.perf_counter() - start
            print(f"{'export --what ' + what + ' (jsonl)':<58} {elapsed * 1000:10.1f} ms  ({count} records, "
                  f"{count / elapsed:.0f}/s)")  # fmt: skip
    app = create_app(str(path))
    timed("viewer: index page (50 of all articles)", lambda: call(app, "/"))
    timed("viewer: article timeline", lambda: call(app, "/watch/17"))
    timed("viewer: diff page v1 -> v5", lambda: call(app, "/watch/17/diff", "from=1&to=5"))
    timed("viewer: Atom feed of all changes (50 entries)", lambda: call(app, "/feed.atom"))
    timed("viewer: search page", lambda: call(app, "/search", "q=officials+said"))
    size = path.stat().st_size / 1e6
    print(f"database size {size:.1f} MB")


if __name__ == "__main__":
    main()
