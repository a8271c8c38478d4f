"""The fault suite: every fault of :mod:`monitor.demo.faults`, plus a TLS error and an unresolvable host,
checked through the real CLI against sites on 127.0.0.x. Shared by ``tests/test_faults.py`` and
``benchmarks/faults.py``.

Three rounds of ``editwatch check``: healthy (version 1 of every story), faulty (every story
through its fault at once), healthy again. Each story has accented text, curly quotes and dashes,
so that a charset fault changes what a careless reader would see.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from monitor.demo.faults import FAULTS
from monitor.demo.site import NewsSite
from monitor.demo.stories import Story, generated_story
from storage import Store
from tests.certificates import make_certificates
from tests.receivers import WebhookReceiver

ROOT = Path(__file__).resolve().parent.parent

# Faults outside the site: a TLS error and a host name that does not resolve.
EXTRA_FAULTS = {
    "tls_self_signed": "HTTPS with a self-signed certificate",
    "unresolvable_host": "a host name that does not resolve",
}
ALL_FAULTS = {**FAULTS, **EXTRA_FAULTS}
DNS_NAME = "news-dns.invalid"

FAULT_CONFIG = """\
[fetch]
delay_seconds = 0
per_domain = 16
retries = 0
timeout_seconds = 3
"""

# Words a reader sees in every story; any charset mistake changes some of them.
_ACCENTED = (
    "At the café in Zürich, señor Müller said the naïve plan “won’t survive” — "
    "a view shared in São Paulo and Kraków."
)


def accented_story(number: int) -> Story:
    """A generated story whose paragraphs carry accents, curly quotes and dashes."""
    story = generated_story(number)
    story.slug = f"fault-{number}"
    story.paragraphs = [f"{p} {_ACCENTED}" if i % 2 == 0 else p for i, p in enumerate(story.paragraphs)]
    return story


@dataclass
class RoundResult:
    """What one round of checks did to one story."""

    line: str  # the story's line of `editwatch check`
    outcome: str | None  # the check's recorded outcome
    error: str | None  # the check's recorded error
    versions: int


@dataclass
class FaultRun:
    """The three rounds, per fault."""

    faults: dict[str, str]
    rounds: dict[str, dict[str, RoundResult]] = field(default_factory=dict)  # round -> fault -> result
    seconds: dict[str, float] = field(default_factory=dict)  # round -> wall time of `check`
    changes: dict[str, int] = field(default_factory=dict)  # fault -> changes recorded
    alerts: dict[str, int] = field(default_factory=dict)  # fault -> alerts queued or delivered
    delivered: int = 0  # requests the webhook receiver got
    integrity: str = ""


class FaultSuite:
    """Sites, stories and a workspace for one run of the fault suite."""

    def __init__(self, workspace, faults: dict[str, str] | None = None):
        self.workspace = workspace
        self.faults = dict(faults or ALL_FAULTS)
        self.tmp = Path(workspace.path)
        self.certificates = make_certificates(self.tmp / "tls")
        self.hosts = self.tmp / "hosts"
        names = [f for f in self.faults if f in FAULTS]
        stories = {fault: accented_story(n) for n, fault in enumerate(self.faults, start=1)}
        self.stories = stories
        # One site for the faults of the site itself; a 429 pauses its whole host, so it gets its own.
        self.site = NewsSite([stories[f] for f in names if f != "http_429"], seed=5)
        self.backoff_site = NewsSite([stories["http_429"]], host="127.0.0.2", seed=6)
        self.tls_context = self.certificates.context(self.certificates.signed)
        self.tls_site = NewsSite([stories["tls_self_signed"]], tls=self.tls_context, seed=7)
        self.receiver = WebhookReceiver()
        self.urls: dict[str, str] = {}

    def __enter__(self) -> FaultSuite:
        for site in (self.site, self.backoff_site, self.tls_site):
            site.start()
        self.receiver.start()
        for fault, story in self.stories.items():
            if fault == "http_429":
                self.urls[fault] = self.backoff_site.url(story.slug)
            elif fault == "tls_self_signed":
                self.urls[fault] = self.tls_site.url(story.slug)
            elif fault == "unresolvable_host":
                self.site.add_story(story)
                self.urls[fault] = f"http://{DNS_NAME}:{self.site.port}/{story.slug}"
            else:
                self.urls[fault] = self.site.url(story.slug)
        self._resolve(True)
        return self

    def __exit__(self, *exc: object) -> None:
        for site in (self.site, self.backoff_site, self.tls_site):
            site.stop()
        self.receiver.stop()

    def env(self) -> dict[str, str]:
        """What the CLI subprocesses need: our CA trusted, our hosts file consulted."""
        return {
            "SSL_CERT_FILE": str(self.certificates.ca),
            "EDITWATCH_TEST_HOSTS": str(self.hosts),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "fakedns"), str(ROOT)]),
        }

    def _resolve(self, resolvable: bool) -> None:
        self.hosts.write_text(f"{DNS_NAME} 127.0.0.1\n" if resolvable else "")

    def inject(self, on: bool) -> None:
        """Turn every fault on (or off)."""
        for fault, story in self.stories.items():
            if fault == "tls_self_signed":
                chain = self.certificates.self_signed if on else self.certificates.signed
                self.tls_context.load_cert_chain(*chain)  # new connections get the new certificate
            elif fault == "unresolvable_host":
                self._resolve(not on)
            elif fault == "http_429":
                self.backoff_site.set_fault(story.slug, fault if on else None)
            else:
                self.site.set_fault(story.slug, fault if on else None)

    def run(self) -> FaultRun:
        """Set up, then the three rounds; returns what each did."""
        ws = self.workspace
        ws.config.write_text(FAULT_CONFIG)
        (ws.path / "urls.txt").write_text("".join(url + "\n" for url in self.urls.values()))
        ws.run("import", "urls.txt", **self.env())
        ws.run("alerts", "add", self.receiver.url, **self.env())
        result = FaultRun(self.faults)
        for name, faulty in (("healthy", False), ("fault", True), ("recovered", False)):
            self.inject(faulty)
            if name == "recovered":
                time.sleep(1.1)  # the 429's Retry-After
            started = time.monotonic()
            proc = ws.run("check", timeout=300, **self.env())
            result.seconds[name] = time.monotonic() - started
            result.rounds[name] = self._collect(proc.stdout)
        ws.run("alerts", "dispatch", "-q", **self.env(), check_exit=None)
        result.delivered = len(self.receiver.received)
        with Store(ws.db) as store:
            ids = self._ids(store)
            for fault, watch_id in ids.items():
                result.changes[fault] = len(store.changes.for_watch(watch_id))
                result.alerts[fault] = store.query(
                    "SELECT COUNT(*) FROM alert_outbox WHERE watch_id = ?", (watch_id,)
                )[0][0]
            result.integrity = store.integrity_check()
        return result

    def _ids(self, store: Store) -> dict[str, int]:
        return {fault: store.watches.by_url(url).id for fault, url in self.urls.items()}

    def _collect(self, stdout: str) -> dict[str, RoundResult]:
        lines = {}
        for line in stdout.splitlines():
            head, _, _ = line.partition(": ")
            if " " in head:
                lines[head.split(" ", 1)[1]] = line
        results = {}
        with Store(self.workspace.db) as store:
            for fault, watch_id in self._ids(store).items():
                check = store.checks.recent(watch_id, 1)
                results[fault] = RoundResult(
                    line=lines.get(store.watches.get(watch_id).url, ""),
                    outcome=check[0]["outcome"] if check else None,
                    error=check[0]["error"] if check else None,
                    versions=store.versions.count(watch_id),
                )
        return results
