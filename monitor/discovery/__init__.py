"""Discovery: sources (feeds, sitemaps, section pages) turn new articles into watches.

- :mod:`policy` reads the ``[sources]`` section of editwatch.toml;
- :mod:`plan` decides, for one poll, which listed articles to watch or skip (pure);
- :mod:`pipelines` records polls and creates the watches (a Scrapy item pipeline);
- :mod:`dedupe` keeps one watch per article once pages are fetched (rel=canonical, redirects);
- :mod:`liveblogs` keeps live blogs out unless a source opts in.
"""
