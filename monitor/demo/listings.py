"""The demo site's listings: an RSS feed, an Atom feed, a news sitemap with its index, a section page.

Each lists the newest stories, newest first, the way newsrooms do: the feed links
carry tracking parameters, the section page may link a story under a second
(short) URL, and every story page names its one URL in ``rel=canonical``.
A story's ``extra`` may set ``listed_url`` (``{"rss": path, "section": path}``)
to choose the URL a listing gives for it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from monitor.demo.stories import Story

LISTED = 30  # stories per listing

# path -> (listing name, content type)
LISTINGS = {
    "feed.xml": ("rss", "application/rss+xml; charset=utf-8"),
    "atom.xml": ("atom", "application/atom+xml; charset=utf-8"),
    "sitemap.xml": ("sitemap-index", "application/xml; charset=utf-8"),
    "sitemap-news.xml": ("news-sitemap", "application/xml; charset=utf-8"),
    "sitemap-pages.xml": ("sitemap", "application/xml; charset=utf-8"),
    "news": ("section", "text/html; charset=utf-8"),
}


def _moment(text: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return datetime(2021, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def newest(stories: list[Story]) -> list[Story]:
    """The listed stories, newest first."""
    visible = [s for s in stories if s.status == 200 and not s.extra.get("unlisted")]
    return sorted(visible, key=lambda s: _moment(s.published), reverse=True)[:LISTED]


def _url(base: str, story: Story, listing: str) -> str:
    path = story.extra.get("listed_url", {}).get(listing) or f"/{story.slug}"
    return base + path


def render_listing(name: str, stories: list[Story], base: str) -> str:
    """The document for one listing."""
    return _RENDERERS[name](newest(stories), base)


def _rss(stories: list[Story], base: str) -> str:
    items = "".join(
        f"<item><title>{escape(s.headline)}</title>"
        f"<link>{escape(_url(base, s, 'rss') + '?utm_source=rss&utm_medium=feed&utm_campaign=latest')}</link>"
        f'<guid isPermaLink="false">kxyz-{escape(s.slug)}</guid>'
        f"<pubDate>{format_datetime(_moment(s.published))}</pubDate>"
        f"<description>{escape(s.paragraphs[0] if s.paragraphs else '')}</description></item>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>KXYZ News</title><link>{base}/</link><description>Latest stories</description>"
        f"{items}</channel></rss>"
    )


def _atom(stories: list[Story], base: str) -> str:
    updated = _moment(stories[0].published).isoformat() if stories else "2021-01-01T00:00:00+00:00"
    entries = "".join(
        f"<entry><title>{escape(s.headline)}</title>"
        f'<link rel="alternate" href="{escape(_url(base, s, "atom"))}?ocid=atom"/>'
        f"<id>tag:kxyz.example,2021:{escape(s.slug)}</id>"
        f"<updated>{_moment(s.modified or s.published).isoformat()}</updated>"
        f"<published>{_moment(s.published).isoformat()}</published>"
        f"<author><name>{escape(', '.join(s.byline))}</name></author></entry>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>KXYZ News (Atom)</title><link href="{base}/"/><updated>{updated}</updated>'
        f"<id>{base}/</id>{entries}</feed>"
    )


def _sitemap_index(stories: list[Story], base: str) -> str:
    lastmod = _moment(stories[0].published).isoformat() if stories else "2021-01-01T00:00:00+00:00"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemap-news.xml</loc><lastmod>{lastmod}</lastmod></sitemap>"
        f"<sitemap><loc>{base}/sitemap-pages.xml</loc><lastmod>2021-01-01T00:00:00+00:00</lastmod></sitemap>"
        "</sitemapindex>"
    )


def _news_sitemap(stories: list[Story], base: str) -> str:
    urls = "".join(
        f"<url><loc>{escape(_url(base, s, 'sitemap'))}</loc><news:news>"
        "<news:publication><news:name>KXYZ News</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{_moment(s.published).isoformat()}</news:publication_date>"
        f"<news:title>{escape(s.headline)}</news:title></news:news></url>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    )


def _pages_sitemap(stories: list[Story], base: str) -> str:
    # The site's static pages: not articles, and old.
    pages = "".join(
        f"<url><loc>{base}/{path}</loc><lastmod>2021-01-01</lastmod></url>" for path in ("about", "contact")
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{pages}</urlset>'


def _section(stories: list[Story], base: str) -> str:
    nav = "".join(
        f'<li><a href="/{name}">{name.title()}</a></li>' for name in ("news", "sports", "weather", "politics")
    )
    cards = "".join(
        f'<div class="card"><h3><a href="{escape(_url(base, s, "section"))}">{escape(s.headline)}</a></h3>'
        f'<a class="byline" href="/author/{escape(s.byline[0].lower().replace(" ", "-")) if s.byline else "staff"}">'
        f"{escape(', '.join(s.byline))}</a></div>"
        for s in stories
    )
    footer = "".join(f'<li><a href="/page/{k}">Footer link {k}</a></li>' for k in range(10))
    ld = json.dumps({"@context": "https://schema.org", "@type": "CollectionPage", "name": "News"})
    return (
        "<!DOCTYPE html><html><head><title>News | KXYZ</title>"
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header><main><h1>News</h1>"
        f'<section class="river">{cards}</section>'
        '<p><a href="/tag/city-council">More city council coverage</a> · <a href="/news?page=2">Older</a></p>'
        f"</main><footer><ul>{footer}</ul></footer></body></html>"
    )


_RENDERERS = {
    "rss": _rss,
    "atom": _atom,
    "sitemap-index": _sitemap_index,
    "news-sitemap": _news_sitemap,
    "sitemap": _pages_sitemap,
    "section": _section,
}
