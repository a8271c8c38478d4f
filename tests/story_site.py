"""A small news site on 127.0.0.1 whose pages a test sets one by one: stories, walls, redirects."""

from __future__ import annotations

import json
import random
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SUBJECTS = ["Rescue teams", "The regional governor", "Witnesses", "Police officers", "Hospital staff",
             "Engineers", "Local residents", "The fire brigade", "Aid workers", "Officials in the capital",
             "The transport ministry", "Volunteers", "Meteorologists", "Shop owners", "The mayor"]  # fmt: skip
_VERBS = ["said on Tuesday that", "confirmed late in the evening that", "warned reporters that",
          "told the local radio station that", "insisted during a briefing that", "wrote in a statement that",
          "estimated after the meeting that", "reported shortly before midnight that"]  # fmt: skip
_CLAUSES = ["the river had burst its banks near the old bridge", "several roads into the valley were closed",
            "hundreds of families spent the night in school gyms", "power lines had come down across the district",
            "the water level was still rising in the lower town", "two ferries had been taken out of service",
            "emergency shelters were running short of blankets", "the army had sent trucks with drinking water",
            "the railway line to the coast would stay shut for days", "an inquiry into the warning system was due",
            "farmers had lost most of the autumn harvest", "insurers expected claims to reach record levels",
            "the storm was moving slowly towards the border", "schools in three towns would remain closed",
            "a second wave of rain was forecast for the weekend", "helicopters had lifted people from rooftops",
            ]  # fmt: skip


def paragraphs(count: int, seed: int) -> list[str]:
    """``count`` distinct paragraphs of plausible news prose (two or three sentences each)."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        sentences = [
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAUSES)}"
            for _ in range(rng.randint(2, 3))
        ]
        out.append(". ".join(sentences) + f", according to update {seed}-{n}.")
    return out


def story_page(
    url: str,
    headline: str,
    byline: str,
    body: list[str],
    *,
    canonical: str | None = None,
    og_url: str | None = None,
) -> str:
    """An article page with the usual head: canonical link, og:url and a JSON-LD NewsArticle."""
    canonical = canonical or url
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline, "url": canonical,
            "author": {"@type": "Person", "name": byline}, "datePublished": "2026-11-30T08:00:00Z"}  # fmt: skip
    paras = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (
        f"<!doctype html><html><head><title>{escape(headline)} | Valley Courier</title>"
        f'<link rel="canonical" href="{escape(canonical)}">'
        f'<meta property="og:url" content="{escape(og_url or canonical)}">'
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f'<body><nav><a href="/">Home</a> <a href="/world/">World</a></nav><main><article>'
        f'<h1>{escape(headline)}</h1><p class="byline">By {escape(byline)}</p>'
        f'<div class="article-body">{paras}</div></article></main>'
        "<footer>Valley Courier, all rights reserved.</footer></body></html>"
    )


CONSENT_WALL = (
    "<!doctype html><html><head><title>Before you continue</title></head><body><main>"
    "<h1>Before you continue</h1><p>We use cookies and data to deliver and maintain our services, measure "
    "audience engagement and show personalised ads. If you choose to Accept all, we will also use cookies to "
    "develop new services.</p><button>Accept all</button><button>Reject all</button></main></body></html>"
)


class StorySite:
    """Pages by path, each ``(status, body, headers)``; change them while a test runs."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, dict[str, str]]] = {}
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{path.lstrip('/')}"

    def serve(self, path: str, body: str, status: int = 200, **headers: str) -> None:
        with self.lock:
            self.pages["/" + path.lstrip("/")] = (status, body, headers)

    def redirect(self, path: str, to: str) -> None:
        self.serve(path, "", 302, Location=to)

    def __enter__(self) -> StorySite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name for the GET handler
                with site.lock:
                    status, body, headers = site.pages.get(self.path, (404, "<h1>Not found</h1>", {}))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
