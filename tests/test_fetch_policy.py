"""Only http and https are fetched, on every redirect too; block_private_addresses keeps fetches off
the machine's own network, checked after DNS and on every hop."""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import Request
from twisted.internet import defer

from crawler.fetch import fetch_pages_apart
from crawler.fetch_policy import FetchPolicyMiddleware, FetchRefused, address_kind
from crawler.resolver import ExpiringResolver
from tests.fault_suite import ROOT

ARTICLE = (
    "<html><head><title>Council votes</title></head><body><article><h1>Council votes on the budget</h1>"
    + "<p>The council voted on Tuesday to approve the budget after a long debate in the chamber.</p>" * 8
    + "</article></body></html>"
).encode()

# Path -> where it redirects (Location), or a page with a <meta refresh> to it.
REDIRECTS = {
    "/to-file": "file:///etc/passwd",
    "/to-ftp": "ftp://127.0.0.1/pub/story.html",
    "/to-data": "data:text/html,<h1>injected</h1>",
    "/to-gopher": "gopher://127.0.0.1:70/1",
}
META_REFRESH = {"/refresh-to-file": "file:///etc/passwd", "/refresh-to-data": "data:text/html,<h1>x</h1>"}


class _Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path in META_REFRESH:
            body = f'<html><head><meta http-equiv="refresh" content="0;url={META_REFRESH[self.path]}"></head></html>'
            data = body.encode()
        elif self.path in ("/story", "/robots.txt"):
            data = ARTICLE if self.path == "/story" else b"User-agent: *\nAllow: /\n"
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def hostile_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _check(workspace, urls: list[str], **env: str) -> dict[str, str]:
    (workspace.path / "urls.txt").write_text("".join(u + "\n" for u in urls))
    workspace.run("import", "urls.txt", **env)
    out = workspace.run("check", **env).stdout
    return {line.split(" ", 2)[1].rstrip(":"): line.split(": ", 1)[1] for line in out.splitlines()}


def test_redirects_and_meta_refreshes_to_other_schemes_are_not_followed(workspace, hostile_site):
    urls = [hostile_site + path for path in (*REDIRECTS, *META_REFRESH)]
    outcomes = _check(workspace, urls)
    for path, target in REDIRECTS.items():
        assert outcomes[hostile_site + path] == (
            f"error: redirected to {target}: not followed, only http and https are fetched"
        )
    for path in META_REFRESH:  # the page itself is what was fetched: a page with no article
        assert outcomes[hostile_site + path].startswith("error: no article"), outcomes
    listed = json.loads(workspace.run("list", "--json").stdout)
    assert all(w["versions"] == 0 for w in listed)


def test_block_private_addresses_refuses_loopback_private_and_link_local(workspace, hostile_site):
    port = hostile_site.rsplit(":", 1)[1]
    hosts = workspace.path / "hosts"
    hosts.write_text("intranet.example 10.1.2.3\nmetadata.example 169.254.169.254\n")
    env = {
        "EDITWATCH_TEST_HOSTS": str(hosts),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "fakedns"), str(ROOT)]),
    }
    urls = {
        f"{hostile_site}/story": "127.0.0.1 is a loopback address",
        f"http://localhost:{port}/story": "localhost resolves to 127.0.0.1, a loopback address",
        "http://intranet.example/story": "intranet.example resolves to 10.1.2.3, a private address",
        "http://metadata.example/latest/meta-data": "resolves to 169.254.169.254, a link-local address",
        "http://[::ffff:7f00:1]:9/story": "a loopback address",  # ::ffff:127.0.0.1
    }
    workspace.config.write_text(workspace.config.read_text() + "block_private_addresses = true\n")
    outcomes = _check(workspace, list(urls), **env)
    for url, reason in urls.items():
        assert outcomes[url].startswith("error: refused to fetch"), outcomes[url]
        assert reason in outcomes[url] and "[fetch] block_private_addresses" in outcomes[url]

    # Sources are fetched by the same crawler: the same refusal.
    workspace.run("sources", "add", f"{hostile_site}/feed.xml", **env)
    polled = workspace.run("sources", "check", **env).stdout
    assert "refused to fetch" in polled and "127.0.0.1 is a loopback address" in polled, polled

    # Off (the default), the same site is fetched: the setting is what refused it.
    workspace.config.write_text(workspace.config.read_text().replace("= true", "= false"))
    assert _check(workspace, [f"{hostile_site}/story"], **env)[f"{hostile_site}/story"] == "new version 1"


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("10.20.30.40", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("100.64.0.1", "not a public address"),
        ("0.0.0.0", "the unspecified address"),
        ("224.0.0.251", "not a public address"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("news.example", None),
    ],
)
def test_address_kinds(address, kind):
    assert address_kind(address) == kind


def test_every_hop_of_a_redirect_is_checked():
    middleware = FetchPolicyMiddleware(block_private=True)
    hop = Request("http://10.0.0.7/admin", meta={"redirect_urls": ["https://news.example/story"]})
    with pytest.raises(FetchRefused, match=r"10\.0\.0\.7 is a private address"):
        asyncio.run(middleware.process_request(hop))
    hop = Request("file:///etc/passwd", meta={"redirect_urls": ["https://news.example/story"]})
    with pytest.raises(FetchRefused, match=re.escape("redirected from https://news.example/story")):
        asyncio.run(FetchPolicyMiddleware(block_private=False).process_request(hop))


def test_the_resolver_refuses_private_answers_to_connections():
    # A clock, not the global reactor: importing that would install Twisted's default reactor and
    # break every later crawl in this process, which needs the asyncio one.
    from twisted.internet.task import Clock

    resolver = ExpiringResolver(Clock(), timeout=5, ttl=0, block_private=True)
    failures = []
    d = defer.succeed("10.0.0.5").addCallback(resolver._check, "intranet.example")
    d.addErrback(failures.append)
    assert "intranet.example resolves to 10.0.0.5, a private address" in str(failures[0].value)
    assert resolver._check("93.184.216.34", "news.example") == "93.184.216.34"


def test_single_fetches_obey_the_same_policy(hostile_site):
    # `editwatch extract URL` and the alerts' confirming re-fetch are made by the crawler too.
    urls = [f"{hostile_site}/story", *(hostile_site + path for path in REDIRECTS), "file:///etc/passwd"]
    story, *redirected, local_file = fetch_pages_apart(urls, {})
    assert story.article is not None and story.article.headline == "Council votes on the budget"
    for page, target in zip(redirected, REDIRECTS.values(), strict=True):
        assert page.error == f"redirected to {target}: not followed, only http and https are fetched"
    assert local_file.error == "refused to fetch file:///etc/passwd: only http and https are fetched"

    port = hostile_site.rsplit(":", 1)[1]
    urls = [f"{hostile_site}/story", f"http://localhost:{port}/story"]
    blocked = fetch_pages_apart(urls, {"fetch": {"block_private_addresses": True}})
    assert [page.error for page in blocked] == [
        f"refused to fetch {urls[0]}: 127.0.0.1 is a loopback address ([fetch] block_private_addresses)",
        f"refused to fetch {urls[1]}: localhost resolves to 127.0.0.1, a loopback address"
        " ([fetch] block_private_addresses)",
    ]


def test_https_certificates_are_verified_unless_turned_off(workspace, tmp_path):
    from monitor.demo.site import NewsSite
    from tests.certificates import make_certificates

    certificates = make_certificates(tmp_path / "tls")
    signed = NewsSite(tls=certificates.context(certificates.signed), seed=1)
    self_signed = NewsSite(tls=certificates.context(certificates.self_signed), seed=2)
    with signed, self_signed:
        slug = next(iter(signed.stories))
        env = {"SSL_CERT_FILE": str(certificates.ca)}
        good, wrong_name = signed.url(slug), f"https://localhost:{signed.port}/{slug}"
        forged = self_signed.url(slug)
        outcomes = _check(workspace, [good, wrong_name, forged], **env)
        assert outcomes[good] == "new version 1"
        assert outcomes[wrong_name] == "error: TLS error: the site's certificate is for another host name"
        assert outcomes[forged].startswith("error: TLS error: the site's certificate is not trusted")

        workspace.config.write_text(workspace.config.read_text() + "verify_tls = false\n")
        workspace.run("remove", good)
        assert set(_check(workspace, [], **env).values()) == {"new version 1"}
