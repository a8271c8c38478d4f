"""The article region's fingerprint: a cheap way to tell that a page still says what it said.

Full extraction parses the page and weighs every block of it (several milliseconds).
Most checks of a watched article find it unchanged, and the only differences
between two fetches are the page's chrome: ads with fresh IDs, counters,
shuffled teasers, comment threads. So after each full extraction editwatch
learns, from the page's text alone (no parse), where the article lives:

- the **region**: the element around the body's container (its parent, so that
  a paragraph appended in a new block lands inside), widened to the headline;
- which of the region's **text runs** are the article's (headline, byline, body)
  and which are furniture.

The fingerprint hashes the region's tag structure (tag names only: attributes
carry ad IDs and build hashes), the text of the article's runs, the metadata
that headline, byline and dates come from (JSON-LD, ``<meta>``, ``<title>``,
``rel=canonical``) and the extractor's own signature. If a later page gives the
same fingerprint, its article is the one extracted before: any edit to the
article's text, any paragraph added or removed, any changed metadata changes
the fingerprint, while changed furniture text does not. A page whose region
cannot be found or has another shape simply gets a full extraction.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from crawler.extraction.article import Article
from crawler.extraction.chrome import LEARNED_REASONS, masked
from crawler.extraction.text import clean_text

# Script and style contents and comments are never article text (written as unrolled loops:
# a lazy ".*?" would be tried at every character of a 30 KB analytics blob).
_UNSEEN = re.compile(
    r"<!--[^-]*(?:-(?!->)[^-]*)*(?:-->|$)"
    r"|<script\b[^>]*>[^<]*(?:<(?!/script)[^<]*)*(?:</script\s*>|$)"
    r"|<style\b[^>]*>[^<]*(?:<(?!/style)[^<]*)*(?:</style\s*>|$)",
    re.IGNORECASE,
)
# What is left is tags and runs of text (a lone "<" that starts no tag is text).
_PIECES = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*>|([^<]+)|<")
# Elements that wrap blocks of text; sites close them reliably (unlike <p> or <li>).
_CONTAINERS = frozenset(
    {"div", "section", "article", "main", "aside", "header", "footer", "body", "td", "figure", "form"}
)
# Only containers and longer runs of text matter when looking for the region (fewer matches to walk).
_CONTAINER_OR_TEXT = re.compile(
    r"<(/?)(" + "|".join(sorted(_CONTAINERS)) + r")\b[^>]*>|<[^>]*>|([^<>]{12,})|[^<>]+", re.IGNORECASE
)
_HEAD_END = re.compile(r"</head\s*>|<body\b", re.IGNORECASE)
# Where headline, byline and dates come from besides the visible page. A JSON-LD block runs
# to its first </script> (unrolled, like _UNSEEN: a lazy ".*?" is retried at every character).
_LD_JSON = r"<script\b[^>]*ld\+json[^>]*>[^<]*(?:<(?!/script\s*>)[^<]*)*</script\s*>"
_METADATA = re.compile(
    _LD_JSON + r"|<title\b[^>]*>.*?</title\s*>|"
    r"<link\b[^>]*canonical[^>]*>|"
    r"<meta\b[^>]*(?:name|property|itemprop)\s*=\s*[\"']?[^\"'>]*"
    r"(?:title|author|creator|byl|date|time|publish|modif|updated|site|headline)[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_LD_JSON_IN_BODY = re.compile(_LD_JSON, re.DOTALL | re.IGNORECASE)
# Most pages have no JSON-LD in their body: finding "+json" (the cases IGNORECASE matches,
# U+017F is a long s) with a plain regex is several times cheaper than the search above.
_PLUS_JSON = re.compile("\\+[jJ][sS\u017f][oO][nN]")


@dataclass(frozen=True)
class RegionRecipe:
    """How to find one page layout's article region again, and which of its text runs are the article."""

    tag: str  # the region element's tag
    start_tag: str | None  # its exact start tag, when that occurs once in the page
    ordinal: int  # otherwise: which <tag ...> of the page it is (0-based)
    headline_ordinal: int | None  # the <h1> the region is widened to, when it comes first
    article_runs: tuple[int, ...]  # indices of the region's text runs that are the article's
    signature: str  # the extractor (and site rules) the article was extracted with
    # Runs the site has shown to be chrome: covered with their numbers masked, so that a counter
    # ticking leaves the fingerprint alone while a sentence taking the block's place does not.
    chrome_runs: tuple[int, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            [self.tag, self.start_tag, self.ordinal, self.headline_ordinal, self.article_runs, self.signature,
             self.chrome_runs]
        )  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> RegionRecipe:
        tag, start_tag, ordinal, headline_ordinal, runs, signature, *chrome = json.loads(text)
        return cls(tag, start_tag, ordinal, headline_ordinal, tuple(runs), signature, tuple(*chrome))


@cache
def extractor_signature() -> str:
    """A hash of the extraction code itself: a changed extractor must look at every page afresh."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def learn_region(
    page: str, article: Article, salt: str = "", hint: RegionRecipe | None = None
) -> tuple[RegionRecipe, str] | None:
    """The recipe and fingerprint of ``article``'s region in ``page``, or ``None`` when it cannot be
    pinned down safely (the article's text is not all inside one region, or its date came from
    the visible page, outside what the fingerprint covers).

    ``salt`` names anything besides the code that shaped the extraction (the site rules in force);
    ``hint`` is the region learnt from an earlier page of the same article, tried first.
    """
    if not article.body or article.sources.get("published") == "page":
        return None
    signature = extractor_signature() + salt
    if hint is not None:
        # The same layout, edited text: where the region was is where it is (if it holds the article).
        start = _element_start(page, hint)
        if start is not None:
            start_tag = page[start : page.find(">", start) + 1]
            unique = start_tag if page.count(start_tag) == 1 else None
            ordinal = len(_start_tags(hint.tag).findall(page, 0, start))
            location = replace(hint, start_tag=unique, ordinal=ordinal, article_runs=(), signature=signature)
            learned = _with_runs(page, article, location)
            if learned is not None:
                return learned
    found = _find_region_element(page, article)
    if found is None:
        return None
    tag, start, end = found
    ordinal = len(_start_tags(tag).findall(page, 0, start))
    if _closing_offset(page, tag, start) != end:
        return None  # the cheap search would not find the same end (a tag inside a script?)
    headline_ordinal = None
    # The <h1> a reader sees is part of the article (page_headline): widen to it first.
    wanted = [h.casefold() for h in (article.page_headline, article.headline) if h]
    if wanted:
        for number, match in enumerate(_start_tags("h1").finditer(page, 0, start)):
            close = page.find("</h1", match.end())
            shown = clean_text(_TAG.sub(" ", page[page.find(">", match.end()) + 1 : close]))
            if close > 0 and shown and shown.casefold() in wanted:
                headline_ordinal = number  # the headline is above the region: widen it
                break
    start_tag = page[start : page.index(">", start) + 1]
    location = RegionRecipe(
        tag=tag,
        start_tag=start_tag if page.count(start_tag) == 1 else None,
        ordinal=ordinal,
        headline_ordinal=headline_ordinal,
        article_runs=(),
        signature=signature,
    )
    return _with_runs(page, article, location)


def _with_runs(page: str, article: Article, location: RegionRecipe) -> tuple[RegionRecipe, str] | None:
    """The recipe for the region at ``location``, with the article's runs, if they hold all the article."""
    region = _region(page, location)
    if region is None:
        return None
    structure, runs = _structure(region)
    wanted = "\n".join(
        {article.headline or "", article.page_headline or "", *article.byline, *article.body} - {""}
    )
    cleaned = [clean_text(text) for text in runs]
    article_runs = tuple(i for i, clean in enumerate(cleaned) if clean and clean in wanted)
    # Every paragraph must be made of runs the fingerprint covers: then any edit of them shows.
    covered = _spaceless("".join(cleaned[i] for i in article_runs))
    if not all(_spaceless(paragraph) in covered for paragraph in article.body):
        return None
    # A line that carries the byline with more ("By A | Updated 14:05") is covered with its numbers
    # masked: a ticking clock leaves the fingerprint alone, a name added to the byline does not.
    byline_runs = tuple(
        i
        for i, clean in enumerate(cleaned)
        if i not in article_runs and len(clean) < 200 and any(name in clean for name in article.byline)
    )
    with_byline = covered + _spaceless("".join(cleaned[i] for i in byline_runs))
    # Fields read from the visible page must be covered too (metadata is hashed whole).
    for field, values in (("headline", [article.headline or ""]), ("byline", article.byline)):
        if article.sources.get(field) == "page" and not all(_spaceless(v) in with_byline for v in values):
            return None
    # The visible <h1> is always read from the page: an edit of it alone must change the fingerprint.
    if article.page_headline and _spaceless(article.page_headline) not in covered:
        return None
    learned = {masked(r.text) for r in article.removed if r.reason in LEARNED_REASONS}
    chrome_runs = tuple(
        i
        for i, clean in enumerate(cleaned)
        if i in byline_runs or (learned and i not in article_runs and masked(clean) in learned)
    )
    recipe = replace(location, article_runs=article_runs, chrome_runs=chrome_runs)
    return recipe, _digest(page, recipe, structure, runs)


def _spaceless(text: str) -> str:
    # str.split() splits at exactly what the regex \s matches, several times faster than re.sub.
    return "".join(text.split())


def region_fingerprint(page: str, recipe: RegionRecipe) -> str | None:
    """The fingerprint of the page's article region as ``recipe`` finds it; ``None`` if it is not there."""
    region = _region(page, recipe)
    if region is None:
        return None
    structure, runs = _structure(region)
    if recipe.article_runs and recipe.article_runs[-1] >= len(runs):
        return None
    if recipe.chrome_runs and recipe.chrome_runs[-1] >= len(runs):
        return None
    return _digest(page, recipe, structure, runs)


def _digest(page: str, recipe: RegionRecipe, structure: str, runs: list[str]) -> str:
    digest = hashlib.sha256(recipe.signature.encode())
    head = _HEAD_END.search(page)
    body_start = head.start() if head else len(page)
    for match in _METADATA.finditer(page, 0, body_start):
        digest.update(match.group().encode("utf-8", "replace"))
    plus = page.find("+", body_start)
    if plus >= 0 and _PLUS_JSON.search(page, plus):
        for match in _LD_JSON_IN_BODY.finditer(page, body_start):
            digest.update(match.group().encode("utf-8", "replace"))
    digest.update(structure.encode())
    digest.update("\x1f".join(runs[index] for index in recipe.article_runs).encode("utf-8", "replace"))
    if recipe.chrome_runs:
        digest.update(
            "\x1e".join(masked(runs[index]) for index in recipe.chrome_runs).encode("utf-8", "replace")
        )
    return digest.hexdigest()


def _find_region_element(page: str, article: Article) -> tuple[str, int, int] | None:
    """Tag, start and end offsets of the parent of the innermost container around the body's last run."""
    last_paragraph = article.body[-1]
    shortest = min(12, len(last_paragraph))  # not a word the footer happens to share with it
    stack: list[tuple[str, int]] = []
    at_last: list[tuple[str, int]] | None = None
    region: tuple[str, int] | None = None
    position = 0
    for unseen in [*_UNSEEN.finditer(page), None]:
        stop = unseen.start() if unseen else len(page)
        for match in _CONTAINER_OR_TEXT.finditer(page, position, stop):
            closing, name, text = match.groups()
            if name is None:
                if region is None and text:
                    text = clean_text(text) if "&" in text else " ".join(text.split())
                    if len(text) >= shortest and text in last_paragraph:
                        at_last = list(stack)
                continue
            name = name.lower()
            if not closing:
                stack.append((name, match.start()))
                continue
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    if region is not None and stack[depth] == region:
                        return region[0], region[1], match.end()
                    del stack[depth:]
                    break
            if region is None and at_last is not None and len(at_last) >= 2 and at_last[-1] not in stack:
                # The innermost container of the last paragraph just closed: its parent is the region.
                region = at_last[-2]
        position = unseen.end() if unseen else len(page)
    return None


def _element_start(page: str, recipe: RegionRecipe) -> int | None:
    """Where the region's element starts: at its start tag, or by counting when that changed."""
    start = page.find(recipe.start_tag) if recipe.start_tag is not None else -1
    if start < 0 or page.find(recipe.start_tag, start + 1) >= 0:
        # The start tag changed (a build hash in its class) or repeats: count instead.
        return _nth(page, recipe.tag, recipe.ordinal)
    return start


def _region(page: str, recipe: RegionRecipe) -> str | None:
    """The region's text in ``page``, from its start tag (or the headline above it) to its end tag."""
    start = _element_start(page, recipe)
    if start is None:
        return None
    end = _closing_offset(page, recipe.tag, start)
    if end is None:
        return None
    if recipe.headline_ordinal is not None:
        headline = _nth(page, "h1", recipe.headline_ordinal)
        if headline is None or headline > start:
            return None
        start = headline
    return page[start:end]


def _structure(region: str) -> tuple[str, list[str]]:
    """The region's tag names in order (each run of text as ``|``), and its runs of text."""
    names: list[str] = []
    runs: list[str] = []
    for closing, name, text in _PIECES.findall(_UNSEEN.sub("", region)):
        if name:
            names.append(closing + name)
        elif not text.isspace():
            names.append("|")
            runs.append(text or "<")
    return " ".join(names).lower(), runs


@cache
def _start_tags(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<{tag}\b", re.IGNORECASE)


@cache
def _tags(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){tag}\b", re.IGNORECASE)


def _nth(page: str, tag: str, ordinal: int) -> int | None:
    for number, match in enumerate(_start_tags(tag).finditer(page)):
        if number == ordinal:
            return match.start()
    return None


def _closing_offset(page: str, tag: str, start: int) -> int | None:
    """The offset just past the end tag matching the start tag at ``start``."""
    depth = 0
    for match in _tags(tag).finditer(page, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = page.find(">", match.end())
            return None if close < 0 else close + 1
    return None


_TAG = re.compile(r"<[^>]*>")
