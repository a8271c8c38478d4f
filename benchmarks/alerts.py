"""Alert delivery figures: queueing cost, dispatch throughput, and the crash window.

    python benchmarks/alerts.py --alerts 2000 --channels 4

Queues alerts the way the recording pipeline does (a change and its alerts in one
transaction), then delivers them with one dispatch pass to webhook receivers on
127.0.0.1, and prints: the cost the outbox adds to recording a change, alerts
delivered per second, and the crash window, i.e. the time between a channel's
2xx answer arriving and the delivery being committed as delivered (the only
moment in which a crash makes an alert be sent twice, with the same key).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.alerts.dispatch import AlertDispatcher
from monitor.alerts.outbox import AlertOutbox
from monitor.alerts.settings import AlertSettings
from storage import NewChange, NewVersion, Store, clock
from storage.alerts import AlertRepository
from tests.receivers import WebhookReceiver


def _change(n: int) -> NewChange:
    before = f"Officials said on Tuesday that the council would vote on plan {n} next week."
    after = before.replace("Tuesday", "Wednesday")
    diff = [{"field": "body", "kind": "edit", "category": "edit", "before": before, "after": after,
             "old_index": 2, "new_index": 2, "words_added": 1, "words_removed": 1}]  # fmt: skip
    return NewChange(event="edit", summary="paragraph 3 edited", from_version=1, to_version=2,
                     fields=["body"], diff=diff, words_added=1, words_removed=1)  # fmt: skip


def record_changes(store: Store, count: int) -> list[float]:
    """Store ``count`` changes one transaction each; returns each transaction's duration (s)."""
    watch, _ = store.watches.add("https://news.example/story")
    with store.transaction() as conn:
        store.versions.insert(conn, watch.id, NewVersion(
            fetched_at=clock.now_text(), url=None, content_hash="h", headline="Council to vote",
            byline=[], published=None, modified=None, body=["Body."], extractor="bench",
        ))  # fmt: skip
    durations = []
    for n in range(count):
        started = time.perf_counter()
        with store.transaction() as conn:
            store.changes.insert(conn, watch.id, _change(n), clock.now_text())
        durations.append(time.perf_counter() - started)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=2000, help="changes to record (alerts per channel)")
    parser.add_argument("--channels", type=int, default=4, help="webhook channels (rules)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        store = Store(db)
        baseline = record_changes(store, args.alerts // 4)  # no rules: the hook finds nothing to do
        receivers = [WebhookReceiver().start() for _ in range(args.channels)]
        for receiver in receivers:
            store.alerts.add_rule(receiver.url, "webhook", ["edit"])
        AlertOutbox.install(store, {})
        with_outbox = record_changes(store, args.alerts)
        store.close()

        # Time each commit of "delivered", from the channel's answer to the commit's end.
        windows: list[float] = []
        mark = AlertRepository.mark_delivered

        def timed_mark(self, delivery, duration_ms):
            started = time.perf_counter()
            mark(self, delivery, duration_ms)
            windows.append(time.perf_counter() - started)

        AlertRepository.mark_delivered = timed_mark
        dispatcher = AlertDispatcher(db, AlertSettings(timeout=10))
        started = time.perf_counter()
        report = dispatcher.run_pass(workers=args.channels)
        elapsed = time.perf_counter() - started
        dispatcher.close()
        AlertRepository.mark_delivered = mark
        for receiver in receivers:
            receiver.stop()

    delivered = sum(len(r.received) for r in receivers)
    assert delivered == report.delivered == args.alerts * args.channels
    ms = sorted(w * 1000 for w in windows)
    print(f"recording a change, no outbox:              {statistics.median(baseline) * 1000:.2f} ms median")
    print(
        f"recording a change + {args.channels} queued alerts:        {statistics.median(with_outbox) * 1000:.2f} ms median"
    )
    print(
        f"delivered {delivered} alerts to {args.channels} webhooks in {elapsed:.1f} s: {delivered / elapsed:.0f} alerts/s"
    )
    print(f"crash window (answer received → delivered committed): median {statistics.median(ms):.2f} ms,"
          f" p99 {ms[int(len(ms) * 0.99) - 1]:.2f} ms, max {ms[-1]:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
