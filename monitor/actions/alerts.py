"""Alert rules: adding, listing, testing and removing them, for the CLI and the web app alike."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from monitor.actions import BadInput
from monitor.daemon.schedule import format_duration, parse_duration
from storage import clock

if TYPE_CHECKING:
    from storage import Store
    from storage.alerts import AlertRule


def channel_name(channel) -> str:
    """How a channel is shown: its kind and address, secrets masked."""
    shown = channel.describe()
    return shown if shown == channel.kind else f"{channel.kind} {shown}"


def scope_text(rule: AlertRule) -> str:
    """What a rule sends, about which watches, in words."""
    where = f"watch {rule.watch_id}" if rule.watch_id else "all watches"
    if rule.label:
        where = f"watches labelled {rule.label}" if not rule.watch_id else f"{where} (label {rule.label})"
    extras = []
    if rule.fields:
        extras.append(f"edits of {', '.join(rule.fields)}")
    if rule.min_words:
        extras.append(f"edits of at least {rule.min_words} words")
    if rule.digest_seconds:
        extras.append(f"digest every {format_duration(rule.digest_seconds)}")
    if rule.confirm:
        extras.append("edits confirmed by a re-fetch")
    return f"{', '.join(rule.events)} about {where}" + (f"; {'; '.join(extras)}" if extras else "")


def rule_record(rule: AlertRule, counts: dict[str, int]) -> dict:
    """One rule as ``alerts list --json`` prints it."""
    from monitor.alerts.channels import ChannelError, open_channel, redact_unknown

    try:
        channel = open_channel(rule.channel)
        shown, scrub = channel.describe(), channel.scrub
    except ChannelError:
        shown, scrub = redact_unknown(rule.channel), lambda text: text
    return {
        "id": rule.id,
        "kind": rule.kind,
        "channel": shown,
        "events": rule.events,
        "watch_id": rule.watch_id,
        "label": rule.label,
        "fields": rule.fields,
        "min_words": rule.min_words,
        "digest": format_duration(rule.digest_seconds) if rule.digest_seconds else None,
        "confirm": rule.confirm,
        "pending": counts.get("pending", 0),
        "delivered": counts.get("delivered", 0),
        "failed": counts.get("failed", 0),
        "dropped": counts.get("dropped", 0),
        "failures": rule.failures,
        "retry_at": rule.retry_at,
        "last_error": scrub(rule.last_error) if rule.last_error else None,
        "created_at": rule.created_at,
    }


def rule_records(store: Store) -> list[dict]:
    """``alerts list --json``."""
    counts = store.alerts.queue_counts()
    return [rule_record(rule, counts.get(rule.id, {})) for rule in store.alerts.rules()]


def add_alert_rule(
    store: Store,
    url: str,
    events: Sequence[str] = (),
    watch: str | None = None,
    label: str | None = None,
    fields: Sequence[str] = (),
    min_words: int = 0,
    digest: str | None = None,
    confirm: bool = False,
) -> tuple[AlertRule, str]:
    """``editwatch alerts add``: every part validated before anything is stored.

    Returns the rule and the line the CLI prints about it.
    """
    from monitor.alerts.channels import ChannelError, open_channel
    from monitor.alerts.events import parse_events, parse_fields

    try:
        names = parse_events(tuple(events))
        field_names = parse_fields(tuple(fields))
        channel = open_channel(url)
        digest_seconds = int(parse_duration(digest)) if digest else None
    except (ValueError, ChannelError) as exc:
        raise BadInput(str(exc)) from None
    if min_words < 0:
        raise BadInput(f"min words {min_words}: must be 0 or more")
    watch_id = store.watches.resolve(watch).id if watch else None
    rule = store.alerts.add_rule(
        url.strip(),
        channel.kind,
        names,
        watch_id=watch_id,
        label=label or None,
        min_words=min_words,
        digest_seconds=digest_seconds,
        confirm=confirm,
        fields=field_names,
    )
    return rule, f"alert rule {rule.id}: {channel_name(channel)}: {scope_text(rule)}"


def remove_alert_rule(store: Store, rule_id: int) -> dict:
    """``editwatch alerts remove``: the rule goes, its undelivered alerts are dropped."""
    dropped = store.alerts.remove_rule(rule_id)
    return {"id": rule_id, "dropped": dropped,
            "message": f"alert rule {rule_id}: removed ({dropped} undelivered alerts dropped)"}  # fmt: skip


def send_test_alerts(store: Store, config: dict, rule_id: int | None = None) -> list[dict]:
    """``editwatch alerts test``: send a test alert through one rule (or every rule) now.

    One ``{"id", "ok", "message"}`` per rule, the message as the CLI prints it.
    """
    from monitor.alerts.channels import ChannelError, DeliveryError, Outgoing, open_channel
    from monitor.alerts.messages import render_test
    from monitor.alerts.settings import AlertSettings

    settings = AlertSettings.from_config(config)
    rules = [store.alerts.get_rule(rule_id)] if rule_id is not None else store.alerts.rules()
    results = []
    for rule in rules:
        key = str(uuid.uuid4())
        body = {
            "event": "test",
            "id": key,
            "rule_id": rule.id,
            "summary": "editwatch test alert",
            "events": rule.events,
            "detected_at": clock.now_text(),
        }
        try:
            channel = open_channel(rule.channel)
            outgoing = Outgoing(
                key, body, render_test(rule.id, rule.events), signing_secret=settings.webhook_secret
            )
            channel.send(outgoing, settings.timeout)
        except (ChannelError, DeliveryError) as exc:
            results.append(
                {"id": rule.id, "ok": False, "message": f"alert rule {rule.id}: test failed: {exc}"}
            )
            continue
        results.append(
            {
                "id": rule.id,
                "ok": True,
                "message": f"alert rule {rule.id}: test sent to {channel_name(channel)}",
            }
        )
    return results
