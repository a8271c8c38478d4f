"""Users' mistakes and broken environments get one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def _one_line_error(proc, status: int) -> str:
    assert proc.returncode == status, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, "expected an error message"
    # One error line, plus at most a usage line.
    assert len([line for line in lines if not line.startswith(("Usage:", "Try "))]) == 1, lines
    return proc.stderr


@pytest.mark.parametrize(
    "url, words",
    [
        ("not a url", "whitespace"),
        ("example.com/story", "no scheme"),
        ("ftp://example.com/story", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("http://", "no host"),
        ("http://example.com:99999/x", "invalid URL"),
    ],
)
def test_add_rejects_malformed_urls_and_other_schemes(workspace, url, words):
    err = _one_line_error(workspace.run("add", url, check_exit=None), 2)
    assert words in err


def test_unknown_ids_and_urls_are_usage_errors_for_every_command(workspace):
    workspace.run("check")  # creates an empty database: the IDs are unknown, not the file
    for args in (
        ("history", "42"),
        ("show", "42"),
        ("diff", "42"),
        ("remove", "42"),
        ("check", "42"),
        ("history", "https://example.com/not-watched"),
    ):
        err = _one_line_error(workspace.run(*args, check_exit=None), 2)
        assert "no watch" in err, args


def test_bad_interval_is_a_usage_error(workspace):
    err = _one_line_error(
        workspace.run("add", "https://example.com/a", "--every", "soon", check_exit=None), 2
    )
    assert "invalid duration" in err


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(workspace):
    workspace.db.write_bytes(b"this is a text file, not a database\n" * 10)
    before = workspace.db.read_bytes()
    err = _one_line_error(workspace.run("list", check_exit=None), 1)
    assert "not an editwatch database" in err
    assert workspace.db.read_bytes() == before


def test_a_database_from_a_newer_editwatch_is_refused(workspace):
    workspace.run("add", "https://example.com/a")
    conn = sqlite3.connect(workspace.db)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    err = _one_line_error(workspace.run("list", check_exit=None), 1)
    assert "newer editwatch" in err


def test_a_broken_config_file_names_the_problem(workspace):
    workspace.config.write_text("[fetch]\ndelay_seconds = 0\nper_domain = 'many'\n")
    err = _one_line_error(workspace.run("check", check_exit=None), 1)
    assert "fetch.per_domain" in err and "line 3" in err
    workspace.config.write_text("[fetch\n")
    err = _one_line_error(workspace.run("list", check_exit=None), 1)
    assert "editwatch.toml" in err


def test_import_reports_bad_lines_and_keeps_the_good_ones(workspace):
    (workspace.path / "urls.txt").write_text(
        "# a comment\nhttps://example.com/a\n\nnot a url\nhttps://example.com/b\n"
    )
    proc = workspace.run("import", "urls.txt", check_exit=1)
    assert "urls.txt:4" in proc.stderr and "Traceback" not in proc.stderr
    assert "imported 2 new watches" in proc.stdout
    assert len(json.loads(workspace.run("list", "--json").stdout)) == 2


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def _serve(handler) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _Odd(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        if self.path == "/json":
            body, ctype, status = b'{"not": "html"}', "application/json", 200
        elif self.path == "/pdf":
            body, ctype, status = b"%PDF-1.4 binary", "application/pdf", 200
        elif self.path == "/broken":
            body, ctype, status = b"<html>oops</html>", "text/html", 500
        elif self.path == "/garbage":
            body, ctype, status = bytes(range(256)) * 40, "text/html; charset=utf-8", 200
        else:
            body, ctype, status = b"nope", "text/html", 404
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_failed_fetches_are_recorded_with_a_clear_message_and_exit_zero(workspace):
    server, base = _serve(_Odd)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    try:
        urls = {
            f"{base}/json": "not an HTML page (Content-Type: application/json)",
            f"{base}/pdf": "not an HTML page (Content-Type: application/pdf)",
            f"{base}/broken": "HTTP 500",
            f"{base}/garbage": "error:",
            f"http://127.0.0.1:{closed_port}/story": "connection refused",
            "http://unresolvable-host.invalid/story": "cannot resolve host",
        }
        for url in urls:
            workspace.run("add", url)
        proc = workspace.run("check", timeout=180)
        assert "Traceback" not in proc.stderr
        lines = {line.split(" ", 2)[1].rstrip(":"): line for line in proc.stdout.splitlines()}
        for url, expected in urls.items():
            assert expected in lines[url], lines[url]
        listed = json.loads(workspace.run("list", "--json").stdout)
        assert all(w["versions"] == 0 for w in listed)
    finally:
        server.shutdown()
