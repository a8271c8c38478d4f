"""Article text is untrusted: a story whose headline, byline and paragraphs carry script, event-handler,
``javascript:`` and markup-breaking payloads stays inert in every rendered output: the web viewer's
pages, its Atom feeds, ``diff --format html`` and HTML email. Each output is parsed, not grepped:
no script or active element, no ``on*`` attribute, no link or source outside http(s), and the
payloads are still there, as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from lxml import html as lxml_html

from monitor.demo.site import NewsSite
from monitor.demo.stories import seed_story
from tests.conftest import TEST_CONFIG, Workspace
from tests.receivers import SMTPReceiver
from tests.viewer_server import start_viewer

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '<svg onload="window.__pwned=3"><circle r=1 /></svg>',
    '<a href="javascript:window.__pwned=4">click</a>',
    '<a href="JaVaScRiPt&#x3A;alert(5)">encoded</a>',
    '<iframe src="data:text/html,&lt;script&gt;alert(6)&lt;/script&gt;"></iframe>',
    '"><body onload=alert(7)>',
    "'-alert(8)-' \" onmouseover=\"alert(8)",
    "</textarea></title><script>alert(9)</script>",
    "]]><script>alert(10)</script><![CDATA[",
    "--><script>alert(11)</script><!--",
    '<style>body{background:url("javascript:alert(12)")}</style>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(13)">',
    '<form action="javascript:alert(14)"><button formaction="javascript:alert(15)">go</button></form>',
]
ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "svg", "math", "form", "button", "input", "base",
               "applet", "meta", "link", "img", "video", "audio", "source", "textarea"}  # fmt: skip
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
}


def assert_inert(page: str, where: str, allowed_tags: set[str] = frozenset()) -> None:
    """No element or attribute in ``page`` that could run code or load anything but http(s)."""
    tree = lxml_html.document_fromstring(page)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in ACTIVE_TAGS - set(allowed_tags):
            raise AssertionError(f"{where}: active element <{tag}> {lxml_html.tostring(element)[:120]!r}")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: event handler {name}={value!r} on <{tag}>"
            if name.lower() in URL_ATTRIBUTES:
                scheme = "".join(value.split()).lower().split(":", 1)[0] if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto"), f"{where}: {name}={value!r} on <{tag}>"
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            raise AssertionError(f"{where}: <meta refresh>")
        css = ((element.text or "") if tag == "style" else "") + (element.get("style") or "")
        for active in ("javascript:", "expression(", "@import", "url("):
            assert active not in css.lower(), f"{where}: {active} in CSS of <{tag}>"


def assert_shown_as_text(page: str, where: str, body: bool = True) -> None:
    """The payloads are there for the reader to see, as text (the headline's; the body's too)."""
    text = lxml_html.document_fromstring(page).text_content()
    assert "<script>window.__pwned=1</script>" in text, where
    if body:
        assert 'onerror="window.__pwned=2"' in text, where


@pytest.fixture(scope="module")
def hostile_history(tmp_path_factory):
    """Two versions of a story full of payloads, checked through the CLI, with an email sent."""
    path = tmp_path_factory.mktemp("hostile")
    workspace = Workspace(path=path, db=path / "editwatch.db", config=path / "editwatch.toml")
    workspace.config.write_text(TEST_CONFIG + '\n[alerts]\nviewer_url = "http://127.0.0.1:8080"\n')
    story = seed_story()
    story.headline = f"Council vote {PAYLOADS[0]} {PAYLOADS[6]}\r\nBcc: victim@example.com"
    story.paragraphs = [*story.paragraphs[:3], *(f"Readers wrote {p} in the comments." for p in PAYLOADS)]
    story.script = None  # the newsroom's rewritten headlines then keep the payloads in this one
    smtp = SMTPReceiver().start()
    with NewsSite([story], seed=4) as site:
        workspace.run("add", site.url(story.slug))
        url = f"mailto://editor:pw@localhost:{smtp.port}/desk@example.com?from=editwatch@example.com&mode=insecure"
        workspace.run("alerts", "add", url)
        workspace.run("check")
        site.edit(
            story.slug, "edit_paragraph", index=4, text=f"An editor rewrote {PAYLOADS[2]} {PAYLOADS[3]}."
        )
        site.edit(story.slug, "insert_paragraph", index=1, text=f"Added: {PAYLOADS[1]} {PAYLOADS[12]}")
        site.edit(story.slug, "headline")
        assert "new version 2" in workspace.run("check").stdout
    assert "delivered 1" in workspace.run("alerts", "dispatch").stdout
    smtp.stop()
    viewer = start_viewer(workspace.db, path / "viewer.log", "--read-only")
    yield workspace, viewer, smtp.messages
    viewer.stop()


@pytest.mark.parametrize(
    "page",
    ["/", "/watch/1", "/watch/1/version/1", "/watch/1/version/2", "/watch/1/diff?from=1&to=2",
     "/watch/1/diff?from=1&to=2&view=side", "/search?q=readers+wrote+script"],
)  # fmt: skip
def test_viewer_pages_show_payloads_as_text(hostile_history, page):
    _, viewer, _ = hostile_history
    status, headers, body = viewer.get(page)
    assert status == 200
    assert "script-src" not in headers["Content-Security-Policy"]  # no scripts allowed at all
    # The viewer's own forms (version pickers, search) are the only forms, and hold no payload.
    assert_inert(body, page, allowed_tags={"form", "input", "button", "meta", "link"})
    for form in lxml_html.document_fromstring(body).iter("form"):
        assert (form.get("action") or "").startswith("/"), page
    assert_shown_as_text(body, page, body="/version/" in page or "/diff" in page)


@pytest.mark.parametrize("feed", ["/feed.atom", "/watch/1/feed.atom"])
def test_atom_feeds_carry_payloads_as_text_inside_their_html(hostile_history, feed):
    _, viewer, _ = hostile_history
    status, _, body = viewer.get(feed)
    assert status == 200
    root = ET.fromstring(body)  # well-formed XML despite "]]>" and "-->" in the text
    atom = "{http://www.w3.org/2005/Atom}"
    contents = [e for e in root.iter() if e.tag in (f"{atom}content", f"{atom}summary")]
    assert contents
    for element in contents:
        if element.get("type") == "html":
            # What a feed reader renders: the element's text, as HTML.
            assert_inert(f"<div>{element.text or ''}</div>", feed)
    rendered = "".join(e.text or "" for e in contents if e.get("type") == "html")
    assert_shown_as_text(f"<div>{rendered}</div>", feed)
    for title in root.iter(f"{atom}title"):
        assert "<script" not in (title.text or "") or title.get("type", "text") == "text"


def test_html_diff_export_is_inert(hostile_history):
    workspace, _, _ = hostile_history
    for extra in ([], ["--side-by-side"]):
        page = workspace.run("diff", "1", "--format", "html", *extra).stdout
        assert_inert(page, f"diff --format html {' '.join(extra)}", allowed_tags={"meta"})
        assert_shown_as_text(page, "diff --format html")


def test_html_email_is_inert_and_its_subject_is_plain_text(hostile_history):
    _, _, messages = hostile_history
    assert len(messages) == 1
    message = messages[0]
    html = message.get_body(("html",)).get_content()
    assert_inert(html, "email", allowed_tags={"meta"})
    assert "&lt;script&gt;" in html or "&lt;img" in html
    text = lxml_html.document_fromstring(html).text_content()
    assert "<img src=x onerror=" in text or "<svg onload=" in text
    plain = message.get_body(("plain",)).get_content()
    assert "{+" in plain  # the plain part is the words, marked, not markup
    assert "\n" not in message["Subject"] and "Council vote" in message["Subject"]
    assert message["Bcc"] is None and "victim@example.com" not in message["To"]  # no header injection


@pytest.fixture(scope="module")
def hostile_app(hostile_history, tmp_path_factory):
    """The app that acts (not the viewer) on a copy of the hostile history, plus a watch whose URL and
    label carry payloads too."""
    import shutil

    workspace, _, _ = hostile_history
    path = tmp_path_factory.mktemp("hostile-app")
    copy = Workspace(path=path, db=path / "editwatch.db", config=workspace.config)
    shutil.copy(workspace.db, copy.db)
    copy.run("add", 'http://127.0.0.1:9/story?q="><script>alert(16)</script>', "--label", PAYLOADS[1])
    app = start_viewer(copy.db, path / "app.log", config=copy.config)
    yield app
    app.stop()


@pytest.mark.parametrize(
    "page",
    ["/", "/dashboard", "/dashboard?category=edit", "/watch/1", "/watch/1/remove", "/watch/2", "/watch/2/remove",
     "/alerts", "/watches/new", "/api/", "/watch/1/diff?from=1&to=2&view=side", "/search?q=readers+wrote+script"],
)  # fmt: skip
def test_app_pages_show_payloads_as_text(hostile_app, page):
    status, headers, body = hostile_app.get(page)
    assert status == 200, page
    assert "script-src" not in headers["Content-Security-Policy"]
    assert_inert(body, page, allowed_tags={"form", "input", "button", "meta", "link", "textarea"})
    for form in lxml_html.document_fromstring(body).iter("form"):
        assert (form.get("action") or "").startswith("/"), page
    if page in ("/dashboard", "/watch/1", "/watch/1/remove"):
        assert_shown_as_text(body, page, body=False)


def test_app_json_is_served_as_json_that_no_browser_sniffs_as_html(hostile_app):
    import json

    for path in ("/api/watches", "/api/status", "/api/changes", "/api/watches/1/history", "/api/alerts"):
        status, headers, body = hostile_app.get(path)
        assert status == 200 and headers["Content-Type"] == "application/json", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        json.loads(body)  # the payloads are JSON strings
    assert (
        "<script>alert(16)</script>" in hostile_app.get("/api/watches")[2]
        or "%3Cscript" in (hostile_app.get("/api/watches")[2])
    )
