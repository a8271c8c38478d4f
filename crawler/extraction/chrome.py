"""Chrome inside the article container, and the evidence for calling a block chrome.

A block inside the container is part of the story unless the site shows otherwise:

- it **repeats** on several other articles of the same site (a template's block:
  "Support our journalism", a newsletter line, a disclaimer);
- it is **volatile**: its text changes between fetches of one article while it reads
  as no sentence of the story (a reader counter, a live score widget).

That evidence is learned by the crawler from what it fetches and kept in the
database (:class:`SiteChrome` is what it hands the extractor). Fixed vocabulary
alone removes only bare labels ("Advertisement", "Read more", "Photo: AP"), never a
paragraph that reads as a sentence ("Video shows the moment the bridge fell.").

A block is known by its *shape*: its canonical text with every digit masked, so
that "1,234 people read this" and "1,240 people read this" are one block.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from crawler.extraction.comparison import canonical_text

# A block seen on this many other articles of a site is the site's template.
REPEATED_ON = 3
# A block that is no sentence and took this many texts on one article is volatile.
VOLATILE_AFTER = 2
# Reasons that come from what the site showed (as opposed to the page's own shape).
LEARNED_REASONS = frozenset({"repeated", "volatile"})
# Longer blocks are not tallied: chrome is short, and the tally grows with every paragraph it keeps.
LEARNED_MAX_CHARS = 250

_WORDS = re.compile(r"[^\W\d_]+")  # words of letters: numbers make no sentence
_DIGITS = re.compile(r"\d+(?:[.,\u00a0\u202f']\d+)*")  # a number, with its thousands separators
_SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)]*\s*$")

# Words that label page furniture, in the languages of the sites editwatch has met.
_LABEL_WORDS = (
    r"advertisement|anzeige|werbung|publicité|publicidad|pubblicità|reklame|reklama|annonse|annons|"
    r"sponsored|sponsored content|read (?:more|also|next)|also read|see also|related|related articles?|"
    r"recommended|more on this|more|lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|"
    r"das könnte sie auch interessieren|zum thema|weitere artikel|lire aussi|à lire aussi|leer más|"
    r"lee también|leggi anche|les også|läs också|læs også|czytaj (?:też|także|również)|share|share this|"
    r"share this (?:article|story)|teilen|follow us|sign up|subscribe|click here|photo|photos|foto|fotos|"
    r"bild|image|video|watch|listen|credit|source|quelle|getty images|ap photo|reuters"
)
# A label: the word alone, or the word, a separator and a few more words ("Photo: Jane Doe/AP").
_LABEL = re.compile(rf"^(?:{_LABEL_WORDS})\s*(?:[:|»›→•·/\-–—]+\s*(?P<rest>.*))?$", re.IGNORECASE)


def reads_as_sentence(text: str) -> bool:
    """Whether text reads as a sentence of a story: several words, or a few ending in sentence punctuation."""
    words = len(_WORDS.findall(text))
    return words >= 5 or (words >= 3 and bool(_SENTENCE_END.search(text)))


def is_label(text: str) -> bool:
    """A bare furniture label ("Advertisement", "Read more", "Photo: AP"), which is no sentence."""
    match = _LABEL.match(text.strip())
    return match is not None and not reads_as_sentence(match.group("rest") or "")


def masked(text: str) -> str:
    """Text with every number masked: what stays when a counter ticks."""
    return _DIGITS.sub("0", text)


def block_shape(text: str) -> str:
    """The key a block is learned by: its canonical text, folded, with every number masked."""
    folded = masked(canonical_text(text).casefold())
    return hashlib.blake2b(folded.encode(), digest_size=8).hexdigest()


def block_text_key(text: str) -> str:
    """The key of a block's exact (canonical) text, to see its text change under one shape."""
    return hashlib.blake2b(canonical_text(text).encode(), digest_size=8).hexdigest()


def learnable(text: str) -> bool:
    """Whether a block is short enough to be tallied as possible chrome."""
    return len(text) <= LEARNED_MAX_CHARS


@dataclass(frozen=True)
class Removal:
    """A block dropped from inside the article container, and why."""

    text: str
    reason: str  # a short category: label, dateline, volatile, repeated, headline, byline, links
    evidence: str  # what shows it, in words

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        return {"text": self.text, "reason": self.reason, "evidence": self.evidence}


@dataclass(frozen=True)
class SiteChrome:
    """What a site has shown to be chrome, as the extractor of one of its articles needs it.

    ``repeated`` maps block shapes to the watches (articles) they were seen on, for
    shapes seen on at least :data:`REPEATED_ON` of them; ``volatile`` holds shapes whose
    text changed between fetches; ``watch_id`` is the article being extracted (its own
    sightings do not count as other articles').
    """

    repeated: Mapping[str, frozenset[int]] = field(default_factory=dict)
    volatile: frozenset[str] = frozenset()
    watch_id: int | None = None

    def for_watch(self, watch_id: int | None) -> SiteChrome:
        """The same evidence, for extracting the article of ``watch_id``."""
        return replace(self, watch_id=watch_id)

    def evidence(self, text: str) -> Removal | None:
        """Why the site shows ``text`` to be chrome, if it does."""
        if not self.repeated and not self.volatile:
            return None
        shape = block_shape(text)
        seen_on = self.repeated.get(shape, frozenset())
        others = len(seen_on - {self.watch_id})
        # A sentence this article never showed before is news on it (an editor's note the site
        # also put elsewhere), until a later fetch shows it has become part of its template.
        if others >= REPEATED_ON and (self.watch_id in seen_on or not reads_as_sentence(text)):
            return Removal(text, "repeated", f"repeated on {others} other articles of the site")
        if shape in self.volatile and not reads_as_sentence(text):
            return Removal(text, "volatile", "changes between fetches while the article does not")
        return None


NO_CHROME = SiteChrome()


def without_chrome(paragraphs: list[str], chrome: SiteChrome | None, names: list[str] = ()) -> list[str]:
    """``paragraphs`` (a stored version's) as extraction would give them now: without the blocks the
    site has since shown to be chrome, nor datelines, so that new evidence makes no version."""
    from crawler.extraction.stamps import read_stamp

    chrome = chrome or NO_CHROME
    verdicts = [chrome.evidence(p) or (read_stamp(p, names) if len(p) < 160 else None) for p in paragraphs]
    verdicts = story_over_template(list(zip(paragraphs, verdicts, strict=True)))
    return [p for p, v in verdicts if v is None]


def story_over_template(decided: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Blocks (text, verdict) with the site's repeated blocks kept when they would be most of the
    article: then they are the story itself, watched at several addresses, not a template around it."""

    def repeated(verdict: object) -> bool:
        return isinstance(verdict, Removal) and verdict.reason == "repeated"

    template = sum(len(text) for text, verdict in decided if repeated(verdict))
    kept = sum(len(text) for text, verdict in decided if verdict is None)
    if template and template >= kept:
        return [(text, None if repeated(verdict) else verdict) for text, verdict in decided]
    return decided


def drop_new_chrome(article, chrome: SiteChrome) -> None:
    """Take out of ``article``'s body the blocks that this very fetch showed to be volatile (their
    text changed), as extraction with that evidence would have. What the fetch showed repeated
    takes effect from the next fetch: a block new on this article is news on it first."""
    if not chrome.volatile:
        return
    volatile = [chrome.evidence(p) for p in article.body]
    decided = [
        (p, v if v is not None and v.reason == "volatile" else None)
        for p, v in zip(article.body, volatile, strict=True)
    ]
    if any(verdict is not None for _, verdict in decided):
        article.body = [p for p, verdict in decided if verdict is None]
        article.removed = [*article.removed, *(verdict for _, verdict in decided if verdict is not None)]
