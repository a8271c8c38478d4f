"""Layer 3: the visible article body, located in the page the way a reader finds it.

One walk over the (already cleaned) page turns it into text runs: each paragraph,
list item, subheading or stretch of loose text, with the element that holds it and
how much of it is link text. The container of the article is the element that
gathers the most paragraph-like text (scored as Mozilla's Readability does: commas
and length count, link-heavy containers lose), plus sibling blocks of the same
article; the standfirst between the headline and the body is added. Reader-comment
threads beside or inside the story are left out by their shape (items alike, each
with a who-and-when line), whatever their class names. No network, no trafilatura:
that is the fallback in :mod:`crawler.extraction`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

from crawler.extraction.canonical import comparison_key
from crawler.extraction.chrome import NO_CHROME, Removal, SiteChrome, is_label, learnable, story_over_template
from crawler.extraction.comments import is_authored_line
from crawler.extraction.stamps import Stamp, read_stamp
from crawler.extraction.text import clean_text

BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th", "h1"}
CONTAINER_TAGS = {
    "div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr",
    "header", "form", "details", "summary", "center", "body", "html", "hgroup", "address", "fieldset",
}  # fmt: skip
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
_BREAK = "\x1e"  # stands for <br> while text is gathered


_BYLINE_PREFIX = re.compile(
    r"^(?:by|von|par|por|di|av|af|door|od|text|texto|testo|tekst)\b\s*:?\s*", re.IGNORECASE
)


@dataclass
class Run:
    """One stretch of text with the element that holds it."""

    text: str
    element: lxml_html.HtmlElement
    tag: str  # the block tag that holds the text (or the container's tag for loose text)
    links: int  # characters of link text


@dataclass
class BodyResult:
    """The located body: its paragraphs and where they came from."""

    paragraphs: list[str]
    container: lxml_html.HtmlElement | None
    removed: list[Removal] = field(default_factory=list)  # blocks in the container left out, and why
    stamps: list[Stamp] = field(default_factory=list)  # datelines and the like found in the container
    blocks: list[str] = field(default_factory=list)  # the container's short blocks, to learn chrome from

    @property
    def furniture(self) -> list[str]:
        """The text of every block left out of the container."""
        return [removal.text for removal in self.removed]


def _inline_text(element: lxml_html.HtmlElement, inside_link: bool) -> tuple[str, int]:
    """Text of an inline element (``<br>`` marked) and how much of it is link text."""
    links = 0
    text_parts: list[str] = []

    def visit(node: lxml_html.HtmlElement, in_link: bool) -> None:
        nonlocal links
        if not isinstance(node.tag, str):
            return
        if node.tag == "br":
            text_parts.append(_BREAK)
            return
        is_link = in_link or node.tag == "a"
        if node.text:
            text_parts.append(node.text)
            if is_link:
                links += len(node.text)
        for child in node:
            visit(child, is_link)
            if child.tail:
                text_parts.append(child.tail)
                if is_link:
                    links += len(child.tail)

    visit(element, inside_link)
    return "".join(text_parts), links


def _has_block(element: lxml_html.HtmlElement) -> bool:
    for node in element.iterdescendants():
        tag = node.tag
        if isinstance(tag, str) and (tag in BLOCK_TAGS or tag in CONTAINER_TAGS):
            return True
    return False


def text_runs(root: lxml_html.HtmlElement) -> list[Run]:
    """The page as text runs, in document order."""
    runs: list[Run] = []

    def flush(buffer: list[str], links: int, owner: lxml_html.HtmlElement, tag: str) -> None:
        text = "".join(buffer)
        pieces = [clean_text(p) for p in text.split(_BREAK)]
        pieces = [p for p in pieces if p]
        total = sum(len(p) for p in pieces) or 1
        for piece in pieces:
            runs.append(Run(piece, owner, tag, int(links * len(piece) / total)))

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag
        run_tag = tag if tag in BLOCK_TAGS else "div"
        buffer: list[str] = [node.text or ""]
        links = len(node.text or "") if tag == "a" else 0
        for child in node:
            child_tag = child.tag
            if not isinstance(child_tag, str):
                buffer.append(child.tail or "")
                continue
            if child_tag == "br":
                buffer.append(_BREAK)
            elif child_tag in BLOCK_TAGS or child_tag in CONTAINER_TAGS or _has_block(child):
                flush(buffer, links, node, run_tag)
                buffer, links = [], 0
                walk(child)
            else:
                child_text, child_links = _inline_text(child, tag == "a")
                buffer.append(child_text)
                links += child_links
            buffer.append(child.tail or "")
        flush(buffer, links, node, run_tag)

    walk(root)
    return runs


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


def _is_cjk(text: str) -> bool:
    return sum(1 for c in text[:200] if ord(c) > 0x2E80) > len(text[:200]) / 3


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
        scale = 40 if _is_cjk(run.text) else 100
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


def _inside(element: lxml_html.HtmlElement, containers: set) -> bool:
    node = element
    while node is not None:
        if node in containers:
            return True
        node = node.getparent()
    return False


def _removal(run: Run, headline: str | None, names: list[str], chrome: SiteChrome) -> Removal | Stamp | None:
    """Why a block of the container is not the story's text, if the page gives a reason.

    A stamp (a dateline, a reading time) is returned as such: its dates go to the date fields.
    """
    text = run.text
    if run.tag == "h1" or (headline and text == headline):
        return Removal(text, "headline", "the headline again")
    length = len(text)
    if run.links > length * 0.5 and length < 400:
        return Removal(text, "links", "mostly link text (a teaser or navigation)")
    evidence = chrome.evidence(text)
    if evidence is not None:
        return evidence
    if length < 120 and is_label(text):
        return Removal(text, "label", "a furniture label, no sentence")
    stamp = read_stamp(text, names) if length < 160 else None
    if stamp is not None:
        return stamp
    if length < 120 and not comparison_key(text):
        return Removal(text, "counters", "nothing but counters and relative times")
    if length < 100 and names and _is_byline(text, names):
        return Removal(text, "byline", "the byline again")
    return None


def _is_byline(text: str, names: list[str]) -> bool:
    """A short line that is the byline again ("Von Nina Magoley", "By A and B | Reporter")."""
    rest = _BYLINE_PREFIX.sub("", text)
    for name in names:
        rest = rest.replace(name, " ")
    return len(_WORDS.findall(rest)) <= 3 and len(rest) < len(text)


def _standfirst(runs: list[Run], first_index: int, headline: str | None) -> list[str]:
    """Paragraphs between the headline and the body: the standfirst (dek, lead, teaser)."""
    start = None
    for index in range(first_index - 1, -1, -1):
        run = runs[index]
        if run.tag == "h1" or (headline and run.text == headline):
            start = index
            break
    if start is None or first_index - start > 12:
        return []
    lead = []
    for run in runs[start + 1 : first_index]:
        length = len(run.text)
        minimum = 15 if _is_cjk(run.text) else 40
        if length >= minimum and run.links < length * 0.3 and not is_label(run.text):
            lead.append(run.text)
    return lead[:3]


def locate_body(
    root: lxml_html.HtmlElement,
    headline: str | None = None,
    hint: str | None = None,
    names: list[str] = (),
    live: bool = False,
    chrome: SiteChrome = NO_CHROME,
) -> BodyResult:
    """The article's paragraphs, in order, from a cleaned page.

    ``hint`` is JSON-LD articleBody, if any; ``names`` the byline, whose repetition is dropped;
    ``live`` says the page is a live blog (its updates are the story, however thread-like);
    ``chrome`` is what the site has shown to be chrome (blocks repeated across its articles,
    blocks that change on every fetch). Every block left out is reported with its reason.
    """
    runs = text_runs(root)
    best, members, threads = locate_container(runs, headline, hint, live)
    if best is None:
        return BodyResult([], None)
    containers = set(members)
    chosen = [
        i
        for i, run in enumerate(runs)
        if _inside(run.element, containers) and not _inside(run.element, threads)
    ]
    if not chosen:
        return BodyResult([], best)
    result = BodyResult(_standfirst(runs, chosen[0], headline), best)
    names = list(names)
    decided: list[tuple[str, Removal | Stamp | None]] = []
    for index in chosen:
        run = runs[index]
        if learnable(run.text) and run.tag != "h1":
            result.blocks.append(run.text)
        decided.append((run.text, _removal(run, headline, names, chrome)))
    decided = story_over_template(decided)
    for text, verdict in decided:
        if isinstance(verdict, Stamp):
            result.stamps.append(verdict)
            result.removed.append(Removal(text, "dateline", verdict.describe()))
        elif verdict is not None:
            result.removed.append(verdict)
        elif text not in result.paragraphs[-1:]:
            result.paragraphs.append(text)
    return result
