"""How the diff engine reads re-paragraphing, on the real article bodies of the development set.

Each body is re-paragraphed the ways newsrooms do it (a paragraph split at a
sentence or mid-sentence, two neighbours merged, a sentence moved to the next
paragraph, a split with a reworded phrase), and, as a control, edited without
any reflow (a phrase reworded and a paragraph of another article inserted next
to it). Prints how many diffs name the reflow with exactly the words that
changed, how many controls were wrongly called a reflow, and the diff's time.
Asserts nothing.

    python benchmarks/reflow.py [--data DIR]

The development set is ``../shared/data/extraction-dev`` from the repository root,
``$EDITWATCH_EXTRACTION_DEV``, or ``--data``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.diffing.apply import apply_diff
from monitor.diffing.engine import REFLOWS, diff_articles
from monitor.diffing.words import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def bodies(data: Path) -> list[list[str]]:
    """The curated body paragraphs of every page of the development set."""
    found = []
    for path in sorted(data.glob("test_data/*/*.json")):
        for version in json.loads(path.read_text()).values():
            paragraphs = [p for s in version["body"]["sections"] for p in s["paragraphs"] if p.strip()]
            if len(paragraphs) >= 3:
                found.append(paragraphs)
    return found


def _pick(body: list[str], rng: random.Random, sentences: int = 1) -> int | None:
    candidates = [k for k, p in enumerate(body) if len(split_sentences(p)) > sentences]
    return rng.choice(candidates) if candidates else None


def split_at_sentence(body, rng, _other):
    k = _pick(body, rng)
    if k is None:
        return None
    parts = split_sentences(body[k])
    cut = rng.randrange(1, len(parts))
    return [*body[:k], "".join(parts[:cut]).strip(), "".join(parts[cut:]).strip(), *body[k + 1 :]]


def split_mid_sentence(body, rng, _other):
    candidates = [k for k, p in enumerate(body) if len(p.split()) >= 8]
    if not candidates:
        return None
    k = rng.choice(candidates)
    words = body[k].split()
    cut = rng.randrange(2, len(words) - 1)
    return [*body[:k], " ".join(words[:cut]), " ".join(words[cut:]), *body[k + 1 :]]


def merge(body, rng, _other):
    k = rng.randrange(len(body) - 1)
    return [*body[:k], f"{body[k]} {body[k + 1]}", *body[k + 2 :]]


def sentence_to_next(body, rng, _other):
    candidates = [k for k in range(len(body) - 1) if len(split_sentences(body[k])) > 1]
    if not candidates:
        return None
    k = rng.choice(candidates)
    parts = split_sentences(body[k])
    return [*body[:k], "".join(parts[:-1]).strip(), f"{parts[-1].strip()} {body[k + 1]}", *body[k + 2 :]]


def split_and_reword(body, rng, other):
    new = split_at_sentence(body, rng, other)
    if new is None:
        return None
    k = next(i for i, (a, b) in enumerate(zip(body, new, strict=False)) if a != b) + 1
    return _reword(new, k)


def reword_beside_an_insert(body, rng, other):
    k = rng.randrange(len(body))
    new = _reword(list(body), k)
    if new is not None:
        new.insert(k + 1, rng.choice(other))
    return new


def _reword(body: list[str], k: int) -> list[str] | None:
    """``body`` with one word inside a sentence of paragraph ``k`` replaced (None if it has none)."""
    words = body[k].split()
    for i in range(1, len(words)):
        if words[i].isalpha() and words[i].islower() and not words[i - 1].endswith((".", "!", "?", ":")):
            words[i] = "reportedly" if words[i] != "reportedly" else "allegedly"
            return [*body[:k], " ".join(words), *body[k + 1 :]]
    return None


# (name, the category expected, words added + removed expected, the edit)
CASES = [
    ("split at a sentence", "split", 0, split_at_sentence),
    ("split mid-sentence", "split", 0, split_mid_sentence),
    ("two paragraphs merged", "merge", 0, merge),
    ("last sentence moved to the next paragraph", "reflow", 0, sentence_to_next),
    ("split with one word reworded", "split", 2, split_and_reword),
    ("control: a word reworded, another article's paragraph inserted", None, None, reword_beside_an_insert),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("EDITWATCH_EXTRACTION_DEV") or ROOT.parent / "shared" / "data" / "extraction-dev"
    parser.add_argument("--data", type=Path, default=Path(default))
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no development set at {args.data}: nothing to measure")
        return
    pages = bodies(args.data)
    rng = random.Random(13)
    print(f"{len(pages)} real article bodies")
    for name, category, words, edit in CASES:
        right = tried = exact = 0
        times = []
        for number, body in enumerate(pages):
            other = pages[(number + 1) % len(pages)]
            new = edit(body, rng, other)
            if new is None or new == body:
                continue
            tried += 1
            started = time.perf_counter()
            diff = diff_articles({"body": body}, {"body": new})
            times.append((time.perf_counter() - started) * 1000)
            exact += apply_diff({"body": body}, diff.changes)["body"] == new
            found = [c.category for c in diff.changes if c.category in REFLOWS]
            if category is None:
                right += not found
            else:
                right += found == [category] and diff.words_added + diff.words_removed == words
        expected = "without a reflow" if category is None else f"one {category}, {words} words marked"
        print(
            f"{name}: {right}/{tried} {expected}; rebuilt exactly {exact}/{tried};"
            f" diff median {statistics.median(times):.1f} ms,"
            f" max {max(times):.0f} ms"
        )


if __name__ == "__main__":
    main()
