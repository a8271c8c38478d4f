"""Page furniture for the demo site's templates, different on every request as on real news sites.

Consent banners, breaking-news tickers, weather, ad slots with fresh IDs, shuffled
"Recommended Videos", most-read lists with live counts, newsletter boxes, reader
comments, share counts, "Updated N minutes ago", cache-busting scripts and the
analytics blobs that make up much of a real page's weight. None of it is the
article; all of it is what text-comparing monitors report as edits.
"""

from __future__ import annotations

import json
import random
from functools import cache
from html import escape

from monitor.demo.stories import Story

SITE = "KXYZ News"
VIDEOS = [
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
SECTIONS = [
    "News", "Weather", "Sports", "Politics", "Business", "Health", "Entertainment", "Investigations",
    "Video", "Traffic", "Opinion", "Community",
]  # fmt: skip
_CONDITIONS = ["Sunny", "Cloudy", "Rain", "Snow", "Windy", "Fog", "Thunderstorms"]
_COMMENTERS = [
    "riverside_dad",
    "M. Alvarez",
    "kate1987",
    "OldTownResident",
    "J. Brennan",
    "citizen_k",
    "Li Chen",
]
_COMMENT_TEXT = (
    "I think this is exactly what everyone expected and nobody in charge seems to care about the people "
    "who actually live here and pay the bills while the talks go on and on without any result at all"
)
_COMMENT_WORDS = _COMMENT_TEXT.split(" ")


def nav(rng: random.Random) -> str:
    """The mega menu: every section with its topics."""
    return _NAV


def _mega_menu() -> str:
    items = []
    for section in SECTIONS:
        subs = "".join(f'<li><a href="/{section.lower()}/{k}">{section} topic {k}</a></li>' for k in range(8))
        items.append(
            f'<li class="nav-item"><a href="/{section.lower()}">{section}</a><ul class="mega">{subs}</ul></li>'
        )
    return f'<nav class="site-nav" aria-label="Main"><ul>{"".join(items)}</ul></nav>'


_NAV = _mega_menu()  # static: rendered once, not on every request


def consent_banner(rng: random.Random) -> str:
    """A consent-management dialog with a partner count that changes."""
    partners = rng.randint(120, 900)
    return (
        '<div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" role="dialog" aria-label="Privacy">'
        f'<p id="onetrust-policy-text">We and our {partners} partners store and/or access information on a '
        "device, such as cookies, and process personal data, such as unique identifiers and standard "
        "information sent by a device for personalised advertising and content, advertising and content "
        "measurement, audience research and services development.</p>"
        '<button id="onetrust-accept-btn-handler">Accept All</button>'
        '<button class="ot-pc-refuse-all-handler">Reject All</button></div></div>'
    )


def breaking_ticker(rng: random.Random) -> str:
    """The red "Breaking" bar with whatever is breaking now."""
    return (
        f'<div class="breaking-news-bar"><span class="label">BREAKING</span>'
        f'<a href="/live/{rng.randint(100, 999)}">{escape(rng.choice(VIDEOS))}</a>'
        f'<span class="ago">{rng.randint(1, 59)} min ago</span></div>'
    )


def weather(rng: random.Random) -> str:
    """The weather widget in the header."""
    return (
        '<div class="weather-widget"><span class="city">Springfield</span>'
        f'<span class="temp">{rng.randint(20, 95)}º</span>'
        f'<span class="cond">{rng.choice(_CONDITIONS)}</span></div>'
    )


def recommended(rng: random.Random, title: str = "Recommended Videos") -> str:
    """A shuffled block of video teasers."""
    items = "".join(
        f'<li><a href="/video/{rng.randint(1000, 99999)}"><img src="/img/{rng.randint(1, 999)}.jpg" alt="">'
        f'<span>{escape(p)}</span></a><span class="duration">{rng.randint(0, 4)}:{rng.randint(10, 59)}</span></li>'
        for p in rng.sample(VIDEOS, 6)
    )
    return f'<aside class="recommended"><h2>{title}</h2><ul>{items}</ul></aside>'


def ad(rng: random.Random) -> str:
    """An ad slot with a fresh ID."""
    slot = rng.getrandbits(48)
    return (
        f'<div class="ad-slot" id="ad-{slot:x}" data-ad-unit="/1234/news/article">'
        f'<span class="ad-label">Advertisement</span><script>googletag.display("ad-{slot:x}")</script></div>'
    )


def trending(rng: random.Random) -> str:
    """The "Trending Now" list."""
    items = "".join(
        f'<li><a href="/story-{rng.randint(1, 500)}">{escape(v)}</a></li>' for v in rng.sample(VIDEOS, 5)
    )
    return f'<aside class="trending"><h2>Trending Now</h2><ol>{items}</ol></aside>'


def most_read(rng: random.Random, css: str = "most-read") -> str:
    """A ranked list with live view counts."""
    items = "".join(
        f'<li><a href="/story-{rng.randint(1, 500)}">{escape(v)}</a> '
        f'<span class="count">{rng.randint(1000, 90000):,} views</span></li>'
        for v in rng.sample(VIDEOS, 5)
    )
    return f'<div class="{css}"><h3>Most Read</h3><ol>{items}</ol></div>'


def read_more(rng: random.Random) -> str:
    """The "READ MORE:" link editors drop between paragraphs, pointing somewhere new each time."""
    return (
        f'<p><strong>READ MORE:</strong> <a href="/story-{rng.randint(1, 500)}">'
        f"{escape(rng.choice(VIDEOS))}</a></p>"
    )


def newsletter(rng: random.Random) -> str:
    """A newsletter sign-up box."""
    return (
        '<div class="newsletter-signup"><h3>Get the Morning Briefing</h3>'
        f"<p>Join {rng.randint(20, 90)},{rng.randint(100, 999)} readers who start their day with our "
        'newsletter.</p><form action="/subscribe"><input type="email" placeholder="Email address">'
        "<button>Sign up</button></form></div>"
    )


def video_player(rng: random.Random) -> str:
    """An embedded player whose playlist rotates."""
    return (
        f'<div class="video-player" data-video-id="{rng.getrandbits(40):x}"><div class="player-title">'
        f'{escape(rng.choice(VIDEOS))}</div><span class="duration">{rng.randint(0, 4)}:{rng.randint(10, 59)}'
        "</span></div>"
    )


def share_bar(rng: random.Random) -> str:
    """Share buttons with counts."""
    return (
        f'<div class="share-bar"><span>{rng.randint(10, 9000):,} shares</span>'
        f'<a href="#comments">{rng.randint(0, 500)} comments</a>'
        '<a class="share-facebook" href="#">Facebook</a><a class="share-x" href="#">X</a></div>'
    )


def tags(story: Story) -> str:
    """Topic tags (stable)."""
    words = sorted({w.strip(",.").lower() for w in story.headline.split() if len(w) > 5})[:5]
    links = "".join(f'<li><a href="/tag/{escape(w)}">{escape(w)}</a></li>' for w in words)
    return f'<ul class="article-tags">{links}</ul>'


def author_bio(story: Story) -> str:
    """The author box under the story."""
    name = escape(story.byline[0]) if story.byline else "Staff"
    return (
        f'<div class="author-bio"><img src="/img/authors/{story.slug}.jpg" alt=""><p><strong>{name}</strong> '
        "covers diplomacy and security for the station and has reported from more than thirty countries.</p>"
        '<a href="/authors">More stories by this author</a></div>'
    )


def comment_thread(rng: random.Random, css: str = "comments") -> str:
    """Reader comments: new ones arrive between any two requests."""
    entries = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(_COMMENT_WORDS) for _ in range(rng.randint(14, 30))]
        entries.append(
            f'<div class="{css}-entry"><span class="{css}-user">{escape(rng.choice(_COMMENTERS))}</span>'
            f'<span class="{css}-when">{rng.randint(1, 59)} minutes ago</span>'
            f'<p class="{css}-text">{escape(" ".join(words).capitalize())}.</p></div>'
        )
    return f'<section class="{css}"><h2>{rng.randint(3, 400)} Comments</h2>{"".join(entries)}</section>'


def footer(rng: random.Random, padding: int) -> str:
    """Footer links, then the analytics blob and a cache-busting script: a large, ever-changing tail.

    As on real pages, most of the blob is the site's configuration (the same on every
    page) and a little of it is fresh per request (page-view and session IDs).
    """
    fresh = ", ".join(str(rng.getrandbits(32)) for _ in range(4))
    return (
        f"{_FOOTER_LINKS}<script>window.__analytics = "
        f'{{"pv": {rng.getrandbits(64)}, "session": [{fresh}], "config": {_analytics_config(padding)}}};</script>'
        f'<script src="/static/app.js?v={rng.getrandbits(32):x}"></script>'
    )


_FOOTER_LINKS = (
    '<footer class="site-footer"><ul>'
    + "".join(f'<li><a href="/page/{k}">Footer link {k}</a></li>' for k in range(40))
    + "</ul><p>© 2021 KXYZ-TV. All rights reserved.</p></footer>"
)


@cache
def _analytics_config(padding: int) -> str:
    """The site's analytics configuration: ``padding`` numbers, the same on every page of the site."""
    numbers = random.Random(padding)
    return json.dumps({"seg": [numbers.getrandbits(32) for _ in range(padding)]})
