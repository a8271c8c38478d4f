"""Alerts: rules say which changes go to which channel; the outbox and dispatcher deliver them.

- :mod:`monitor.alerts.events`: event names, rule matching, the webhook JSON of a change
- :mod:`monitor.alerts.outbox`: queues alerts inside the transaction that records a change
- :mod:`monitor.alerts.messages`: plain-text and HTML messages from that JSON
- :mod:`monitor.alerts.channels`: webhook, stdout and Apprise channels
- :mod:`monitor.alerts.dispatch`: delivery, retries with backoff, confirming re-fetches
- :mod:`monitor.alerts.service`: the daemon's delivery job
"""
