"""A fast local news site on 127.0.0.1: asyncio HTTP/1.1 with keep-alive, stories editable live.

Used by ``editwatch demo``, by the tests and by the benchmarks. Run alone with
``python -m monitor.demo.serve --articles 200`` and edit stories through
``POST /_control/edit/<slug>`` with a JSON body such as ``{"kind": "headline"}``;
``GET /_control/stories`` lists them with their URLs, ``GET /_control/stats`` says
how many requests were answered with how much CPU. ``--sites 50`` spreads the
stories over 50 news sites, each on its own loopback address (127.1.0.1,
127.1.0.2, ...) and with its own template, as a watch list spans many newsrooms.
Static page parts are rendered once; what changes on every request (ads, counters,
teasers, IDs) is cheap, so one core answers thousands of requests per second.
It also publishes listings for discovery (see :mod:`monitor.demo.listings`):
``/feed.xml`` (RSS), ``/atom.xml``, ``/sitemap.xml`` (an index of
``/sitemap-news.xml`` and ``/sitemap-pages.xml``) and the section page ``/news``,
all answering conditional GETs with 304; ``--publish-every 5`` adds a story every
5 seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import resource
import ssl
import threading
import time
from collections import Counter, deque
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from monitor.demo import newsroom
from monitor.demo.listings import LISTINGS, render_listing
from monitor.demo.newsroom import EDIT_KINDS, co_author
from monitor.demo.server import SiteServer, not_modified_since
from monitor.demo.stories import Story, fresh_story, generated_story, seed_story
from monitor.demo.templates import TEMPLATES, render


class NewsSite(SiteServer):
    """A news site serving ``stories`` at ``/<slug>``, with chrome that changes on every request."""

    def __init__(
        self,
        stories: list[Story] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        padding: int = 3000,
        robots: str = "User-agent: *\nAllow: /\n",
        etags: bool = False,
        seed: int | None = None,
        hosts: dict[str, str] | None = None,
        tls: ssl.SSLContext | None = None,
    ):
        self.stories: dict[str, Story] = {s.slug: s for s in (stories or [seed_story()])}
        self.host, self.port = host, port
        # Stories served as other sites: slug -> loopback address (every address serves every path).
        self.hosts: dict[str, str] = dict(hosts or {})
        self.padding = padding
        self.robots = robots
        self.robots_status = 200  # e.g. 404 (no robots.txt) or 503 (the site is failing)
        self.etags = etags
        self.rng = random.Random(seed)
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()  # 304 answers, by path
        self.user_agents: Counter[str] = Counter()  # User-Agent headers received
        self.aliases: dict[str, str] = {}  # another path of a story -> its slug
        self.documents: dict[str, tuple[str, bytes]] = {}  # path -> (content type, body), served as is
        # Per path: requests being answered right now, and the most ever answered at once.
        self.active: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.peak_total = 0  # the most requests answered at once, over all paths
        self._active_total = 0
        # (time.time(), path) of every request (of the latest million, on a long run)
        self.hits: deque[tuple[float, str]] = deque(maxlen=1_000_000)
        self.delays: dict[str, float] = {}  # slug -> seconds to wait before answering
        self.resets: set[str] = set()  # slugs whose connections are cut without an answer
        self.headers: dict[str, dict[str, str]] = {}  # slug -> extra response headers
        self.redirects: dict[str, tuple[str, int]] = {}  # old slug -> (new slug, status)
        self.faults: dict[str, str] = {}  # slug -> a kind of monitor.demo.faults.FAULTS
        self.tls = tls  # serve HTTPS with this context (its certificate may be swapped while serving)
        self.lock = threading.Lock()
        self._edits = 0
        self._started_at = time.time()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._servers: list[asyncio.base_events.Server] = []
        self._thread: threading.Thread | None = None

    @classmethod
    def generated(
        cls, count: int, templates: tuple[str, ...] = TEMPLATES, *, sites: int = 1, **kwargs
    ) -> NewsSite:
        """A site of ``count`` filler stories spread over the templates.

        With ``sites`` > 1 the stories are spread over that many news sites, one
        loopback address and one template each (see :func:`site_address`).
        """
        if sites <= 1:
            stories = [generated_story(n, templates[n % len(templates)]) for n in range(1, count + 1)]
            return cls(stories, **kwargs)
        stories, hosts = [], {}
        for n in range(1, count + 1):
            site = (n - 1) % sites
            story = generated_story(n, templates[site % len(templates)])
            stories.append(story)
            hosts[story.slug] = site_address(site)
        return cls(stories, hosts=hosts, **kwargs)

    # -- lifecycle ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def url(self, slug: str) -> str:
        """The address of a story."""
        return f"{'https' if self.tls else 'http'}://{self.hosts.get(slug, self.host)}:{self.port}/{slug}"

    # -- editing -----------------------------------------------------------------

    def edit(self, slug: str, kind: str, index: int | None = None, text: str | None = None) -> str:
        """Edit a story the way a newsroom would; returns what was done.

        ``text`` replaces the paragraph of an ``edit_paragraph`` or is the new paragraph of
        an ``insert_paragraph``; by default :mod:`monitor.demo.newsroom` writes it (a softened
        statement, a paragraph of reporting), as it writes headlines and corrections.
        """
        with self.lock:
            story = self.stories[slug]
            self._edits += 1
            n = self._edits
            body = story.paragraphs
            story.extra.setdefault("original_paragraphs", list(body))
            if kind == "edit_paragraph":
                k = min(index if index is not None else 2, len(body) - 1)
                body[k] = newsroom.softened(body[k], n) if text is None else text
                done = f"paragraph {k + 1} edited"
            elif kind == "insert_paragraph":
                k = min(index if index is not None else 3, len(body))
                body.insert(k, newsroom.reporting(story, n) if text is None else text)
                done = f"paragraph inserted at {k + 1}"
            elif kind == "delete_paragraph":
                k = min(index if index is not None else 4, len(body) - 1)
                del body[k]
                done = f"paragraph {k + 1} deleted"
            elif kind == "move_paragraph":
                k = min(index if index is not None else 1, len(body) - 1)
                body.append(body.pop(k))
                done = f"paragraph {k + 1} moved to the end"
            elif kind == "headline":
                story.headline = newsroom.development(story, n)
                done = "headline rewritten"
            elif kind == "byline":
                story.byline = [*story.byline, co_author(story.byline, n)]
                done = "byline extended"
            elif kind == "correction":
                body.append(newsroom.correction(story, n))
                done = "correction appended"
            elif kind == "contributor":
                body.append(newsroom.contributor(n))
                done = "contributor line appended"
            elif kind == "social_headline":
                story.extra["social_headline"] = newsroom.social(story, n)
                done = "social headline rewritten"
            else:
                raise ValueError(f"unknown edit kind {kind!r}; choose from {', '.join(EDIT_KINDS)}")
            story.revision += 1
            story.modified = datetime.now(UTC).isoformat(timespec="seconds")
            return done

    def serve_instead(self, slug: str, kind: str | None) -> None:
        """Serve a consent wall, paywall, error page, empty shell or truncated page (status 200) for a
        story from now on (see ``templates.INSTEAD``); ``None`` serves the story again."""
        with self.lock:
            self.stories[slug].extra["instead"] = kind

    def set_typeset(self, slug: str, variant: bool) -> None:
        """Typeset a story differently (curly quotes, no-break spaces...) without changing its words."""
        with self.lock:
            self.stories[slug].extra["typeset"] = variant

    def set_status(self, slug: str, status: int, headers: dict[str, str] | None = None) -> None:
        """Serve this status for a story from now on (404 to pull it, 200 to restore it).

        ``headers`` are sent with it, e.g. ``{"Retry-After": "5"}`` with a 429.
        """
        with self.lock:
            self.stories[slug].status = status
            if headers is None:
                self.headers.pop(slug, None)
            else:
                self.headers[slug] = dict(headers)

    def set_delay(self, slug: str, seconds: float) -> None:
        """Answer requests for a story only after ``seconds`` (0 to answer at once again)."""
        with self.lock:
            if seconds:
                self.delays[slug] = seconds
            else:
                self.delays.pop(slug, None)

    def set_reset(self, slug: str, on: bool = True) -> None:
        """Cut connections asking for a story without answering (a connection reset)."""
        with self.lock:
            if on:
                self.resets.add(slug)
            else:
                self.resets.discard(slug)

    def set_fault(self, slug: str, kind: str | None) -> None:
        """Serve a story through a fault of :data:`monitor.demo.faults.FAULTS` from now on (``None``: healthy)."""
        with self.lock:
            if kind is None:
                self.faults.pop(slug, None)
            else:
                self.faults[slug] = kind

    def move(self, slug: str, new_slug: str, status: int = 301) -> None:
        """Move a story to a new address; the old one redirects there."""
        with self.lock:
            story = self.stories.pop(slug)
            story.slug = new_slug
            self.stories[new_slug] = story
            self.redirects[slug] = (new_slug, status)

    def add_story(self, story: Story, aliases: tuple[str, ...] = ()) -> None:
        """Publish another story, also served at the paths in ``aliases`` (its canonical URL stays one)."""
        with self.lock:
            self.stories[story.slug] = story
            for alias in aliases:
                self.aliases[alias.strip("/")] = story.slug

    def publish(
        self, number: int, *, aliases: tuple[str, ...] = (), template: str = "station", **extra
    ) -> Story:
        """Publish fresh story ``number``, dated now, to the site and its listings."""
        story = fresh_story(number, template=template)
        story.extra.update(extra)
        self.add_story(story, aliases)
        return story

    def serve(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> str:
        """Serve a fixed document at ``path``; returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.documents[path.strip("/")] = (content_type, data)
        return f"{self.base_url}/{path.strip('/')}"

    def redirect(self, path: str, to_slug: str, status: int = 301) -> str:
        """Answer ``path`` with a redirect to a story (a short link, a feed proxy); returns its URL."""
        with self.lock:
            self.redirects[path.strip("/")] = (to_slug, status)
        return f"{self.base_url}/{path.strip('/')}"

    def start_publishing(self, every: float, first: int = 1, count: int | None = None) -> threading.Event:
        """Publish a fresh story every ``every`` seconds in a thread; set the returned event to stop."""
        stop = threading.Event()

        def run() -> None:
            number = first
            while not stop.is_set() and (count is None or number < first + count):
                self.publish(number)
                number += 1
                stop.wait(every)

        threading.Thread(target=run, name="news-site-publisher", daemon=True).start()
        return stop

    # -- serving -----------------------------------------------------------------

    def _etag(self, story: Story) -> str:
        digest = hashlib.sha1(f"{story.slug}:{story.revision}:{story.headline}".encode()).hexdigest()
        return f'"{digest[:16]}"'

    def _page(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        slug = path.split("?", 1)[0].strip("/")
        if path == "/robots.txt":
            return self.robots_status, "text/plain", self.robots.encode(), {}
        if slug == "":
            return self._front_page()
        with self.lock:
            document = self.documents.get(slug)
        if document is not None:
            return 200, document[0], document[1], {}
        if slug in LISTINGS:
            return self._listing(slug, headers)
        if slug in ("_control/stories", "_control/stats"):
            return self._control_page(slug)
        return self._story_page(slug, path, headers)

    def _front_page(self) -> tuple[int, str, bytes, dict[str, str]]:
        with self.lock:
            links = "".join(
                f'<li><a href="/{s.slug}">{escape(s.headline)}</a></li>' for s in self.stories.values()
            )
        page = f"<!DOCTYPE html><html><head><title>KXYZ News</title></head><body><h1>Latest</h1><ul>{links}</ul></body></html>"
        return 200, "text/html; charset=utf-8", page.encode(), {}

    def _control_page(self, slug: str) -> tuple[int, str, bytes, dict[str, str]]:
        """The JSON a test or benchmark reads back: the stories as served, or the site's own costs."""
        if slug == "_control/stories":
            with self.lock:
                data = [
                    {
                        "slug": s.slug,
                        "url": self.url(s.slug),
                        "template": s.template,
                        "headline": s.headline,
                        "revision": s.revision,
                        "status": s.status,
                    }
                    for s in self.stories.values()
                ]
            return 200, "application/json", json.dumps(data).encode(), {}
        usage = resource.getrusage(resource.RUSAGE_SELF)
        stats = {
            "requests": sum(self.requests.values()),
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "max_rss_kb": usage.ru_maxrss,
            "edits": self._edits,
        }
        return 200, "application/json", json.dumps(stats).encode(), {}

    def _story_page(
        self, slug: str, path: str, headers: dict[str, str]
    ) -> tuple[int, str, bytes, dict[str, str]]:
        """A story as it stands, or its redirect, error or 304 Not Modified."""
        with self.lock:
            if slug in self.redirects and slug not in self.stories:
                target, status = self.redirects[slug]
                return status, "text/html; charset=utf-8", b"", {"Location": f"{self.base_url}/{target}"}
            story = self.stories.get(slug) or self.stories.get(self.aliases.get(slug, ""))
            if story is None or story.status in (404, 410):
                status = story.status if story else 404
                return (
                    status,
                    "text/html; charset=utf-8",
                    b"<html><body><h1>Page not found</h1></body></html>",
                    {},
                )
            if story.status != 200:
                extra = dict(self.headers.get(slug, {}))
                return (
                    story.status,
                    "text/html; charset=utf-8",
                    b"<html><body>Server error</body></html>",
                    extra,
                )
            extra = {}
            if self.etags:
                etag = self._etag(story)
                extra["ETag"] = etag
                if headers.get("if-none-match") == etag:
                    self.not_modified[path.split("?", 1)[0]] += 1
                    return 304, "text/html; charset=utf-8", b"", extra
            minutes = int((time.time() - self._started_at) // 60) + self.rng.randint(1, 5)
            page = render(story, self.rng, minutes, self.padding)
        return 200, "text/html; charset=utf-8", page.encode("utf-8"), extra

    def _listing(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        name, content_type = LISTINGS[path]
        with self.lock:
            stories = list(self.stories.values())
            document = render_listing(name, stories, self.base_url).encode("utf-8")
        newest = max((_published(s) for s in stories), default=datetime(2021, 1, 1, tzinfo=UTC))
        extra = {
            "ETag": f'"{hashlib.sha1(document).hexdigest()[:16]}"',
            "Last-Modified": format_datetime(newest.astimezone(UTC), usegmt=True),
        }
        since = headers.get("if-modified-since")
        if headers.get("if-none-match") == extra["ETag"] or (
            "if-none-match" not in headers and since and not_modified_since(newest, since)
        ):
            self.not_modified[path] += 1
            return 304, content_type, b"", extra
        return 200, content_type, document, extra

    def _control(self, path: str, body: bytes) -> tuple[int, str, bytes, dict[str, str]]:
        parts = path.strip("/").split("/")
        try:
            payload = json.loads(body or b"{}")
            if parts[:2] == ["_control", "edit"] and len(parts) == 3:
                done = self.edit(
                    parts[2], payload.get("kind", "edit_paragraph"), payload.get("index"), payload.get("text")
                )
                return 200, "application/json", json.dumps({"done": done}).encode(), {}
            if parts[:2] == ["_control", "status"] and len(parts) == 3:
                self.set_status(parts[2], int(payload["status"]))
                return 200, "application/json", b'{"done": "status set"}', {}
        except (KeyError, ValueError) as exc:
            return 400, "application/json", json.dumps({"error": str(exc)}).encode(), {}
        return 404, "application/json", b'{"error": "no such control"}', {}


def site_address(number: int) -> str:
    """The loopback address of generated site ``number`` (0-based): 127.1.0.1, 127.1.0.2, ..."""
    return f"127.1.{number // 250}.{number % 250 + 1}"


def _published(story: Story) -> datetime:
    try:
        moment = datetime.fromisoformat(story.published)
    except ValueError:
        return datetime(2021, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
