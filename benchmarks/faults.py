"""The fault table: what editwatch records when a site fails in each of the ways the open web fails.

    python benchmarks/faults.py [--markdown]

Serves one story per fault on 127.0.0.x (plus HTTPS with a self-signed certificate and a
host name that stops resolving), then runs the real CLI three times: healthy, every fault
at once, healthy again, with a webhook alert rule watching. For each fault it prints the
check's recorded outcome and error, the versions and the alerts it made, and what the
check after the fault ended said. Expected: one version per story, no other version, no
alert, an error on every faulty check (or, for double-encoded UTF-8 and windows-1252 bytes
labelled UTF-8, a page read through),
and "unchanged" on recovery.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import Workspace
from tests.fault_suite import ALL_FAULTS, FaultSuite
from tests.test_faults import READ_THROUGH

# How the reader sees through each fault it reads through.
READ_THROUGH_HOW = {
    "mojibake": "the double encoding is undone when the page is read",
    "wrong_charset": "bytes that are not UTF-8 are read as what they are, not as the label says",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        workspace = Workspace(path=path, db=path / "editwatch.db", config=path / "editwatch.toml")
        with FaultSuite(workspace) as suite:
            run = suite.run()

    rows = []
    for fault, what in ALL_FAULTS.items():
        faulty, recovered = run.rounds["fault"][fault], run.rounds["recovered"][fault]
        during = f"{faulty.outcome}: {faulty.error}" if faulty.error else faulty.outcome or "-"
        if fault in READ_THROUGH and faulty.outcome == "unchanged":
            during = f"unchanged: read through ({READ_THROUGH_HOW[fault]})"
        rows.append(
            [
                fault,
                what,
                during,
                str(recovered.versions - 1),
                str(run.alerts[fault]),
                recovered.outcome or "-",
            ]
        )
    header = ["fault", "the site", "check during the fault", "false versions", "alerts", "check after"]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    false_versions = sum(int(r[3]) for r in rows)
    alerts = sum(run.alerts.values())
    recorded = sum(1 for f in ALL_FAULTS if run.rounds["fault"][f].error)
    silent = sum(1 for f in ALL_FAULTS if run.rounds["recovered"][f].outcome == "unchanged")
    print()
    print(
        f"{len(ALL_FAULTS)} faults: {false_versions} false versions, {alerts} alerts queued, "
        f"{run.delivered} webhook requests, {recorded} recorded as failed checks, "
        f"{silent} silent recoveries; integrity_check: {run.integrity}"
    )
    print(
        "check rounds: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.seconds.items())
        + " (each a fresh `editwatch check` process)"
    )


if __name__ == "__main__":
    main()
