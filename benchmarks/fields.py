"""Does every edit name exactly the fields it edited? Edits of every kind on every template of the demo site.

    python benchmarks/fields.py [--edits 40] [--seed 3]

Serves the demo site on 127.0.0.1 with every template (chrome that changes on every
request; datelines, "Updated N minutes ago" lines and bylines inside the article
container on some), watches its stories with the real CLI and a webhook alert rule to a
real receiver on 127.0.0.1, and checks:

- the first check stores one version of each story, and a second check without edits
  stores none (chrome-only versions, over every template);
- ``--edits`` stories each get one edit, the kinds of :data:`monitor.demo.site.EDIT_KINDS`
  taken in turn and spread over the templates; after `editwatch check` and
  `editwatch alerts dispatch`, the stored change's ``fields`` and the alert's ``fields``
  must each be exactly the edited field, plus at most ``modified`` (a byline edit:
  ``byline``); stories not edited must get no version.

Prints "N of EDITS" overall, per kind and per template, and every mismatch.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.demo.newsroom import EDIT_FIELDS  # noqa: E402
from monitor.demo.site import EDIT_KINDS, NewsSite  # noqa: E402
from monitor.demo.templates import TEMPLATES  # noqa: E402
from storage import Store  # noqa: E402
from tests.receivers import WebhookReceiver  # noqa: E402

CONFIG = """\
[fetch]
delay_seconds = 0
per_domain = 16
retries = 0
timeout_seconds = 10
"""


def exact(fields: list[str] | None, expected: str) -> bool:
    """Whether ``fields`` name the edited field and nothing else but, at most, the modified date."""
    return fields is not None and expected in fields and set(fields) <= {expected, "modified"}


def plan_edits(site: NewsSite, edits: int) -> dict[str, str]:
    """slug -> edit kind: kinds in turn, each story on the template after the previous one's."""
    by_template = {t: [s.slug for s in site.stories.values() if s.template == t] for t in TEMPLATES}
    plan = {}
    for n in range(edits):
        kind = EDIT_KINDS[n % len(EDIT_KINDS)]
        slug = by_template[TEMPLATES[n % len(TEMPLATES)]].pop(0)
        plan[slug] = kind
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    per_template = -(-args.edits // len(TEMPLATES)) + 1  # every edited story, and one left alone
    site = NewsSite.generated(per_template * len(TEMPLATES), seed=args.seed)
    receiver = WebhookReceiver().start()
    site.start()
    work = Path(tempfile.mkdtemp(prefix="editwatch-fields-"))
    (work / "editwatch.toml").write_text(CONFIG)
    env = {
        **os.environ,
        "EDITWATCH_DB": str(work / "editwatch.db"),
        "EDITWATCH_CONFIG": str(work / "editwatch.toml"),
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

    def cli(*argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "monitor", *argv], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        if done.returncode != 0:
            sys.exit(f"editwatch {' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
        return done.stdout

    try:
        (work / "urls.txt").write_text("".join(site.url(slug) + "\n" for slug in site.stories))
        cli("import", "urls.txt")
        cli("alerts", "add", receiver.url, "--on", "edit")
        cli("check")
        cli("check")  # nothing edited: the chrome changed on every request
        store = Store(work / "editwatch.db")
        watches = {w["url"]: w for w in json.loads(cli("list", "--json"))}
        chrome_only = Counter(
            site.stories[u.rsplit("/", 1)[1]].template for u, w in watches.items() if w["versions"] > 1
        )

        plan = plan_edits(site, args.edits)
        for slug, kind in plan.items():
            site.edit(slug, kind)
        cli("check")
        cli("alerts", "dispatch")
        alerts: dict[str, list[dict]] = {}
        for event in receiver.events:
            alerts.setdefault(event["url"].rsplit("/", 1)[1], []).append(event)

        right, total_kind, total_template = Counter(), Counter(), Counter()
        mismatches = []
        for slug, kind in plan.items():
            template, expected = site.stories[slug].template, EDIT_FIELDS[kind]
            changes = [c for c in store.changes.for_watch(watches[site.url(slug)]["id"]) if c.event == "edit"]
            stored = changes[0].fields if len(changes) == 1 else None
            events = alerts.get(slug, [])
            alerted = events[0]["fields"] if len(events) == 1 else None
            total_kind[kind] += 1
            total_template[template] += 1
            if exact(stored, expected) and exact(alerted, expected):
                right[kind] += 1
                right[template] += 1
            else:
                summaries = [c.summary for c in changes]
                mismatches.append(f"  {kind} on {template} ({slug}): stored {[c.fields for c in changes]} "
                                  f"{summaries}, alerts {[e['fields'] for e in events]}")  # fmt: skip
        after = {w["url"]: w for w in json.loads(cli("list", "--json"))}
        for url, watch in after.items():
            slug = url.rsplit("/", 1)[1]
            if slug not in plan and watch["versions"] > 1:
                chrome_only[site.stories[slug].template] += 1
        store.close()
    finally:
        site.stop()
        receiver.stop()

    total = sum(right[k] for k in EDIT_KINDS)
    print(f"edits whose stored change and alert name exactly the edited fields: {total} of {len(plan)}")
    print("by kind:     " + ", ".join(f"{k} {right[k]}/{total_kind[k]}" for k in EDIT_KINDS if total_kind[k]))
    print(
        "by template: "
        + ", ".join(f"{t} {right[t]}/{total_template[t]}" for t in TEMPLATES if total_template[t])
    )
    print(f"chrome-only versions over {len(after)} stories on {len(TEMPLATES)} templates: "
          f"{sum(chrome_only.values())}" + (f" ({dict(chrome_only)})" if chrome_only else ""))  # fmt: skip
    if mismatches:
        print("mismatches:")
        print("\n".join(mismatches))


if __name__ == "__main__":
    main()
