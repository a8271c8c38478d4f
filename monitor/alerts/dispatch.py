"""The alert dispatcher: delivers the outbox, retries with backoff, confirms edits by re-fetching.

Guarantee (docs/alerts.md): an alert is sent until a channel accepts it, and
once its success is recorded it is never sent again. The success is recorded in
its own short transaction right after the channel answers, in the thread that
sent it; a crash between the answer and that commit (about a millisecond) makes
the next dispatcher send the same delivery again with the same
``Idempotency-Key``, which is how a webhook receiver recognizes the repeat.

Each channel (rule) is worked through on its own, oldest alert first; a failure
backs off that channel only (``retry_base`` doubling up to ``retry_max``), and
the failed alert itself too, so one alert a receiver rejects cannot hold back
the others. Every attempt is logged and kept in ``alert_attempts``.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.extraction import content_hash
from monitor.alerts.channels import ChannelError, DeliveryError, Outgoing, open_channel
from monitor.alerts.messages import render_digest, render_event, viewer_link
from monitor.alerts.settings import AlertSettings
from storage import Store, clock
from storage.alert_records import Delivery, QueuedAlert
from storage.errors import StorageError

if TYPE_CHECKING:
    from crawler.items import FetchedPage

logger = logging.getLogger("editwatch.alerts")


@dataclass
class PassReport:
    """What one dispatch pass did."""

    delivered: int = 0  # alerts (a digest counts each alert it carried)
    failed_attempts: int = 0
    confirmed: int = 0
    dropped: int = 0
    channels: dict[int, str] = field(default_factory=dict)  # rule ID -> last error

    def add(self, other: PassReport) -> None:
        self.delivered += other.delivered
        self.failed_attempts += other.failed_attempts
        self.confirmed += other.confirmed
        self.dropped += other.dropped
        self.channels.update(other.channels)


class AlertDispatcher:
    """Delivers queued alerts of one database. Thread-safe: each thread gets its own connection."""

    def __init__(self, db_path: str, settings: AlertSettings, is_stopping: Callable[[], bool] | None = None):
        self.db_path = db_path
        self.settings = settings
        self.stopping = threading.Event()
        self._is_stopping = is_stopping or (lambda: False)
        self._local = threading.local()
        self._stores: list[Store] = []
        self._stores_lock = threading.Lock()
        self.rng = random.Random()

    # -- one pass (editwatch alerts dispatch) ------------------------------------------

    def run_pass(self, workers: int = 4) -> PassReport:
        """Confirm what needs confirming, then deliver everything due on every channel, and return."""
        report = self.confirm_due()
        rule_ids = self.due_channels()
        if rule_ids:
            with ThreadPoolExecutor(
                max_workers=min(workers, len(rule_ids)), thread_name_prefix="alerts"
            ) as pool:
                for channel_report in pool.map(self.run_channel, rule_ids):
                    report.add(channel_report)
        return report

    def due_channels(self) -> list[int]:
        """Rules with alerts ready to send and no backoff in force."""
        return self.store().alerts.rules_with_due_work()

    def run_channel(self, rule_id: int) -> PassReport:
        """Deliver a channel's due alerts, oldest first, until none is due or a send fails."""
        report = PassReport()
        try:
            while not self.should_stop():
                delivery = self.store().alerts.claim(rule_id, claim_seconds=self.settings.claim_seconds)
                if delivery is None:
                    break
                error = self.deliver(delivery)
                if error is None:
                    report.delivered += len(delivery.alerts)
                else:
                    report.failed_attempts += 1
                    report.channels[rule_id] = error
                    break
        except StorageError as exc:
            logger.error("alert rule %s: cannot use the database: %s", rule_id, exc)
        return report

    def deliver(self, delivery: Delivery) -> str | None:
        """Send one claimed delivery and record the outcome at once; returns the error, if it failed."""
        rule = delivery.rule
        try:
            channel = open_channel(rule.channel)
            where = f"rule {rule.id} ({channel.kind} {channel.describe()})"
        except ChannelError as exc:
            channel, where = None, f"rule {rule.id}"
            error = str(exc)
        started = time.monotonic()
        if channel is not None:
            try:
                channel.send(self.compose(delivery), self.settings.timeout)
                error = None
            except DeliveryError as exc:
                error, retry_after = str(exc), exc.retry_after
            except Exception as exc:  # whatever a channel does, the dispatcher carries on
                error, retry_after = channel.scrub(f"{type(exc).__name__}: {exc}"), None
        elapsed = int((time.monotonic() - started) * 1000)
        what = self._what(delivery)
        if error is None:
            # The crash window: the channel has it, the database does not know yet. Keep it tiny.
            self.store().alerts.mark_delivered(delivery, elapsed)
            logger.info(
                "alert delivered: %s to %s, attempt %d, %d ms [key %s]",
                what,
                where,
                delivery.attempt,
                elapsed,
                delivery.key,
            )
            return None
        retry_after = retry_after if channel is not None else None
        now = clock.utcnow()
        row_delay = self._backoff(delivery.attempt)
        channel_delay = max(self._backoff(rule.failures + 1), retry_after or 0.0)
        oldest = min(clock.from_text(a.created_at) or now for a in delivery.alerts)
        give_up = (now - oldest).total_seconds() >= self.settings.give_up_after
        self.store().alerts.mark_failed(
            delivery,
            error,
            elapsed,
            next_attempt_at=clock.later(row_delay, now),
            channel_retry_at=clock.later(channel_delay, now),
            give_up=give_up,
        )
        if give_up:
            logger.error(
                "alert failed for good: %s to %s, attempt %d: %s (undelivered for %s; `editwatch alerts retry` queues it again)",
                what, where, delivery.attempt, error, _duration(self.settings.give_up_after),
            )  # fmt: skip
        else:
            logger.warning(
                "alert delivery failed: %s to %s, attempt %d: %s; channel retries in %s",
                what, where, delivery.attempt, error, _duration(channel_delay),
            )  # fmt: skip
        return error

    def compose(self, delivery: Delivery) -> Outgoing:
        """The JSON body and the message of a delivery."""
        events = [self._with_link(a.payload) for a in delivery.alerts]
        if delivery.digest:
            body = {"event": "digest", "id": delivery.key, "count": len(events), "events": events}
            message = render_digest(events, self.settings)
        else:
            body, message = events[0], render_event(events[0], self.settings)
        return Outgoing(
            key=delivery.key, body=body, message=message, signing_secret=self.settings.webhook_secret
        )

    # -- confirming re-fetches --------------------------------------------------------

    def confirm_due(self) -> PassReport:
        """Re-fetch the pages of edits waiting for confirmation; deliver the confirmed, drop the rest.

        The pages are fetched by the crawler, all of a pass in one child process
        (:func:`crawler.fetch.fetch_pages_apart`): with the crawler's policy (robots.txt,
        User-Agent, address rules, size cap, timeout, TLS) and read as the crawler reads them
        (the site's rules, the header's charset, the chrome learned on the site). A child,
        because this runs in the daemon's alert threads beside its running reactor, and in
        ``editwatch alerts dispatch`` with none: the daemon's event loop never waits for it.
        """
        report = PassReport()
        store = self.store()
        waiting = store.alerts.awaiting_confirmation()
        if not waiting or self.should_stop():
            return report
        pages = self._refetch(waiting)
        for alert in waiting:
            if self.should_stop():
                break
            confirmed, reason = self._recheck(alert, pages.get(alert.payload.get("url")))
            if confirmed is None and self._waited(alert) >= 5 * self.settings.confirm_delay:
                confirmed, reason = True, f"delivered unconfirmed: {reason}"
            if confirmed is None:
                store.alerts.settle_confirmation(
                    alert.change_id,
                    confirmed=None,
                    reason=reason,
                    retry_at=clock.later(self.settings.confirm_delay),
                )
                logger.warning(
                    "edit %s of watch %s: re-fetch failed (%s); trying again later",
                    alert.change_id,
                    alert.watch_id,
                    reason,
                )
            elif confirmed:
                report.confirmed += store.alerts.settle_confirmation(alert.change_id, confirmed=True)
                logger.info("edit %s of watch %s confirmed by a re-fetch", alert.change_id, alert.watch_id)
            else:
                report.dropped += store.alerts.settle_confirmation(
                    alert.change_id, confirmed=False, reason=reason
                )
                logger.info("edit %s of watch %s not alerted: %s", alert.change_id, alert.watch_id, reason)
        return report

    def _refetch(self, alerts: list[QueuedAlert]) -> dict[str, FetchedPage]:
        """The pages of the alerts' edits, fetched and read now by the crawler, by URL."""
        from crawler.fetch import fetch_pages_apart

        watch_ids = {a.payload["url"]: a.watch_id for a in alerts if a.payload.get("url")}
        pages = fetch_pages_apart(
            list(watch_ids),
            self.settings.page_config,
            db_path=self.db_path,
            watch_ids=watch_ids,
            cancelled=self.should_stop,
        )
        return {page.url: page for page in pages}

    def _recheck(self, alert: QueuedAlert, page: FetchedPage | None) -> tuple[bool | None, str]:
        event = alert.payload
        store = self.store()
        try:
            before = store.versions.get(alert.watch_id, event["from_version"])
            after = store.versions.get(alert.watch_id, event["to_version"])
        except (StorageError, KeyError) as exc:
            return None, str(exc) or type(exc).__name__
        if page is None or page.article is None:
            return None, (page.error if page is not None else None) or "the page was not fetched"
        now_hash = content_hash(page.article)
        if now_hash == before.content_hash:
            return False, f"the page went back to version {before.number} (a passing change, not an edit)"
        if now_hash == after.content_hash:
            return True, "the page still shows the edit"
        return True, "the page has changed again since the edit"

    def _waited(self, alert: QueuedAlert) -> float:
        created = clock.from_text(alert.created_at) or clock.utcnow()
        return (clock.utcnow() - created).total_seconds()

    # -- helpers ------------------------------------------------------------------------

    def should_stop(self) -> bool:
        """True once :meth:`close` was called or the owner (the daemon) is stopping."""
        return self.stopping.is_set() or self._is_stopping()

    def store(self) -> Store:
        """This thread's connection to the database."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db_path)
            self._local.store = store
            with self._stores_lock:
                self._stores.append(store)
        return store

    def close(self) -> None:
        """Stop starting new deliveries and close the connections (call when no thread is sending)."""
        self.stopping.set()
        with self._stores_lock:
            for store in self._stores:
                try:
                    store.close()
                except Exception:  # closing a connection another thread still uses
                    pass
            self._stores.clear()

    def _backoff(self, failures: int) -> float:
        delay = min(self.settings.retry_base * 2 ** max(failures - 1, 0), self.settings.retry_max)
        return delay * self.rng.uniform(0.9, 1.1)

    def _what(self, delivery: Delivery) -> str:
        if delivery.digest:
            return f"digest of {len(delivery.alerts)} alerts"
        alert = delivery.alerts[0]
        return f"{alert.event} of watch {alert.watch_id} (change {alert.change_id})"

    def _with_link(self, payload: dict) -> dict:
        link = viewer_link(payload, self.settings)
        return {**payload, "viewer_url": link} if link else payload


def _duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"
