"""`editwatch extract` through the real CLI: files (plain and .gz), many at once, live pages, rules, errors."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys

import pytest

from monitor.demo.stories import SEED_BYLINE, SEED_HEADLINE, SEED_PARAGRAPHS, generated_story, seed_story
from monitor.demo.templates import TEMPLATES, render

KEYS = ["source", "url", "headline", "byline", "published", "modified", "body", "extractor", "warnings",
        "page_headline", "search_headline", "social_headline", "title", "rendered"]  # fmt: skip
SLUG = "russia-afghan-peace-conference"


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def saved_pages(tmp_path):
    """Pages of 200 generated stories over every template, half of them gzipped, as an archive would be."""
    paths, stories = [], []
    for n in range(1, 201):
        story = generated_story(n, TEMPLATES[n % len(TEMPLATES)])
        html = render(story, random.Random(n), 5).encode()
        path = tmp_path / f"{story.slug}.html"
        if n % 2:
            path = path.with_suffix(".html.gz")
            path.write_bytes(gzip.compress(html))
        else:
            path.write_bytes(html)
        paths.append(path)
        stories.append(story)
    return paths, stories


def test_extract_many_files_in_one_call_prints_one_object_each(workspace, saved_pages):
    paths, stories = saved_pages
    out = workspace.run("extract", "--json", *map(str, paths)).stdout
    found = records(out)
    assert [r["source"] for r in found] == [str(p) for p in paths]
    for record, story in zip(found, stories, strict=True):
        assert list(record) == KEYS
        assert record["headline"] == story.headline
        assert record["byline"] == story.byline
        assert record["published"] == story.published
        assert record["body"] == story.paragraphs, story.template
        assert record["extractor"] == "page" and record["url"].endswith(f"/{story.slug}")


def test_extract_from_the_live_site_with_explain(workspace, news_site):
    url = news_site.url(SLUG)
    record = records(workspace.run("extract", "--json", "--explain", url).stdout)[0]
    assert record["url"] == url and record["headline"] == SEED_HEADLINE and record["byline"] == SEED_BYLINE
    assert record["published"] == "2021-03-18T09:14:00+00:00" and record["body"] == SEED_PARAGRAPHS
    assert record["explain"] == {"headline": "json-ld", "byline": "json-ld", "published": "json-ld",
                                 "modified": "json-ld", "body": "page: div.article-body",
                                 "page_headline": "h1", "search_headline": "json-ld headline",
                                 "social_headline": "meta og:title", "title": "title"}  # fmt: skip
    assert record["page_headline"] == record["search_headline"] == record["social_headline"] == SEED_HEADLINE
    assert record["title"] == f"{SEED_HEADLINE} | KXYZ News"

    text = workspace.run("extract", "--explain", url).stdout
    assert f"headline: {SEED_HEADLINE}  [json-ld]" in text
    assert "body: 9 paragraphs" in text and "[page: div.article-body]" in text and SEED_PARAGRAPHS[-1] in text


def test_extract_reads_standard_input(workspace):
    html = render(seed_story(template="paper"), random.Random(3), 5)
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "extract", "--json", "-"],
        input=html, capture_output=True, text=True, cwd=workspace.path, env=workspace.env(), timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert records(proc.stdout)[0]["body"] == SEED_PARAGRAPHS


def test_bad_inputs_get_one_line_each_and_the_rest_still_run(workspace, tmp_path):
    good = tmp_path / "good.html"
    good.write_text(render(seed_story(), random.Random(1), 5))
    empty = tmp_path / "empty.html"
    empty.write_text("")
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8bnot really gzip")
    proc = workspace.run(
        "extract", "--json", str(empty), str(good), str(broken), str(tmp_path / "missing.html"), check_exit=1
    )
    found = records(proc.stdout)
    assert [("error" in r) for r in found] == [True, False, True, True]
    assert found[1]["headline"] == SEED_HEADLINE
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("editwatch: error: ") for line in errors)
    assert "Traceback" not in proc.stderr


def test_site_rules_from_the_config_apply_and_explain_themselves(workspace, tmp_path):
    workspace.config.write_text(
        workspace.config.read_text()
        + '\n[sites."kxyz.example"]\nheadline = "figcaption"\nbody = "//div[@class=\'article-body\']"\n'
        + 'drop = ["div.video-player"]\n'
    )
    path = tmp_path / "page.html"
    path.write_text(render(seed_story(), random.Random(1), 5))
    record = records(
        workspace.run(
            "extract", "--json", "--explain", "--url", "https://www.kxyz.example/a", str(path)
        ).stdout
    )[0]
    assert record["headline"].startswith("Russian Foreign Minister Sergey Lavrov speaks")
    assert record["explain"]["headline"] == 'rule sites."kxyz.example": figcaption'
    assert record["extractor"] == "rule" and record["body"][0].startswith("MOSCOW (AP)")
    # READ MORE links are page text inside the ruled container: a rule takes the container as it is.
    assert any(p.startswith("READ MORE:") for p in record["body"])


def test_a_bad_rule_is_a_one_line_error_naming_the_line(workspace, tmp_path):
    workspace.config.write_text(workspace.config.read_text() + '\n[sites."kxyz.example"]\nbody = "div["\n')
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>x</p></body></html>")
    proc = workspace.run("extract", str(path), check_exit=1)
    line = proc.stderr.strip()
    assert line.startswith("editwatch: error: ") and "line 8" in line and "\n" not in line


# A story in windows-1251 whose charset only the HTTP header declares, and a page robots.txt forbids.
CYRILLIC = "Совет утвердил бюджет на следующий год"
STORY = (
    f"<html><head><title>{CYRILLIC}</title></head><body><article><h1>{CYRILLIC}</h1>"
    + "<p>Городской совет утвердил бюджет после долгих споров о ремонте школ и дорог.</p>" * 6
    + "</article></body></html>"
).encode("windows-1251")


@pytest.fixture
def crawled_site():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            paths.append(self.path)
            if self.path == "/robots.txt":
                data, kind = b"User-agent: *\nDisallow: /private/\n", "text/plain"
            else:
                data, kind = STORY, "text/html; charset=windows-1251"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    server.paths = paths
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_extract_honours_robots_txt_and_a_charset_sent_only_in_the_header(workspace, crawled_site):
    story, forbidden = f"{crawled_site.url}/news/budget", f"{crawled_site.url}/private/budget"
    proc = workspace.run("extract", "--json", story, forbidden, check_exit=1)
    found = records(proc.stdout)
    assert found[0]["headline"] == CYRILLIC and found[0]["url"] == story
    assert found[1] == {"source": forbidden, "error": "blocked by robots.txt"}
    assert proc.stderr == f"editwatch: error: {forbidden}: blocked by robots.txt\n"
    assert "/private/budget" not in crawled_site.paths and "/robots.txt" in crawled_site.paths
    assert not workspace.db.exists()  # nothing stored, not even the robots.txt read


def test_extract_refuses_a_blocked_address_as_the_crawler_does(workspace, crawled_site):
    url = f"{crawled_site.url}/news/budget"
    workspace.config.write_text(workspace.config.read_text() + "block_private_addresses = true\n")
    proc = workspace.run("extract", url, check_exit=1)
    workspace.run("add", url)
    crawled = workspace.run("check").stdout.strip()
    assert proc.stderr == f"editwatch: error: {url}: {crawled.split(': error: ', 1)[1]}\n"
    assert proc.stderr == (
        f"editwatch: error: {url}: refused to fetch {url}: 127.0.0.1 is a loopback address"
        " ([fetch] block_private_addresses)\n"
    )
    assert crawled_site.paths == []
