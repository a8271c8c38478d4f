"""What a new user meets first: a mistyped --db, re-adding a watch, --debug, --help, `list` piped."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import click

from monitor.cli import cli
from tests.conftest import ROOT

READ_ONLY = [
    ["list"],
    ["history", "5"],
    ["show", "5"],
    ["diff", "5"],
    ["search", "council"],
    ["export"],
    ["status"],
    ["serve", "--port", "0"],
    ["remove", "5"],
    ["sources", "list"],
    ["sources", "check"],
    ["alerts", "list"],
    ["alerts", "log"],
    ["alerts", "dispatch"],
]


def test_read_only_commands_on_a_missing_database_say_so_and_create_nothing(workspace):
    missing = workspace.path / "editwatch-typo.db"
    for args in READ_ONLY:
        proc = workspace.run("--db", str(missing), *args, check_exit=1)
        assert proc.stderr.strip() == f"editwatch: error: no database at {missing}", args
        assert not list(workspace.path.glob("editwatch-typo.db*")), args
    # Commands that add something create it.
    workspace.run("--db", str(missing), "alerts", "add", "stdout")
    assert missing.exists()
    fresh = workspace.path / "fresh.db"
    workspace.run("--db", str(fresh), "add", "https://news.example/story")
    assert json.loads(workspace.run("--db", str(fresh), "list", "--json").stdout)[0]["id"] == 1


def test_adding_a_watched_url_again_says_what_it_changed(workspace):
    url = "https://news.example/2026/03/18/council-votes"
    assert workspace.run("add", url).stdout.strip() == f"1 {url}: added"
    out = workspace.run("add", url, "--every", "1h").stdout.strip()
    assert out == f"1 {url}: already watching; interval changed from age-based to 1h"
    assert workspace.run("add", url, "--every", "60m").stdout.strip() == f"1 {url}: already watching"
    out = workspace.run("add", url, "--label", "council", "--every", "auto").stdout.strip()
    assert out == (
        f"1 {url}: already watching; interval changed from 1h to age-based; label changed from (none) to council"
    )
    [listed] = json.loads(workspace.run("list", "--json").stdout)
    assert listed["interval"] is None and listed["label"] == "council"
    # A tracking parameter names the same watch.
    out = workspace.run("add", url + "?utm_source=x", "--every", "2d").stdout.strip()
    assert out == f"1 {url}: already watching; interval changed from age-based to 2d"
    proc = workspace.run("add", url, "--every", "sometimes", check_exit=2)
    assert "or auto for the age-based schedule" in proc.stderr


def test_debug_prints_the_traceback_of_an_internal_error(tmp_path):
    # A command with a bug, run through the real group and entry point.
    script = (
        "import sys\n"
        "from monitor.cli import cli, main\n"
        "@cli.command()\n"
        "def broken():\n"
        "    raise RuntimeError('a bug')\n"
        "sys.argv = ['editwatch', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", script, *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )

    plain = run("broken")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.strip() == (
        "editwatch: error: internal error: RuntimeError: a bug (editwatch --debug ... shows the traceback)"
    )
    debug = run("--debug", "broken")
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr and "in broken\n" in debug.stderr
    assert debug.stderr.strip().endswith("editwatch: error: internal error: RuntimeError: a bug")


def _every_command(command: click.Command, path: list[str], parent: click.Context | None = None):
    ctx = click.Context(command, info_name=path[-1], parent=parent)
    yield path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            yield from _every_command(command.get_command(ctx, name), [*path, name], ctx)


def test_every_help_is_plain_text_with_help_for_every_option_and_path_for_files():
    seen = 0
    for path, command, ctx in _every_command(cli, ["editwatch"]):
        seen += 1
        text = command.get_help(ctx)
        assert "`" not in text, (path, [line for line in text.splitlines() if "`" in line])
        assert not re.search(r":(mod|func|class|meth):", text), path
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"
            takes_file = isinstance(param.type, click.Path) or param.name in ("db_path", "config_path")
            if takes_file:
                shown = param.get_help_record(ctx)[0]
                assert shown.endswith(" PATH"), (path, shown)
    assert seen > 25  # every command and subcommand was walked


def test_list_piped_prints_one_line_per_watch(workspace):
    long_url = "https://news.example/2026/03/18/" + "a-long-slug-" * 12 + "end?id=1234567890"
    workspace.run("add", long_url, "--every", "30m", "--label", "x")
    workspace.run("add", "https://news.example/short")
    lines = workspace.run("list", COLUMNS="40").stdout.splitlines()
    assert len(lines) == 3
    header = ["ID", "state", "every", "versions", "last checked", "URL", "headline", "why failing"]
    assert lines[0].split("\t") == header
    assert lines[1].split("\t") == ["1", "active", "30m", "0", "never", long_url, "", ""]
    assert lines[2].split("\t")[:6] == ["2", "active", "auto", "0", "never", "https://news.example/short"]
