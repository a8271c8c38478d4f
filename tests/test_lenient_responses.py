"""Responses real servers send that bend HTTP/1.1 are still read: a check that failed on them would
hide every edit to the article behind a fetch error (aiohttp's stricter parser refused the first
two, and a header byte that is not UTF-8 failed its conversion)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests.test_templates_and_guard import outcomes

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the council's budget story, long enough for the extractor to keep it as text.</p>"
    for n in range(1, 9)
)
BODY = f"<html><head><title>Budget</title></head><body><article><h1>Council passes the budget</h1>{PARAGRAPHS}</article></body></html>".encode()

# Each response's head; "{n}" is the body's length.
HEADS = {
    "latin1-header": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Author: Jos\xe9\r\nContent-Length: {n}\r\n\r\n",
    "utf8-header": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Title: Caf\xc3\xa9\r\nContent-Length: {n}\r\n\r\n",
    "duplicate-length": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {n}\r\nContent-Length: {n}\r\n\r\n",
    "folded-header": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Long: one\r\n two\r\nContent-Length: {n}\r\n\r\n",
    "bare-lf": b"HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: {n}\n\n",
    "no-reason": b"HTTP/1.1 200\r\nContent-Type: text/html\r\nContent-Length: {n}\r\n\r\n",
    "close-delimited": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
    "http10": b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: {n}\r\n\r\n",
}


def _serve(listener: socket.socket) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:  # closed: the test is over
            return
        threading.Thread(target=_answer, args=(conn,), daemon=True).start()


def _answer(conn: socket.socket) -> None:
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(65536)
            if not chunk:
                return
            request += chunk
        name = request.split(b" ", 2)[1].decode().strip("/")
        head = HEADS.get(name)
        if head is None:  # robots.txt and anything else
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        conn.sendall(head.replace(b"{n}", str(len(BODY)).encode()) + BODY)


@pytest.fixture
def bent_server() -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=_serve, args=(listener,), daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_every_bent_response_is_read_as_the_article(workspace, bent_server):
    urls = {name: f"{bent_server}/{name}" for name in HEADS}
    workspace.watch(list(urls.values()))
    found = outcomes(workspace.run("check").stdout)
    assert {name: found[url] for name, url in urls.items()} == dict.fromkeys(HEADS, "new version 1")
    shown = workspace.run("show", "1").stdout
    assert "Council passes the budget" in shown and "Paragraph 8 of the council" in shown
