"""The alerts' confirming re-fetch reads the page as the crawler did: same rules, charset, identity,
robots.txt and size cap (it is made by the crawler)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.config import site_rules
from crawler.extraction import content_hash, extract_article
from crawler.fetch import fetch_pages_apart
from tests.receivers import wait_for

FAST = '\n[alerts]\nretry_base = "0.2s"\nretry_max = "0.5s"\ntimeout = "2s"\nconfirm_delay = "0.05s"\n'
# The site's rule picks the story's own headline and text; generic extraction would also read
# the masthead and the reader poll. The charset is sent only in the HTTP header.
RULES = """
[sites."127.0.0.1"]
headline = "h2.story-title"
body = "div.story-text"
"""
CONTACT = "desk@example.org"
CHARSET = "windows-1251"


class RuledSite:
    """One story in windows-1251 (declared only in Content-Type), which an editor can change."""

    def __init__(self):
        self.paragraphs = [
            "Городской совет утвердил бюджет на следующий год после долгих споров.",
            "Мэр сказал, что деньги пойдут на ремонт школ и дорог.",
        ]
        self.agents: list[str] = []
        self.paths: list[str] = []
        self.robots = b"User-agent: *\nAllow: /\n"
        self.lock = threading.Lock()
        self.requests = 0

    def page(self) -> bytes:
        with self.lock:
            self.requests += 1
            poll = f"Опрос читателей: {self.requests} голосов. Что вы думаете о бюджете?"
            body = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        html = (
            "<html><head><title>Вестник</title></head><body>"
            '<header><h1 class="masthead">Вестник города</h1></header>'
            f'<article><h2 class="story-title">Совет утвердил бюджет</h2>'
            f'<div class="story-text">{body}</div><div class="poll"><p>{poll}</p></div></article>'
            "</body></html>"
        )
        return html.encode(CHARSET)

    def __enter__(self) -> RuledSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                site.agents.append(self.headers.get("User-Agent", ""))
                site.paths.append(self.path)
                if self.path == "/robots.txt":
                    data, kind = site.robots, "text/plain"
                else:
                    data, kind = site.page(), f"text/html; charset={CHARSET}"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/story"
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_reverted_edit_is_dropped_and_a_real_one_confirmed_on_a_site_with_rules(workspace, receiver):
    workspace.config.write_text(workspace.config.read_text() + f'contact = "{CONTACT}"\n' + RULES + FAST)
    with RuledSite() as site:
        # Without the rule or the header's charset the page reads differently: the test needs both.
        rules = site_rules({"sites": {"127.0.0.1": {"headline": "h2.story-title", "body": "div.story-text"}}})
        page, kind = site.page(), f"text/html; charset={CHARSET}"
        as_crawled = content_hash(extract_article(page, site.url, content_type=kind, rules=rules))
        assert content_hash(extract_article(page, site.url, content_type=kind)) != as_crawled
        assert content_hash(extract_article(page, site.url, rules=rules)) != as_crawled

        workspace.run("add", site.url)
        workspace.run("alerts", "add", receiver.url, "--confirm")
        workspace.run("check")
        original = list(site.paragraphs)
        site.paragraphs[1] = "Мэр сказал, что деньги пойдут на ремонт школ."
        assert "new version 2" in workspace.run("check").stdout
        site.paragraphs[:] = original  # the page goes back before the alert is confirmed
        fetched_before = len(site.agents)
        assert wait_for(lambda: "dropped as reverted 1" in workspace.run("alerts", "dispatch").stdout)
        assert not receiver.received
        assert len(site.agents) > fetched_before  # the decision came from a re-fetch

        site.paragraphs.append("Оппозиция обещала обжаловать решение в суде.")
        assert "new version 3" in workspace.run("check").stdout
        assert wait_for(lambda: "delivered 1" in workspace.run("alerts", "dispatch").stdout)
        assert [e["event"] for e in receiver.events] == ["edit"]
        assert receiver.events[0]["to_version"] == 3

        # Crawler and re-fetch alike identify themselves with the configured contact.
        assert site.agents and all(CONTACT in agent for agent in site.agents)


def test_the_re_fetch_obeys_robots_txt(workspace, receiver):
    workspace.config.write_text(workspace.config.read_text() + RULES + FAST.replace("0.05s", "2s"))
    with RuledSite() as site:
        workspace.run("add", site.url)
        workspace.run("alerts", "add", receiver.url, "--confirm")
        workspace.run("check")
        site.paragraphs.append("Оппозиция обещала обжаловать решение в суде.")
        assert "new version 2" in workspace.run("check").stdout
        # The site now shuts crawlers out, and the robots.txt read by the checks has expired.
        site.robots = b"User-agent: *\nDisallow: /story\n"
        with sqlite3.connect(workspace.db) as db:
            db.execute("DELETE FROM robots_txt")
        fetched_before = len(site.paths)
        # (A re-fetch that keeps failing is given up after five confirm delays: 2 s leaves time.)
        assert wait_for(
            lambda: "re-fetch failed (blocked by robots.txt)" in workspace.run("alerts", "dispatch").stderr
        )
        assert set(site.paths[fetched_before:]) == {"/robots.txt"}  # asked, and the page not fetched
        assert not receiver.received


def test_a_single_fetch_keeps_to_the_configured_size_cap_and_identity():
    with RuledSite() as site:
        size = len(site.page())
        config = {"fetch": {"max_page_bytes": size - 1, "user_agent": "newsroom-bot/2"}}
        [page] = fetch_pages_apart([site.url], config)
        assert page.article is None
        assert page.error == f"page too large: over the size cap of {size - 1} bytes ([fetch] max_page_bytes)"
        assert site.agents[-1] == "newsroom-bot/2"
        [page] = fetch_pages_apart([site.url], {"fetch": {"max_page_bytes": size + 100}})
        assert page.content_type == f"text/html; charset={CHARSET}" and page.final_url == site.url
        assert page.status == 200 and ("Content-Type", page.content_type) in page.headers
        assert page.article is not None and page.article.title == "Вестник"


def test_the_daemon_confirms_an_edit_by_a_re_fetch(workspace, receiver):
    # A re-fetch that failed would be given up, and the alert sent, only after five 1 s delays.
    alerts = FAST.replace("0.05s", "1s").replace("[alerts]", '[alerts]\npoll_seconds = "0.2s"')
    workspace.config.write_text(
        workspace.config.read_text() + RULES + "\n[daemon]\npoll_seconds = 0.2\n" + alerts
    )
    with RuledSite() as site:
        workspace.run("add", site.url, "--every", "1s")
        workspace.run("alerts", "add", receiver.url, "--confirm")
        log = open(workspace.path / "daemon.log", "w")  # noqa: SIM115 - closed below
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run"], cwd=workspace.path, env=workspace.env(),
            stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        try:
            store = workspace.store()
            assert wait_for(lambda: store.versions.count(1) >= 1, timeout=30)
            site.paragraphs.append("Оппозиция обещала обжаловать решение в суде.")
            assert wait_for(lambda: len(receiver.received) == 1, timeout=30)
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(timeout=35) == 0
        finally:
            if daemon.poll() is None:
                daemon.kill()
            log.close()
    logs = (workspace.path / "daemon.log").read_text()
    assert "edit 1 of watch 1 confirmed by a re-fetch" in logs and "re-fetch failed" not in logs, logs
    assert receiver.events[0]["event"] == "edit" and receiver.events[0]["to_version"] == 2
