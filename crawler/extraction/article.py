"""The Article: what editwatch understands a news page to say."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from crawler.extraction.chrome import Removal
from crawler.extraction.vocabulary.scripts import count_words


@dataclass
class Article:
    """A news article extracted from one page.

    ``headline`` is the one headline editwatch chooses among the page's sources;
    ``page_headline``, ``search_headline``, ``social_headline`` and ``title``
    (:data:`~crawler.extraction.comparison.HEADLINE_VARIANTS`) are each source's own
    headline (``None``: the page has none).

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
    # Where the page says it lives, by who says it ("canonical", "og:url", "json-ld url",
    # "json-ld @id"): absolute http(s) URLs. The monitor tells another article apart by them.
    declared_urls: dict[str, str] = field(default_factory=dict)
    structured_type: str | None = None  # the JSON-LD type of the article ("NewsArticle"), if any
    is_live_blog: bool = False
    complete_page: bool = True  # False when the HTML stops mid-text or mid-tag (a truncated download)
    encoding: str | None = None  # the codec the page's bytes were read with (None: given as text)
    # Blocks left out of the article's container, each with its reason (for --explain and the
    # quality guard), and the container's short blocks, from which the crawler learns site chrome.
    removed: list[Removal] = field(default_factory=list, repr=False)
    blocks: list[str] = field(default_factory=list, repr=False)

    @property
    def furniture(self) -> list[str]:
        """The text of every block left out of the article's container."""
        return [removal.text for removal in self.removed]

    def to_dict(self) -> dict:
        """A JSON-ready dict of every field (the learning material, ``blocks``, left out)."""
        fields = asdict(self)
        del fields["blocks"]
        return fields

    @property
    def word_count(self) -> int:
        """Words in the body (each CJK character counts as one)."""
        return sum(count_words(p) for p in self.body)
