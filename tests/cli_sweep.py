"""Run many ``editwatch`` command lines in one process, for the bad-input sweep.

    python -m tests.cli_sweep < cases.json > results.json

Each case is ``{"args": [...], "env": {...}, "cwd": "..."}``; each result
``{"exit", "stdout", "stderr", "crash"}``, where ``crash`` names an exception that
escaped the command (there must be none). The command lines run through click's
test runner: the real CLI code, without paying Python's start-up per case. The
test runs this module in a subprocess, so a command that wrongly starts serving
cannot hang the test run.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    from click.testing import CliRunner

    from monitor.cli import cli

    runner = CliRunner()
    results = []
    for case in json.load(sys.stdin):
        os.chdir(case.get("cwd") or ".")
        result = runner.invoke(cli, case["args"], env=case.get("env"), input=case.get("input"))
        crash = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = f"{type(result.exception).__name__}: {result.exception}"
        results.append(
            {"exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr, "crash": crash}
        )
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
