"""Email alerts through Apprise to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.receivers import SMTPReceiver

PASSWORD = "mail-Pa55word-9917"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def smtp():
    server = SMTPReceiver().start()
    yield server
    server.stop()


def test_email_alert_has_plain_and_html_parts_with_article_text_escaped(workspace, news_site, smtp):
    workspace.config.write_text(
        workspace.config.read_text() + '\n[alerts]\nviewer_url = "http://127.0.0.1:8080"\n'
    )
    slug = "russia-afghan-peace-conference"
    workspace.run("add", news_site.url(slug))
    url = f"mailto://editor:{PASSWORD}@localhost:{smtp.port}/desk@example.com?from=editwatch@example.com&mode=insecure"
    workspace.run("alerts", "add", url)
    workspace.run("check")
    news_site.edit(slug, "edit_paragraph", index=3)
    story = news_site.stories[slug]
    with news_site.lock:
        story.paragraphs.append(f"A reader wrote {HOSTILE} in the comments section of this story today.")
    workspace.run("check")
    proc = workspace.run("alerts", "dispatch")
    assert "delivered 1" in proc.stdout

    assert smtp.logins == [("editor", PASSWORD)]
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"].endswith("desk@example.com")
    assert message["Subject"].startswith("editwatch: Edited: Russia, US, China urge Afghan sides")
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "paragraph 4 edited; 1 paragraph added" in plain
    assert "[-1.-]{+1, a diplomat said.+}" in plain  # the claim attributed
    assert "View the changes: http://127.0.0.1:8080/watch/1/diff?from=1&to=2" in plain
    assert "<del" in html and "<ins" in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html

    for output in (proc.stdout, proc.stderr, workspace.run("alerts", "list").stdout):
        assert PASSWORD not in output
