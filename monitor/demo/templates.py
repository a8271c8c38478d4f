"""Page templates for the demo site. Each renders a story inside chrome that changes on every request.

The volatile chrome is what real news pages carry and what peers report as
edits: a weather widget, a shuffled "Recommended Videos" list, ad slots with
fresh IDs, "Updated N minutes ago", trending lists, cache-busting script tags.
"""

from __future__ import annotations

import json
import random
from html import escape

from monitor.demo.stories import Story

_VIDEOS = [
    "Crews battle brush fire near interstate",
    "Storm brings heavy rain to the valley",
    "Local bakery celebrates 50 years",
    "High school band heads to national finals",
    "Police search for suspect in downtown robbery",
    "City council approves new park plan",
    "Zoo welcomes newborn giraffe",
    "Traffic alert: lane closures this weekend",
    "Veterans honored at memorial ceremony",
    "How to stay safe during the heat wave",
    "Food bank sees surge in demand",
    "Firefighters rescue dog from icy pond",
]
_SECTIONS = [
    "News",
    "Weather",
    "Sports",
    "Politics",
    "Business",
    "Health",
    "Entertainment",
    "Investigations",
    "Video",
    "Traffic",
    "Opinion",
    "Community",
]
TEMPLATES = ("station", "paper", "stale", "inline", "graph")


def _nav(rng: random.Random) -> str:
    items = []
    for section in _SECTIONS:
        subs = "".join(f'<li><a href="/{section.lower()}/{k}">{section} topic {k}</a></li>' for k in range(8))
        items.append(
            f'<li class="nav-item"><a href="/{section.lower()}">{section}</a><ul class="mega">{subs}</ul></li>'
        )
    return f'<nav class="site-nav" aria-label="Main"><ul>{"".join(items)}</ul></nav>'


def _weather(rng: random.Random) -> str:
    return (
        '<div class="weather-widget"><span class="city">Springfield</span>'
        f'<span class="temp">{rng.randint(20, 95)}º</span>'
        f'<span class="cond">{rng.choice(["Sunny", "Cloudy", "Rain", "Snow", "Windy"])}</span></div>'
    )


def _recommended(rng: random.Random, title: str = "Recommended Videos") -> str:
    picks = rng.sample(_VIDEOS, 6)
    items = "".join(
        f'<li><a href="/video/{rng.randint(1000, 99999)}"><img src="/img/{rng.randint(1, 999)}.jpg" alt="">'
        f'<span>{escape(p)}</span></a><span class="duration">{rng.randint(0, 4)}:{rng.randint(10, 59)}</span></li>'
        for p in picks
    )
    return f'<aside class="recommended"><h2>{title}</h2><ul>{items}</ul></aside>'


def _ad(rng: random.Random) -> str:
    slot = rng.getrandbits(48)
    return (
        f'<div class="ad-slot" id="ad-{slot:x}" data-ad-unit="/1234/news/article">'
        f'<span class="ad-label">Advertisement</span><script>googletag.display("ad-{slot:x}")</script></div>'
    )


def _trending(rng: random.Random) -> str:
    items = "".join(
        f'<li><a href="/story-{rng.randint(1, 500)}">{escape(v)}</a></li>' for v in rng.sample(_VIDEOS, 5)
    )
    return f'<aside class="trending"><h2>Trending Now</h2><ol>{items}</ol></aside>'


def _footer(rng: random.Random, padding: int) -> str:
    links = "".join(f'<li><a href="/page/{k}">Footer link {k}</a></li>' for k in range(40))
    # Analytics configuration blobs are a large, constantly changing part of real pages.
    blob = json.dumps({"pv": rng.getrandbits(64), "seg": [rng.getrandbits(32) for _ in range(padding)]})
    return (
        f'<footer class="site-footer"><ul>{links}</ul><p>© 2021 KXYZ-TV. All rights reserved.</p>'
        f'<div class="cookie-banner">We use cookies. <button>Accept</button></div></footer>'
        f"<script>window.__analytics = {blob};</script>"
        f'<script src="/static/app.js?v={rng.getrandbits(32):x}"></script>'
    )


def _head(story: Story, title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | KXYZ News</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="canonical" href="/{story.slug}">'
        f"{extra}<style>body{{font-family:sans-serif}}.mega{{display:none}}</style></head>"
    )


def _jsonld(story: Story, body: list[str] | None, *, graph: bool = False, kind: str = "NewsArticle") -> str:
    article = {
        "@type": kind,
        "headline": story.headline,
        "author": [{"@type": "Person", "name": n} for n in story.byline],
        "datePublished": story.published,
        "dateModified": story.modified or story.published,
        "publisher": {"@type": "Organization", "name": "KXYZ News"},
    }
    if body is not None:
        article["articleBody"] = "\n\n".join(body)
    if graph:
        data = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "KXYZ News"},
                {"@type": "BreadcrumbList", "itemListElement": []},
                article,
            ],
        }
    else:
        data = {"@context": "https://schema.org", **article}
    # As CMSs do: "</" escaped, so article text cannot close the script element early.
    encoded = json.dumps(data).replace("</", "<\\/")
    return f'<script type="application/ld+json">{encoded}</script>'


def _paragraphs(story: Story, rng: random.Random, ads_every: int = 3) -> str:
    parts = []
    for k, text in enumerate(story.paragraphs):
        parts.append(f"<p>{escape(text)}</p>")
        if ads_every and k % ads_every == ads_every - 1 and k < len(story.paragraphs) - 1:
            parts.append(_ad(rng))
    return "".join(parts)


def _figure(story: Story) -> str:
    if not story.caption:
        return ""
    return (
        f'<figure class="lead-image"><img src="/img/{story.slug}.jpg" alt="">'
        f"<figcaption>{escape(story.caption)}</figcaption></figure>"
    )


def _byline(story: Story) -> str:
    return f'<div class="byline">By <span class="author">{escape(" and ".join(story.byline))}</span></div>'


def render(story: Story, rng: random.Random, minutes_ago: int, padding: int = 3000) -> str:
    """The full page for a story in its template."""
    return _RENDERERS[story.template](story, rng, minutes_ago, padding)


def _station(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    head = _head(story, story.headline, _jsonld(story, story.paragraphs))
    return (
        f"{head}<body><header>{_weather(rng)}{_nav(rng)}</header>{_ad(rng)}"
        f'<main><article class="article"><h1>{escape(story.headline)}</h1>{_byline(story)}'
        f'<time datetime="{story.published}">March 18, 2021</time>{_figure(story)}'
        f'<div class="article-body">{_paragraphs(story, rng)}</div></article>'
        f"{_recommended(rng)}{_trending(rng)}</main>{_footer(rng, padding)}</body></html>"
    )


def _paper(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    meta = (
        f'<meta property="og:title" content="{escape(story.headline)}">'
        f'<meta property="article:published_time" content="{story.published}">'
        f'<meta name="author" content="{escape(", ".join(story.byline))}">'
    )
    return (
        f'{_head(story, story.headline, meta)}<body><div class="top">{_nav(rng)}{_weather(rng)}</div>'
        f'<div id="content"><div class="story"><h1 class="headline">{escape(story.headline)}</h1>'
        f'{_byline(story)}<p class="dateline">Published {story.published[:10]}</p>'
        f'<div class="story-text">{_paragraphs(story, rng, ads_every=4)}</div></div>'
        f"{_trending(rng)}{_recommended(rng, 'More Stories')}</div>{_footer(rng, padding)}</body></html>"
    )


def _stale(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # The CMS wrote articleBody once and never refreshed it.
    original = story.extra.get("original_paragraphs") or story.paragraphs
    head = _head(story, story.headline, _jsonld(story, original))
    return (
        f"{head}<body><header>{_nav(rng)}</header>"
        f"<main><article><h1>{escape(story.headline)}</h1>{_byline(story)}{_figure(story)}"
        f'<section class="body">{_paragraphs(story, rng)}</section></article>{_recommended(rng)}</main>'
        f"{_footer(rng, padding)}</body></html>"
    )


def _inline(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # Volatile blocks sit inside the article container itself.
    head = _head(story, story.headline, _jsonld(story, None, kind="ReportageNewsArticle"))
    paragraphs = story.paragraphs
    middle = len(paragraphs) // 2
    first = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:middle])
    rest = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[middle:])
    return (
        f"{head}<body><header>{_weather(rng)}{_nav(rng)}</header>"
        f'<article class="story"><h1>{escape(story.headline)}</h1>{_byline(story)}'
        f'<p class="timestamp">Updated {minutes_ago} minutes ago</p>{first}'
        f"{_recommended(rng)}{rest}"
        f'<div class="share-bar"><span>{rng.randint(10, 9000)} shares</span>'
        f"<span>{rng.randint(0, 500)} comments</span></div></article>"
        f"{_trending(rng)}{_footer(rng, padding)}</body></html>"
    )


def _graph(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    head = _head(story, story.headline, _jsonld(story, story.paragraphs, graph=True))
    return (
        f"{head}<body><header>{_nav(rng)}{_weather(rng)}</header>"
        f'<div class="layout"><div class="main-col"><h1 itemprop="headline">{escape(story.headline)}</h1>'
        f'{_byline(story)}<div itemprop="articleBody">{_paragraphs(story, rng, ads_every=2)}</div></div>'
        f'<div class="side-col">{_trending(rng)}<div class="most-read"><h3>Most Read</h3>'
        f"{_recommended(rng, 'Watch Now')}</div></div></div>{_footer(rng, padding)}</body></html>"
    )


def _live(story: Story, rng: random.Random, minutes_ago: int, padding: int) -> str:
    # A live blog: schema.org LiveBlogPosting, updates appended all day.
    head = _head(story, story.headline, _jsonld(story, story.paragraphs, kind="LiveBlogPosting"))
    return (
        f'{head}<body><header>{_nav(rng)}</header><main><article class="live">'
        f'<h1>{escape(story.headline)}</h1><p class="live-badge">LIVE</p>{_byline(story)}'
        f'<div class="updates">{_paragraphs(story, rng, ads_every=0)}</div></article></main>'
        f"{_footer(rng, padding)}</body></html>"
    )


_RENDERERS = {
    "station": _station,
    "paper": _paper,
    "stale": _stale,
    "inline": _inline,
    "graph": _graph,
    "live": _live,
}
