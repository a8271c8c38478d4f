"""The crawl worker's Redis components: the same crawler, with its queue, robots.txt and last pipeline in Redis.

``editwatch worker`` runs the article crawler with these swapped in by settings
(:func:`crawler.cluster.settings.worker_settings`): scrapy-redis's scheduler on a queue
of its own (:mod:`.scheduler`), check tasks taken from Redis (:mod:`.spider`), the
region check that spares unchanged pages (:mod:`.region`), robots.txt answers shared by
every worker (:mod:`.robots`), a heartbeat (:mod:`.membership`) and a last pipeline that
pushes each result to the coordinator (:mod:`.results`). The wire format of tasks and
results is :mod:`.protocol`; the Redis keys are in :mod:`.keys`.
"""
