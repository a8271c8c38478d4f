"""The commands the README and docs/ show are commands editwatch has, with options it takes.

Every ``editwatch ...`` line of a shell example and every `` `editwatch ...` `` in the text
is resolved against the real command line (click's own command tree, lazily loaded
modules included): the command and subcommand must exist and every ``--option`` and
``-o`` must be one of theirs. Renaming an option without updating the docs fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from monitor.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\s*$")
INLINE = re.compile(r"`(editwatch (?:[^`\\]|\\.)*)`")
SHELL_LANGUAGES = {"", "sh", "shell", "bash", "console"}


def documented_commands() -> list[tuple[str, str]]:
    """(where, command line) for every editwatch command shown in the docs."""
    found: list[tuple[str, str]] = []
    for document in DOCUMENTS:
        in_shell_block = False
        in_block = False
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{document.relative_to(ROOT)}:{number}"
            fence = FENCE.match(line.strip())
            if fence:
                in_block = not in_block
                in_shell_block = in_block and fence.group(1) in SHELL_LANGUAGES
                continue
            if in_shell_block:
                command = line.strip().removeprefix("$ ")
                if command.startswith("editwatch "):
                    found.append((where, re.sub(r"\s+#.*$", "", command)))
            elif not in_block:
                found.extend((where, m.group(1).replace("\\|", "|")) for m in INLINE.finditer(line))
    return found


def option_names(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            names.update(parameter.opts)
            names.update(parameter.secondary_opts)
    return names


def resolve(words: list[str]) -> tuple[list[click.Command], list[str]]:
    """The chain of commands ``words`` names, and the words left for the last one."""
    chain: list[click.Command] = [cli]
    context = click.Context(cli)
    rest = list(words)
    global_options = option_names(cli)
    while rest:
        word = rest[0]
        group = chain[-1]
        if word.startswith("-"):
            if group is cli and word.split("=")[0] in global_options:
                rest.pop(0)
                if word in ("--db", "--config") and rest:
                    rest.pop(0)
                continue
            break
        if not isinstance(group, click.Group):
            break
        shown = "editwatch" if group is cli else f"editwatch {group.name}"
        for each in word.split("|"):  # `alerts add|list|remove` names several subcommands
            assert group.get_command(context, each) is not None, f"`{shown}` has no command {each!r}"
        chain.append(group.get_command(context, word.split("|")[0]))
        rest.pop(0)
    return chain, rest


COMMANDS = documented_commands()


def test_the_docs_show_many_commands():
    assert len(COMMANDS) > 80
    assert {line.split()[1] for _, line in COMMANDS} >= {
        "add",
        "check",
        "history",
        "diff",
        "run",
        "alerts",
        "sources",
    }


@pytest.mark.parametrize(("where", "line"), COMMANDS, ids=[where for where, _ in COMMANDS])
def test_documented_command_exists_with_its_options(where: str, line: str):
    words = shlex.split(line.replace("[", " ").replace("]", " "), posix=True)[1:]
    try:
        chain, rest = resolve(words)
    except AssertionError as exc:
        raise AssertionError(f"{where}: {line!r}: {exc}") from None
    command = chain[-1]
    assert len(chain) > 1 or words in ([], ["--help"]), f"{where}: {line!r} names no command"
    if isinstance(command, click.Group) and not rest:
        return
    known = option_names(command) | option_names(cli)
    for word in rest:
        if word.startswith("-") and word != "-" and not word.startswith("---"):
            option = word.split("=")[0]
            assert option in known, f"{where}: {line!r}: `{command.name}` has no option {option}"


TOML_FENCE = re.compile(r"^[ \t]*```toml\s*$(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)


def documented_config_keys() -> list[tuple[str, str, str]]:
    """(document, table, key) for every key a ``toml`` example sets in [fetch], [sites."…"] or [[rules]]."""
    found = []
    for document in DOCUMENTS:
        for block in TOML_FENCE.findall(document.read_text(encoding="utf-8")):
            table = ""
            for line in block.splitlines():
                line = line.strip()
                if line.startswith("["):
                    table = (
                        "fetch"
                        if line == "[fetch]"
                        else "rules"
                        if line.startswith(("[sites", "[[rules"))
                        else ""
                    )
                elif table and "=" in line and not line.startswith("#"):
                    found.append((document.name, table, line.split("=", 1)[0].strip()))
    return found


def test_every_documented_config_key_exists():
    from crawler.config import FETCH_SETTINGS
    from crawler.extraction.rules import RULE_KEYS

    known = {"fetch": {*FETCH_SETTINGS, "contact"}, "rules": {*RULE_KEYS, "match"}}
    keys = documented_config_keys()
    assert ("rendering.md", "fetch", "browser_pages") in keys and ("rendering.md", "rules", "render") in keys
    assert [(doc, table, key) for doc, table, key in keys if key not in known[table]] == []
