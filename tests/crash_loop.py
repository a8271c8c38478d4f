"""The kill -9 loop: the real daemon killed at random moments while it stores versions and delivers
alerts to a webhook receiver on 127.0.0.1, restarted each time. Shared by ``tests/test_crash_safety.py``
(a few kills) and ``benchmarks/crashes.py`` (twenty).

An editor thread rewrites the headline of a story as soon as its previous rewrite is stored, so
every edit must become exactly one version and one alert. Half the kills come at a random moment
after start-up, half the instant an alert reaches the receiver (while the daemon waits for the
answer: the one moment that, by the documented guarantee, may repeat that alert, with the same
Idempotency-Key). After the loop the daemon runs until everything is stored and delivered.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from monitor.demo.site import NewsSite
from storage import Store, clock
from tests.conftest import TEST_CONFIG
from tests.daemon_process import DaemonProcess, daemon_config, wait_for
from tests.receivers import WebhookReceiver

CRASH_CONFIG = {
    "daemon": {"poll_seconds": 0.2, "report_every": "off"},
    "alerts": {"poll_seconds": "0.2s", "retry_base": "0.2s", "retry_max": "0.5s", "timeout": "1s"},
}


@dataclass
class CrashFigures:
    """What the loop did and what it found."""

    kills: int = 0
    kills_mid_delivery: int = 0
    integrity: list[str] = field(default_factory=list)  # PRAGMA integrity_check after each kill
    edits: int = 0  # headline rewrites made on the site
    versions: int = 0  # versions stored
    expected_versions: int = 0  # one per story plus one per edit
    headline_mismatches: int = 0  # stories whose stored headlines differ from the site's, in order
    repeated_versions: int = 0  # consecutive versions with the same content
    alerts: int = 0  # alerts in the outbox
    undelivered: int = 0  # outbox rows not delivered at the end
    requests: int = 0  # POSTs that reached the receiver
    distinct_keys: int = 0  # distinct Idempotency-Keys among them
    lost: int = 0  # alerts whose key never reached the receiver
    repeated_keys: int = 0  # keys that arrived more than once
    extra_arrivals: int = 0  # arrivals beyond the first of each key
    resent_after_recorded: int = 0  # arrivals after the delivery was recorded: a broken guarantee
    restart_seconds: list[float] = field(default_factory=list)  # start of `run` to "daemon started"
    seconds: float = 0.0


class CrashLoop:
    """A site, a receiver and a workspace for one run of the loop."""

    def __init__(self, workspace, *, stories: int = 6, kills: int = 4, seed: int = 1):
        self.workspace = workspace
        self.kills = kills
        self.rng = random.Random(seed)
        self.site = NewsSite.generated(stories, seed=seed)
        self.receiver = WebhookReceiver(hold_seconds=0.05)
        self.headlines: dict[str, list[str]] = {}  # slug -> every headline it had, in order
        self.stop_editing = threading.Event()

    def run(self) -> CrashFigures:
        figures = CrashFigures()
        started = time.monotonic()
        ws = self.workspace
        self.site.start()
        self.receiver.start()
        try:
            ws.config.write_text(daemon_config(TEST_CONFIG, CRASH_CONFIG))
            for slug, story in self.site.stories.items():
                self.headlines[slug] = [story.headline]
                ws.run("add", self.site.url(slug), "--every", "1s")
            ws.run("alerts", "add", self.receiver.url)
            editor = threading.Thread(target=self._edit, args=(figures,), daemon=True)
            editor.start()
            for n in range(self.kills):
                daemon = self._start(figures)
                if n % 2:
                    # The instant an alert reaches the receiver: the daemon waits for the answer.
                    self.receiver.arrived.clear()
                    mid = self.receiver.arrived.wait(20)
                    figures.kills_mid_delivery += int(mid)
                else:
                    time.sleep(self.rng.uniform(0.3, 2.5))
                daemon.kill()
                figures.kills += 1
                with Store(ws.db) as store:
                    figures.integrity.append(store.integrity_check())
            self.stop_editing.set()
            editor.join(10)
            daemon = self._start(figures)
            try:
                wait_for("every edit stored and every alert delivered", self._settled, timeout=120, every=0.3)
            finally:
                daemon.stop()
            self._verify(figures)
        finally:
            self.stop_editing.set()
            self.site.stop()
            self.receiver.stop()
        figures.seconds = time.monotonic() - started
        return figures

    def _start(self, figures: CrashFigures) -> DaemonProcess:
        started = time.monotonic()
        daemon = DaemonProcess(self.workspace).wait_started(timeout=60)
        figures.restart_seconds.append(time.monotonic() - started)
        return daemon

    def _edit(self, figures: CrashFigures) -> None:
        """Rewrite a story's headline whenever its last rewrite is stored as a version."""
        store = Store(self.workspace.db, read_only=True)
        try:
            while not self.stop_editing.wait(0.15):
                stored = self._latest_headlines(store)
                ready = [
                    s for s in self.site.stories if stored.get(self.site.url(s)) == self.headlines[s][-1]
                ]
                if ready:
                    slug = self.rng.choice(ready)
                    self.site.edit(slug, "headline")
                    self.headlines[slug].append(self.site.stories[slug].headline)
                    figures.edits += 1
        finally:
            store.close()

    def _latest_headlines(self, store: Store) -> dict[str, str]:
        rows = store.query(
            "SELECT w.url, v.headline FROM watches w JOIN versions v ON v.watch_id = w.id"
            " WHERE v.number = (SELECT MAX(number) FROM versions WHERE watch_id = w.id)"
        )
        return {r["url"]: r["headline"] for r in rows}

    def _settled(self) -> bool:
        with Store(self.workspace.db) as store:
            stored = self._latest_headlines(store)
            pending = store.query("SELECT COUNT(*) FROM alert_outbox WHERE state != 'delivered'")[0][0]
        current = all(stored.get(self.site.url(s)) == h[-1] for s, h in self.headlines.items())
        return current and pending == 0

    def _verify(self, figures: CrashFigures) -> None:
        with Store(self.workspace.db) as store:
            figures.integrity.append(store.integrity_check())
            for slug, headlines in self.headlines.items():
                watch = store.watches.by_url(self.site.url(slug))
                versions = store.versions.all(watch.id)
                figures.versions += len(versions)
                figures.expected_versions += len(headlines)
                figures.headline_mismatches += int([v.headline for v in versions] != headlines)
                figures.repeated_versions += sum(
                    1 for a, b in itertools.pairwise(versions) if a.content_hash == b.content_hash
                )
            outbox = store.query("SELECT event_id, delivery_key, state, delivered_at FROM alert_outbox")
        figures.alerts = len(outbox)
        figures.undelivered = sum(1 for r in outbox if r["state"] != "delivered")
        arrivals: dict[str, list[float]] = {}
        for request in self.receiver.received:
            arrivals.setdefault(request.headers["idempotency-key"], []).append(request.at)
        counts = Counter({key: len(times) for key, times in arrivals.items()})
        figures.requests = sum(counts.values())
        figures.distinct_keys = len(counts)
        figures.repeated_keys = sum(1 for n in counts.values() if n > 1)
        figures.extra_arrivals = figures.requests - figures.distinct_keys
        for row in outbox:
            key = row["delivery_key"] or row["event_id"]
            times = arrivals.get(key)
            if not times:
                figures.lost += 1
                continue
            recorded = clock.from_text(row["delivered_at"])
            if recorded is not None:
                figures.resent_after_recorded += sum(1 for t in times if t > recorded.timestamp())
