"""editwatch's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

# A source listed articles that are now watched for the first time.
# Arguments: ``source_id`` (int) and ``watches`` (list of storage.Watch).
articles_discovered = object()
