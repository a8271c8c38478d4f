"""Reading sources: feeds, sitemaps and section pages become lists of article links (pure parsing)."""

from __future__ import annotations

import gzip

import pytest

from crawler.discovery import ListingError, live_blog_reason, looks_like_article, parse_listing
from crawler.urls import InvalidURL, canonicalize_url

BASE = "https://news.example.com"


def test_tracking_parameters_case_default_ports_and_fragments_do_not_name_another_article():
    assert canonicalize_url("HTTPS://News.Example.COM:443/a/story?utm_source=rss&utm_MEDIUM=x#top") == (
        "https://news.example.com/a/story"
    )
    assert canonicalize_url(
        "http://news.example.com:80/s?b=2&fbclid=1&a=1&gclid=2&mc_cid=3&ocid=4&cmpid=5"
    ) == ("http://news.example.com/s?a=1&b=2")
    # A parameter that names the article is kept; a non-default port too.
    assert canonicalize_url("http://news.example.com:8080/story?id=12345&utm_campaign=z") == (
        "http://news.example.com:8080/story?id=12345"
    )
    with pytest.raises(InvalidURL):
        canonicalize_url("ftp://news.example.com/story")


def test_rss_feed_lists_entries_with_absolute_links_and_dates():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
      <item><title>First</title><link>/2026/03/18/first-story</link>
        <pubDate>Wed, 18 Mar 2026 09:30:00 GMT</pubDate></item>
      <item><title>Proxy</title><link>https://feeds.example.net/r/abc</link>
        <feedburner:origLink xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">https://news.example.com/2026/03/18/origin</feedburner:origLink></item>
      <item><title>Guid only</title><guid>https://news.example.com/2026/03/18/by-guid</guid></item>
    </channel></rss>"""
    listing = parse_listing(rss, f"{BASE}/feed.xml", "application/rss+xml")
    assert listing.kind == "rss" and listing.title == "Desk"
    assert [link.url for link in listing.links] == [
        f"{BASE}/2026/03/18/first-story",
        f"{BASE}/2026/03/18/origin",
        f"{BASE}/2026/03/18/by-guid",
    ]
    assert listing.links[0].published == "2026-03-18T09:30:00+00:00"


def test_atom_feed_is_detected_even_when_served_as_html():
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <title>Atom desk</title><entry><title>A</title><link rel="alternate" href="https://news.example.com/a-long-story-slug-here"/>
      <id>tag:x,2026:1</id><updated>2026-03-18T10:00:00Z</updated></entry></feed>"""
    listing = parse_listing(atom, f"{BASE}/atom", "text/html; charset=utf-8")
    assert listing.kind == "atom"
    assert listing.links[0].url == f"{BASE}/a-long-story-slug-here"
    assert listing.links[0].published == "2026-03-18T10:00:00+00:00"


def test_news_sitemap_and_sitemap_index_including_gzip():
    news = b"""<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://news.example.com/world/2026/03/18/talks</loc><news:news>
        <news:publication_date>2026-03-18T11:00:00+01:00</news:publication_date><news:title>Talks</news:title>
      </news:news></url></urlset>"""
    listing = parse_listing(gzip.compress(news), f"{BASE}/news.xml.gz", "application/octet-stream")
    assert listing.kind == "news-sitemap"
    assert listing.links[0].title == "Talks" and listing.links[0].published.startswith("2026-03-18T11:00")

    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example.com/news.xml</loc><lastmod>2026-03-18</lastmod></sitemap>
      <sitemap><loc>https://news.example.com/archive.xml</loc></sitemap></sitemapindex>"""
    listing = parse_listing(index, f"{BASE}/sitemap.xml", "application/xml")
    assert listing.kind == "sitemap-index"
    assert [(c.url, c.lastmod) for c in listing.children] == [
        (f"{BASE}/news.xml", "2026-03-18"),
        (f"{BASE}/archive.xml", None),
    ]


def test_section_page_heuristic_keeps_article_links_and_drops_navigation():
    page = b"""<!DOCTYPE html><html><head><title>World</title></head><body>
      <nav><a href="/world/2026/03/18/nav-story-that-looks-like-an-article">nav</a><a href="/world">World</a></nav>
      <main>
        <a href="/world/2026/03/18/talks-resume-in-geneva">Talks resume</a>
        <a href="/world/europe-68512345">By ID</a>
        <a href="/world/city-council-approves-new-budget-plan?utm_source=home">Slug</a>
        <a href="/tag/geneva">Tag</a><a href="/author/jane-doe-smith-jones">Author</a>
        <a href="/video/12345">Video</a><a href="/world">Section</a><a href="/2026/03/18/">Day archive</a>
        <a href="https://other.example.org/2026/03/18/elsewhere-story-slug">Other site</a>
        <a href="/world/2026/03/18/talks-resume-in-geneva#comments">Same again</a>
      </main><footer><a href="/about/our-long-history-of-journalism">About</a></footer></body></html>"""
    listing = parse_listing(page, f"{BASE}/world", "text/html")
    assert listing.kind == "page" and listing.title == "World"
    assert [link.url for link in listing.links] == [
        f"{BASE}/world/2026/03/18/talks-resume-in-geneva",
        f"{BASE}/world/europe-68512345",
        f"{BASE}/world/city-council-approves-new-budget-plan?utm_source=home",
    ]


def test_links_selector_overrides_the_heuristic():
    page = b"""<html><body><div class="river"><h3><a href="/s/1">One</a></h3><h3><a href="/s/2">Two</a></h3></div>
      <a href="/world/2026/03/18/talks-resume-in-geneva">Elsewhere</a></body></html>"""
    listing = parse_listing(page, f"{BASE}/world", "text/html", links_selector=".river h3")
    assert [link.url for link in listing.links] == [f"{BASE}/s/1", f"{BASE}/s/2"]


@pytest.mark.parametrize(
    "body, content_type, words",
    [
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken',
            "application/rss+xml",
            "malformed feed",
        ),
        (b"<?xml version='1.0'?><rss><channel><item><title>x</ite", "text/xml", "malformed feed"),
        (b'{"items": []}', "application/json", "not a feed, a sitemap or an HTML page (application/json)"),
        (b"\x1f\x8bnot really gzip", "application/x-gzip", "broken gzip data"),
    ],
)
def test_unreadable_sources_raise_one_clear_error(body, content_type, words):
    with pytest.raises(ListingError) as caught:
        parse_listing(body, f"{BASE}/feed", content_type)
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_feed_with_errors_but_entries_is_read_with_a_warning():
    rss = b"""<rss version="2.0"><channel><title>T</title><item><title>A</title>
      <link>https://news.example.com/2026/03/18/first</link></item><item><title>B & C</title></item></channel></rss>"""
    listing = parse_listing(rss, f"{BASE}/feed", "application/rss+xml")
    assert [link.url for link in listing.links] == [f"{BASE}/2026/03/18/first"]
    assert listing.warnings


@pytest.mark.parametrize(
    "url, live",
    [
        ("https://x.com/world/live/2026/mar/18/ukraine-war-latest", True),
        ("https://x.com/live-news/ukraine-russia-war-03-18-26/index.html", True),
        ("https://x.com/news/election-results-live-updates", True),
        ("https://x.com/2026/03/18/budget-vote-as-it-happened", True),
        ("https://x.com/2026/03/18/deliver-supplies-to-town", False),
        ("https://x.com/2026/03/18/olive-harvest-lively-again", False),
    ],
)
def test_live_blog_urls(url, live):
    assert (live_blog_reason(url) is not None) is live


def test_article_url_heuristic():
    assert looks_like_article("https://x.com/us-news/2026/mar/18/some-story")
    assert looks_like_article("https://x.com/news/20260318-story")
    assert not looks_like_article("https://x.com/2026/mar/18")
    assert not looks_like_article("https://x.com/2026/election")
    assert not looks_like_article("https://x.com/img/2026/03/18/photo-of-the-day-here.jpg")
