"""Layer 3: the visible article body, located in the page the way a reader finds it.

The page is read as text runs (:mod:`.runs`); the article's container is the element
that gathers the most paragraph-like text (:mod:`.container`); the standfirst between
the headline and the body is added. Inside the container a block is left out only for a
reason the page or the site gives (the headline or byline again, link text, a label, a
dateline, or chrome the site has shown: :mod:`.chrome`), and every block left out is
reported with that reason. No network, no trafilatura: that is the fallback in
:mod:`crawler.extraction`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

from crawler.extraction.chrome import NO_CHROME, Removal, SiteChrome, is_label, learnable, story_over_template
from crawler.extraction.comparison import comparison_key
from crawler.extraction.container import locate_container
from crawler.extraction.runs import Run, text_runs
from crawler.extraction.stamps import Stamp, read_stamp
from crawler.extraction.vocabulary.bylines import BYLINE_PREFIX
from crawler.extraction.vocabulary.scripts import is_mostly_east_asian

_WORDS = re.compile(r"\w+")


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
    rest = BYLINE_PREFIX.sub("", text)
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
        minimum = 15 if is_mostly_east_asian(run.text) else 40
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
