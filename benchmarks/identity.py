"""Tell another page apart by its identity: the rule measured on the development set's real pages.

Run from the repository root::

    python -m benchmarks.identity            # the two figures
    python -m benchmarks.identity --verbose  # and every page the rule got wrong

Two figures, both on the development set (see ``benchmarks.extraction``):

- each page checked against its own URL: how many the rule calls another page
  (false rejections: a real edit of such a page would be lost until it recovers);
- each page served at the URL of another page of the same site: how many the rule
  catches (pages that are really the same URL twice in the set are left out).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.extraction import dev_set_path
from crawler.extraction import extract_article
from crawler.extraction.article import Article
from crawler.snapshot.identity import identity_problem
from crawler.urls import same_article_url


def load_pages(root: Path) -> list[tuple[str, Article]]:
    """Every page of the set with the URL it was fetched from, extracted."""
    pages = []
    for meta in sorted((root / "test_data").glob("*/meta.info")):
        for name, entry in sorted(json.loads(meta.read_text()).items()):
            path = meta.parent / name
            if path.exists():
                pages.append(
                    (entry["url"], extract_article(gzip.decompress(path.read_bytes()), entry["url"]))
                )
    return pages


def main() -> None:
    """Print how often the identity rule is wrong on its own pages and right on swapped ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every page the rule got wrong")
    args = parser.parse_args()
    root = dev_set_path()
    if root is None:
        print("identity benchmark skipped: no development set (set EDITWATCH_EXTRACTION_DEV)")
        return
    pages = load_pages(root)
    wrong = [(url, problem) for url, article in pages if (problem := identity_problem(article, [url]))]
    by_site: dict[str, list[tuple[str, Article]]] = defaultdict(list)
    for url, article in pages:
        by_site[urlsplit(url).hostname or ""].append((url, article))
    pairs, missed = 0, []
    for site_pages in by_site.values():
        for watched, _ in site_pages:
            for served, article in site_pages:
                if same_article_url(watched, served):
                    continue
                pairs += 1
                if identity_problem(article, [watched]) is None:
                    missed.append((watched, served))
    print(f"own URL:     {len(wrong)} of {len(pages)} pages called another page")
    print(f"swapped URL: {pairs - len(missed)} of {pairs} pages of the same site caught as another page")
    if args.verbose:
        for url, problem in wrong:
            print(f"  wrongly rejected {url}: {problem}")
        for watched, served in missed:
            print(f"  missed {served} served at {watched}")


if __name__ == "__main__":
    main()
