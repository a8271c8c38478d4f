"""Sources: feeds, sitemaps and section pages whose new articles become watches.

The crawler fetches and parses listings (:mod:`crawler.discovery`); here is what to watch of them.

- :mod:`policy` reads the ``[sources]`` section of editwatch.toml;
- :mod:`plan` decides, for one poll, which listed articles to watch or skip (pure);
- :mod:`pipeline` records polls and creates the watches (a Scrapy item pipeline);
- :mod:`dedupe` keeps one watch per article once pages are fetched (rel=canonical, redirects);
- :mod:`liveblogs` keeps live blogs out unless a source opts in;
- :mod:`polling` is the daemon's job that polls due sources.
"""
