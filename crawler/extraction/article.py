"""The Article: what editwatch understands a news page to say."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from crawler.extraction.text import count_words

# The headline variants an Article carries besides its chosen ``headline``, in article order.
HEADLINE_VARIANTS = ("page_headline", "search_headline", "social_headline", "title")


@dataclass
class Article:
    """A news article extracted from one page.

    ``headline`` is the one headline editwatch chooses among the page's sources;
    :data:`HEADLINE_VARIANTS` name each source's own headline (``None``: the page has none).

    ``sources`` maps each field to the layer or rule that produced it, for
    ``editwatch extract --explain``; ``warnings`` are notes a user may want to see
    (for example that JSON-LD ``articleBody`` disagreed with the visible text).
    """

    url: str | None = None
    headline: str | None = None
    # The four headlines a newsroom edits (and A/B tests) separately, as served, cleaned like
    # ``headline`` but never stripped of a site name: the page's main visible <h1>, JSON-LD
    # ``headline`` (for search engines), og:title else twitter:title (for social cards), <title>.
    page_headline: str | None = None
    search_headline: str | None = None
    social_headline: str | None = None
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    body: list[str] = field(default_factory=list)
    extractor: str = "none"
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    canonical_url: str | None = None
    is_live_blog: bool = False
    complete_page: bool = True  # False when the HTML stops mid-text or mid-tag (a truncated download)
    encoding: str | None = None  # the codec the page's bytes were read with (None: given as text)
    # Lines dropped from the article's container as furniture ("Subscribe to continue reading"),
    # kept for the quality guard.
    furniture: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        """A JSON-ready dict of every field."""
        return asdict(self)

    @property
    def word_count(self) -> int:
        """Words in the body (each CJK character counts as one)."""
        return sum(count_words(p) for p in self.body)
