"""What a stored snapshot means: changes, A/B headlines, rewrites, failing watches, and the timeline they make.

- :mod:`decisions` turns the crawler's verdict on a fetch into what to record (pure);
- :mod:`pipeline` records it in the same crawl that fetched the page;
- :mod:`catchup` makes changes of the snapshots a crawler stored alone;
- :mod:`headline_ab`, :mod:`rewrite` and :mod:`failing` are the decisions' special cases;
- :mod:`backfill` recovers earlier versions from a web archive;
- :mod:`timeline` reads a watch's versions and events back for the CLI and the viewer.
"""
