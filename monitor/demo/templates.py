"""Page templates for the demo site: eight layouts, each rendering a story inside chrome that changes on every request.

The templates differ where real news sites differ, so that "no edit unless the
story changed" is tested on more than one layout:

- ``station``: a TV station's page; JSON-LD ``NewsArticle`` with ``articleBody``, a player,
  "READ MORE" links and ads between paragraphs.
- ``paper``: no JSON-LD at all (OpenGraph and ``<meta>`` only); dateline paragraph,
  a newsletter box in the story, reader comments.
- ``stale``: JSON-LD ``articleBody`` written once at publication and never refreshed.
- ``inline``: "Updated N minutes ago", a "Recommended" block, view and share counts
  and a listen widget *inside* the article container.
- ``graph``: JSON-LD ``@graph`` with the author given by ``@id`` reference,
  ``itemprop=articleBody``, breadcrumbs and a most-read sidebar.
- ``modern``: a JavaScript-framework page whose CSS-module class names change on
  every deploy (here: every request), a body split into chunks between ads, the
  byline only in the visible markup, and a reader-comment thread with unhelpful names.
- ``desk``: the byline and a "Published: November 30, 2026 at 12:33 p.m. Updated 4 minutes
  ago" line *inside* the body container, between the headline and the first paragraph
  (OpenGraph and ``<meta>`` only, no JSON-LD author).
- ``wire``: one "By NAME | Updated 14:05" line inside the body container (the clock moves
  on every request); JSON-LD without an author, so the byline is only that line.

``live`` (a ``LiveBlogPosting``) is available to stories that ask for it, outside the
rotation of :data:`TEMPLATES`. Pages weigh 40-80 KB, like real article pages without their images.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime, timedelta
from html import escape

from monitor.demo import chrome
from monitor.demo.stories import Story

TEMPLATES = ("station", "paper", "stale", "inline", "graph", "modern", "desk", "wire")
# What a site serves instead of the story when something is wrong (see NewsSite.serve_instead).
INSTEAD = ("consent", "paywall", "error", "truncated", "empty")


def render(story: Story, rng: random.Random, minutes_ago: int, padding: int = 3000) -> str:
    """The full page for a story in its template.

    ``story.extra["typeset"]`` renders the same words with other typography (curly
    quotes, no-break and zero-width spaces, soft hyphens); ``story.extra["instead"]``
    serves one of :data:`INSTEAD` in place of the story.
    """
    if story.extra.get("typeset"):
        story = replace(
            story, headline=typeset(story.headline), paragraphs=[typeset(p) for p in story.paragraphs]
        )
    instead = story.extra.get("instead")
    if instead:
        return _instead(instead, story, rng, minutes_ago, padding)
    return _RENDERERS[story.template](story, rng, minutes_ago, padding)


def typeset(text: str) -> str:
    """The same words as a different CMS would typeset them: what no reader calls an edit."""
    out, double_open = [], True
    for index, char in enumerate(text):
        if char == "'":
            out.append("\u2019")
        elif char == '"':
            out.append("\u201c" if double_open else "\u201d")
            double_open = not double_open
        elif char == " " and index % 7 == 0:
            out.append("\u00a0")
        else:
            out.append(char)
    words = "".join(out).split(" ")
    # A zero-width space after the first word, soft hyphens inside long words.
    words = [w[:4] + "\u00ad" + w[4:] if len(w) > 10 and w.isalpha() else w for w in words]
    if words:
        words[0] += "\u200b"
    return " ".join(words)


def _instead(kind: str, story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    """A consent wall, paywall, error page or cut-off download, each served with status 200."""
    if kind == "truncated":  # the connection dropped halfway through the article
        page = _RENDERERS[story.template](story, rng, minutes_ago, padding)
        cut = page.index("<p>" + escape(story.paragraphs[len(story.paragraphs) // 2]))
        return page[: cut + 30]
    head = _head(story, title={"error": "Page not found", "consent": "Before you continue"}.get(kind))
    if kind == "consent":
        main = (
            "<main><h1>Before you continue</h1><p>We use cookies and data to deliver and maintain our services, "
            "measure audience engagement and show personalised ads. If you choose to Accept all, we will also "
            "use cookies to develop new services.</p><button>Accept all</button><button>Reject all</button></main>"
        )
    elif kind == "paywall":
        main = (
            f"<main><article><h1>{escape(story.headline)}</h1>{_byline(story)}"
            f'<div class="article-body"><p>{escape(story.paragraphs[0])}</p>'
            "<p>Subscribe to continue reading. Already a subscriber? Log in.</p></div></article></main>"
        )
    elif kind == "error":
        main = "<main><h1>Page not found</h1><p>Sorry, we could not find the page you were looking for.</p></main>"
    else:  # empty: the template's shell, the story not yet rendered by its script
        main = '<main><div id="article-root"></div></main>'
    return f"{head}<body><header>{chrome.nav(rng)}</header>{main}{chrome.footer(rng, padding)}</body></html>"


def _when(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{moment:%B} {moment.day}, {moment.year} {moment:%I:%M %p}".replace(" 0", " ")


def _when_long(moment: datetime) -> str:
    """ "November 30, 2026 at 12:33 p.m.", as many American newspapers write it."""
    hour = moment.hour % 12 or 12
    half = "a.m." if moment.hour < 12 else "p.m."
    return f"{moment:%B} {moment.day}, {moment.year} at {hour}:{moment:%M} {half}"


def _head(story: Story, extra: str = "", title: str | None = None) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title or story.headline)} | {chrome.SITE}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="canonical" href="/{story.slug}">'
        f'<meta property="og:title" content="{escape(story.extra.get("social_headline") or story.headline)}">'
        f'<meta property="og:site_name" content="{chrome.SITE}">'
        f"{extra}<style>body{{font-family:sans-serif}}.mega{{display:none}}</style></head>"
    )


def _article_jsonld(
    story: Story, body: list[str] | None, kind: str = "NewsArticle", authors: bool = True
) -> dict:
    article = {
        "@type": kind,
        "headline": story.headline,
        "datePublished": story.published,
        "dateModified": story.modified or story.published,
        "publisher": {"@type": "Organization", "name": chrome.SITE},
    }
    if authors:
        article["author"] = [{"@type": "Person", "name": n} for n in story.byline]
    if body is not None:
        article["articleBody"] = "\n\n".join(body)
    return article


def _script(data: dict) -> str:
    # As CMSs do: "</" escaped, so article text cannot close the script element early.
    encoded = json.dumps({"@context": "https://schema.org", **data}).replace("</", "<\\/")
    return f'<script type="application/ld+json">{encoded}</script>'


def _figure(story: Story) -> str:
    if not story.caption:
        return ""
    return (
        f'<figure class="lead-image"><img src="/img/{story.slug}.jpg" alt="">'
        f"<figcaption>{escape(story.caption)}</figcaption></figure>"
    )


def _byline(story: Story) -> str:
    return f'<div class="byline">By <span class="author">{escape(" and ".join(story.byline))}</span></div>'


def _paragraphs(story: Story, between: dict[int, str]) -> str:
    """The story's paragraphs with furniture slotted in after the given (0-based) positions."""
    parts = []
    last = len(story.paragraphs) - 1
    for k, text in enumerate(story.paragraphs):
        parts.append(f"<p>{escape(text)}</p>")
        if k in between and k < last:
            parts.append(between[k])
    return "".join(parts)


def _station(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    head = _head(story, _script(_article_jsonld(story, story.paragraphs)))
    between = {1: chrome.video_player(rng), 2: chrome.ad(rng), 4: chrome.read_more(rng), 5: chrome.ad(rng)}
    return (
        f"{head}<body>{chrome.consent_banner(rng)}<header>{chrome.weather(rng)}{chrome.nav(rng)}</header>"
        f"{chrome.breaking_ticker(rng)}{chrome.ad(rng)}"
        f'<main><article class="article"><h1>{escape(story.headline)}</h1>{_byline(story)}'
        f'<time datetime="{story.published}">{_when(story.published)}</time>{_figure(story)}'
        f'<div class="article-body">{_paragraphs(story, between)}</div>'
        f"{chrome.share_bar(rng)}{chrome.tags(story)}</article>"
        f"{chrome.recommended(rng)}{chrome.trending(rng)}</main>{chrome.footer(rng, padding)}</body></html>"
    )


def _paper(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # No JSON-LD: only OpenGraph and classic <meta> tags describe the article.
    meta = (
        f'<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{story.published}">'
        f'<meta name="author" content="{escape(", ".join(story.byline))}">'
    )
    between = {2: chrome.newsletter(rng), 3: chrome.ad(rng), 7: chrome.ad(rng)}
    return (
        f'{_head(story, meta)}<body><div class="top">{chrome.nav(rng)}{chrome.weather(rng)}</div>'
        f'<div id="content"><div class="story"><h1 class="headline">{escape(story.headline)}</h1>'
        f'{_byline(story)}<p class="dateline">Published {_when(story.published)}</p>'
        f'<div class="story-text">{_paragraphs(story, between)}</div></div>'
        f"{chrome.comment_thread(rng)}{chrome.trending(rng)}{chrome.recommended(rng, 'More Stories')}</div>"
        f"{chrome.footer(rng, padding)}</body></html>"
    )


def _stale(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # The CMS wrote articleBody once, at publication, and never refreshed it.
    original = story.extra.get("original_paragraphs") or story.paragraphs
    head = _head(story, _script(_article_jsonld(story, original)))
    quote = story.paragraphs[min(2, len(story.paragraphs) - 1)].split(". ")[0]
    between = {
        1: f'<aside class="pullquote"><blockquote>{escape(quote)}</blockquote></aside>',
        3: chrome.ad(rng),
    }
    return (
        f"{head}<body>{chrome.consent_banner(rng)}<header>{chrome.nav(rng)}</header>"
        f"<main><article><h1>{escape(story.headline)}</h1>{_byline(story)}{_figure(story)}"
        f'<section class="body">{_paragraphs(story, between)}</section>{chrome.author_bio(story)}</article>'
        f"{chrome.recommended(rng)}</main>{chrome.footer(rng, padding)}</body></html>"
    )


def _inline(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # Volatile blocks sit inside the article container itself.
    head = _head(story, _script(_article_jsonld(story, None, kind="ReportageNewsArticle")))
    middle = len(story.paragraphs) // 2
    first = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[:middle])
    rest = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[middle:])
    return (
        f"{head}<body><header>{chrome.weather(rng)}{chrome.nav(rng)}</header>{chrome.breaking_ticker(rng)}"
        f'<article class="story"><h1>{escape(story.headline)}</h1>{_byline(story)}'
        f'<p class="timestamp">Updated {minutes_ago} minutes ago</p>'
        f'<p class="stats">{rng.randint(1000, 99999):,} views · {rng.randint(0, 400)} comments</p>'
        f'<p class="listen">Listen to this article ({rng.randint(2, 9)}:{rng.randint(10, 59)})</p>'
        f"{first}{chrome.recommended(rng)}{rest}{chrome.share_bar(rng)}</article>"
        f"{chrome.trending(rng)}{chrome.footer(rng, padding)}</body></html>"
    )


def _graph(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    people = [
        {"@type": "Person", "@id": f"/authors/{k}#person", "name": n} for k, n in enumerate(story.byline)
    ]
    article = _article_jsonld(story, story.paragraphs, authors=False)
    article["author"] = [{"@id": p["@id"]} for p in people]
    graph = [
        {"@type": "WebSite", "@id": "/#website", "name": chrome.SITE},
        {
            "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": 1, "name": "World"}],
        },
        *people,
        article,
    ]
    head = _head(story, _script({"@graph": graph}))
    between = {k: chrome.ad(rng) for k in (1, 3, 5, 7)}
    return (
        f"{head}<body><header>{chrome.nav(rng)}{chrome.weather(rng)}</header>"
        '<ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ol>'
        f'<div class="layout"><div class="main-col"><h1 itemprop="headline">{escape(story.headline)}</h1>'
        f'{_byline(story)}<div itemprop="articleBody">{_paragraphs(story, between)}</div></div>'
        f'<div class="side-col">{chrome.trending(rng)}{chrome.most_read(rng)}'
        f"{chrome.recommended(rng, 'Watch Now')}</div></div>{chrome.footer(rng, padding)}</body></html>"
    )


def _modern(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # CSS-module class names carry a build hash that changes with every deploy.
    build = f"{rng.getrandbits(24):06x}"

    def css(name: str) -> str:
        return f"{name}__{build}"

    meta = f'<meta property="article:published_time" content="{story.published}">'
    head = _head(story, meta + _script(_article_jsonld(story, None, authors=False)))
    chunks = [story.paragraphs[k : k + 3] for k in range(0, len(story.paragraphs), 3)]
    body = f'<div class="{css("Ad_slot")}">{chrome.ad(rng)}</div>'.join(
        f'<div class="{css("ArticleBody_chunk")}">' + "".join(f"<p>{escape(p)}</p>" for p in chunk) + "</div>"
        for chunk in chunks
    )
    authors = " and ".join(
        f'<a class="{css("Byline_author")}" href="/people/{k}">{escape(name)}</a>'
        for k, name in enumerate(story.byline)
    )
    state = {
        "buildId": build,
        "page": "/[slug]",
        "query": {"slug": story.slug},
        "views": rng.randint(1, 10**6),
    }
    return (
        f'{head}<body><div id="__next"><div class="{css("Layout_page")}">{chrome.consent_banner(rng)}'
        f'<div class="{css("Header_bar")}">{chrome.nav(rng)}</div>'
        f'<main class="{css("Layout_main")}"><div class="{css("Article_header")}">'
        f'<span class="{css("Article_section")}">World</span><h1 class="{css("Article_title")}">'
        f'{escape(story.headline)}</h1><div class="{css("Byline_wrap")}">By {authors}</div>'
        f'<span class="{css("Article_stamp")}">{minutes_ago} min ago</span></div>'
        f'<div class="{css("Article_content")}">{body}</div>'
        f"{chrome.comment_thread(rng, css('Thread'))}"
        f"</main>{chrome.most_read(rng, css('Rail_list'))}</div></div>"
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
        f"{chrome.footer(rng, padding)}</body></html>"
    )


def _desk(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # Byline and dateline are paragraphs of the body container; "Updated" counts up on every request.
    meta = f'<meta property="article:published_time" content="{story.published}">'
    unit = "minute" if minutes_ago == 1 else "minutes"
    stamp = (
        f"Published: {_when_long(datetime.fromisoformat(story.published))} Updated {minutes_ago} {unit} ago"
    )
    between = {1: chrome.ad(rng), 4: chrome.newsletter(rng)}
    return (
        f"{_head(story, meta)}<body><header>{chrome.nav(rng)}</header>{chrome.breaking_ticker(rng)}"
        f'<main><article class="post"><h1 class="entry-title">{escape(story.headline)}</h1>'
        f'<div class="entry-content"><p><strong>By {escape(" and ".join(story.byline))}</strong></p>'
        f"<p><em>{escape(stamp)}</em></p>{_figure(story)}{_paragraphs(story, between)}"
        f"{chrome.share_bar(rng)}</div></article>{chrome.trending(rng)}</main>"
        f"{chrome.footer(rng, padding)}</body></html>"
    )


def _wire(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # One line gives byline and time; the clock shown moves with every request.
    head = _head(story, _script(_article_jsonld(story, None, authors=False)))
    shown = datetime.fromisoformat(story.modified or story.published) + timedelta(minutes=minutes_ago)
    line = f"By {' and '.join(story.byline)} | Updated {shown:%H:%M}"
    between = {2: chrome.ad(rng), 5: chrome.read_more(rng)}
    return (
        f'{head}<body>{chrome.consent_banner(rng)}<div class="masthead">{chrome.nav(rng)}</div>'
        f'<div class="wrap"><h1>{escape(story.headline)}</h1><div class="content">'
        f"<p>{escape(line)}</p>{_paragraphs(story, between)}</div>"
        f'<div class="rail">{chrome.most_read(rng)}{chrome.recommended(rng)}</div></div>'
        f"{chrome.footer(rng, padding)}</body></html>"
    )


def _live(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # A live blog: schema.org LiveBlogPosting, updates appended all day.
    head = _head(story, _script(_article_jsonld(story, story.paragraphs, kind="LiveBlogPosting")))
    return (
        f'{head}<body><header>{chrome.nav(rng)}</header><main><article class="live">'
        f'<h1>{escape(story.headline)}</h1><p class="live-badge">LIVE</p>{_byline(story)}'
        f'<div class="updates">{_paragraphs(story, {})}</div></article></main>'
        f"{chrome.footer(rng, padding)}</body></html>"
    )


_RENDERERS = {
    "station": _station,
    "paper": _paper,
    "stale": _stale,
    "inline": _inline,
    "graph": _graph,
    "modern": _modern,
    "desk": _desk,
    "wire": _wire,
    "live": _live,
}
