"""The article's container: the element that gathers the most paragraph-like text.

Scored as Mozilla's Readability does (commas and length count, link-heavy containers
lose), anchored to the headline, plus sibling blocks and same-class chunks of the same
article. Reader-comment threads beside or inside the story are found by their shape
(items alike, each with a who-and-when line), whatever their class names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

from crawler.extraction.comments import is_authored_line
from crawler.extraction.runs import Run
from crawler.extraction.vocabulary.scripts import is_mostly_east_asian

_SCORED_TAGS = {"p", "pre", "td", "blockquote"}  # paragraph-like runs that vote for their ancestors
_HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}
_WORDS = re.compile(r"\w+")
_COMMAS = re.compile(r"[,，、،]")
_SENTENCE_END = re.compile(r"[.!?。！？…\"'”»)]\s*$")
_POSITIVE = re.compile(
    r"article|body|content|entry|main|post|text|story|blog|prose|rich-?text|paragraph", re.I
)
_NEGATIVE = re.compile(
    r"comment|contact|foot|masthead|media|meta|promo|related|scroll|share|sidebar|sponsor|shopping|tags|"
    r"tool|widget|teaser|card|list|nav|menu|header|banner|ad-|aside",
    re.I,
)


def _class_weight(element: lxml_html.HtmlElement) -> int:
    weight = 0
    for value in (element.get("class"), element.get("id")):
        if value:
            if _NEGATIVE.search(value):
                weight -= 25
            if _POSITIVE.search(value):
                weight += 25
    if element.get("itemprop") == "articleBody":
        weight += 50
    return weight


_TAG_WEIGHT = {"div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
               "ol": -3, "ul": -3, "dl": -3, "li": -3, "form": -3, "th": -5, "h2": -5, "h3": -5}  # fmt: skip


@dataclass
class Candidate:
    """A container that paragraphs voted for."""

    element: lxml_html.HtmlElement
    score: float
    first: int  # index of the first and last voting run
    last: int


def score_containers(runs: list[Run]) -> dict[lxml_html.HtmlElement, Candidate]:
    """Readability's vote: each paragraph gives points to its parent, and fewer to further ancestors."""
    candidates: dict[lxml_html.HtmlElement, Candidate] = {}
    for index, run in enumerate(runs):
        if run.tag not in _SCORED_TAGS and run.tag != "div":
            continue
        length = len(run.text)
        if length < 25 or run.links > length * 0.5:
            continue
        scale = 40 if is_mostly_east_asian(run.text) else 100
        points = 1 + len(_COMMAS.findall(run.text)) + min(length // scale, 3)
        node = run.element.getparent() if run.tag in _SCORED_TAGS else run.element
        level = 0
        while node is not None and level < 5:
            candidate = candidates.get(node)
            if candidate is None:
                weight = _TAG_WEIGHT.get(node.tag, 0) + _class_weight(node)
                candidate = candidates[node] = Candidate(node, weight, index, index)
            candidate.score += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            candidate.last = index
            node = node.getparent()
            level += 1
    return candidates


class _Page:
    """Runs indexed by the element that holds them, for measuring containers."""

    def __init__(self, runs: list[Run]):
        self.runs = runs
        self.by_element: dict[lxml_html.HtmlElement, list[Run]] = {}
        for run in runs:
            self.by_element.setdefault(run.element, []).append(run)

    def inside(self, element: lxml_html.HtmlElement) -> list[Run]:
        found = []
        for node in element.iter():
            found.extend(self.by_element.get(node, ()))
        return found

    def text_and_links(self, element: lxml_html.HtmlElement) -> tuple[int, int]:
        runs = self.inside(element)
        return sum(len(r.text) for r in runs), sum(r.links for r in runs)


def _key(text: str) -> str:
    return "".join(_WORDS.findall(text.casefold()))


def _anchor(runs: list[Run], headline: str | None) -> tuple[int | None, int]:
    """Where the headline is, and where the next article's headline starts (infinite-scroll pages)."""
    wanted = _key(headline or "")
    if not wanted:
        return None, len(runs)
    headings = [(i, run.tag, _key(run.text)) for i, run in enumerate(runs) if run.tag in ("h1", "h2", "div")]
    anchor = next((i for i, tag, key in headings if tag == "h1" and key == wanted), None)
    if anchor is None:
        anchor = next((i for i, tag, key in headings if key == wanted), None)
    if anchor is None:
        anchor = next(
            (
                i
                for i, tag, key in headings
                if tag == "h1" and len(key) > 10 and (wanted in key or key in wanted)
            ),
            None,
        )
    if anchor is None:
        return None, len(runs)
    end = next((i for i, tag, _ in headings if tag == "h1" and i > anchor + 1), len(runs))
    return anchor, end


def locate_container(
    runs: list[Run], headline: str | None = None, hint: str | None = None, live: bool = False
) -> tuple[lxml_html.HtmlElement | None, list[lxml_html.HtmlElement], set[lxml_html.HtmlElement]]:
    """The best container, the other blocks that belong with it, and the comment threads among them.

    ``live`` says the page is a live blog, whose updates look like a thread and are the story.
    """
    candidates = score_containers(runs)
    if not candidates:
        return None, [], set()
    page = _Page(runs)
    anchor, end = _anchor(runs, headline)
    ranked = sorted(candidates.values(), key=lambda c: c.score, reverse=True)[:10]
    finals: dict[lxml_html.HtmlElement, float] = {}
    for candidate in ranked:
        text, links = page.text_and_links(candidate.element)
        final = candidate.score * (1 - (links / text if text else 0))
        # Another article's body (related stories above, the next story below) is not this one.
        if _outside(candidate, anchor, end):
            final *= 0.3
        elif anchor is not None:
            # The body follows its headline closely; widgets and walls come later.
            final *= max(0.7, 1 - 0.005 * max(0, candidate.first - anchor))
        finals[candidate.element] = final
    best = max(finals, key=finals.get)
    if hint:
        best = _best_match(best, finals, page, hint)
    best_score = finals[best]
    threads = set() if live else _threads_near(best, candidates, page)
    members = _with_siblings(best, best_score, candidates, page, anchor, end, threads)
    members.extend(_chunks_like(best, members, candidates, anchor, end))
    return best, members, threads


def _threads_near(best, candidates, page: _Page) -> set:
    """Comment threads after the start of the story, beside it or inside it (never the story itself)."""
    parent = best.getparent()
    start = candidates[best].first
    if parent is None:
        return set()
    return {
        candidate.element
        for candidate in candidates.values()
        if candidate.first > start
        and candidate.element is not best
        and _contains(parent, candidate.element)
        and not _contains(candidate.element, best)
        and _thread_like(candidate.element, page)
    }


def _thread_like(element, page: _Page) -> bool:
    """Whether an element is a list of reader comments by its shape, whatever its names say.

    Three or more items alike (same tag and first class), in it or in a list just inside it,
    and most of them a who-and-when line (:func:`is_authored_line`) with the comment's text.
    """
    holders, level = [element], [element]
    for _ in range(2):
        level = [child for holder in level for child in holder if isinstance(child.tag, str)]
        holders.extend(level)
    for holder in holders:
        groups: dict[tuple[str, str], list] = {}
        for child in holder:
            if isinstance(child.tag, str):
                classes = (child.get("class") or "").split()
                groups.setdefault((child.tag, classes[0] if classes else ""), []).append(child)
        items = max(groups.values(), key=len, default=[])
        if len(items) < 3:
            continue
        authored = sum(1 for item in items if _authored_item(page.inside(item)))
        if authored >= 3 and authored * 3 >= len(items) * 2:
            return True
    return False


def _authored_item(runs: list[Run]) -> bool:
    """A comment: a short line saying who and when (not a heading), and text of its own."""
    said = text = False
    for run in runs:
        if run.tag not in _HEADING_TAGS and is_authored_line(run.text):
            said = True
        elif len(run.text) >= 25:
            text = True
    return said and text


def _best_match(best, finals, page: _Page, hint: str):
    """The candidate that holds the JSON-LD ``articleBody``, when the vote picked one that does not."""
    from crawler.extraction.reconcile import coverage

    def match(element) -> float:
        return coverage(hint, "\n".join(r.text for r in page.inside(element)))

    if match(best) >= 0.8:
        return best
    scored = [(match(element), finals[element], element) for element in finals if finals[element] > 0]
    scored.sort(key=lambda item: (round(item[0], 1), item[1]), reverse=True)
    return scored[0][2] if scored and scored[0][0] > match(best) + 0.2 else best


def _outside(candidate: Candidate | None, anchor: int | None, end: int) -> bool:
    """Whether a container lies wholly outside the headline's article."""
    return (
        candidate is not None and anchor is not None and (candidate.last < anchor or candidate.first >= end)
    )


def _with_siblings(
    best, best_score: float, candidates, page: _Page, anchor: int | None, end: int, threads: set
) -> list:
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    best_class = best.get("class")
    members = []
    for sibling in parent:
        if sibling is best:
            members.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or sibling in threads:
            continue
        bonus = best_score * 0.2 if best_class and sibling.get("class") == best_class else 0
        candidate = candidates.get(sibling)
        if _outside(candidate, anchor, end):
            continue
        if candidate is not None and candidate.score + bonus >= threshold:
            members.append(sibling)
        elif sibling.tag == "p":
            text, links = page.text_and_links(sibling)
            density = links / text if text else 1
            if (text > 80 and density < 0.25) or (
                0 < text <= 80 and density == 0 and _SENTENCE_END.search(sibling.text_content())
            ):
                members.append(sibling)
    return members


def _chunks_like(best, members: list, candidates, anchor: int | None, end: int) -> list:
    """Bodies split into same-class chunks between ads (``div.body__inner-container`` × n)."""
    signature = _signature(best)
    if signature is None:  # an unnamed wrapper: the chunk is its named parent, or its best child
        parent = best.getparent()
        if parent is not None and _signature(parent) and len(parent) <= 3:
            signature = _signature(parent)
        else:
            children = [candidates[c] for c in best if c in candidates]
            if children:
                signature = _signature(max(children, key=lambda c: c.score).element)
    if signature is None:
        return []
    taken = set(members)
    found = []
    story = _enclosing_article(best)
    for candidate in candidates.values():
        element = candidate.element
        if element in taken or _signature(element) != signature:
            continue
        if candidate.score < 5 or _outside(candidate, anchor, end):
            continue
        if any(_contains(member, element) or _contains(element, member) for member in taken):
            continue
        if _enclosing_article(element) is not story:
            continue
        found.append(element)
        taken.add(element)
    return found


def _signature(element) -> tuple[str, str] | None:
    """Tag and first class name: what chunks of one body share (``div.RichText`` × n)."""
    classes = (element.get("class") or "").split()
    return (element.tag, classes[0]) if classes else None


def _enclosing_article(element):
    for ancestor in element.iterancestors("article"):
        return ancestor
    return None


def _contains(outer, inner) -> bool:
    node = inner.getparent()
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False
