"""Scrapy settings for editwatch's crawler.

Defaults suit a long-running daemon that visits news sites politely. The CLI
layers the user's ``editwatch.toml`` ``[fetch]`` section on top; ``scrapy crawl``
takes ``-s NAME=VALUE`` as usual.
"""

import os

BOT_NAME = "editwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Where checks are recorded.
EDITWATCH_DB = os.environ.get("EDITWATCH_DB", "editwatch.db")

# Identify ourselves, and honour what sites ask of crawlers.
USER_AGENT = "editwatch/0.1 (news article change monitor; +https://github.com/editwatch/editwatch)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5

# A daemon cannot wait Scrapy's default 180 s for one page, nor swallow a 1 GB one.
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Checks must be repeatable: no cookies carried between fetches, no cache, no console.
COOKIES_ENABLED = False
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.ConditionalGetMiddleware": 560,
}

# Extraction belongs to the crawler; recording (diff, store) to the monitor, wired
# in by dotted path so that the crawler package never imports the monitor.
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractArticlePipeline": 100,
    "monitor.discovery.dedupe.OneWatchPerArticlePipeline": 150,
    "monitor.discovery.liveblogs.LiveBlogPipeline": 160,
    "monitor.pipelines.RecordCheckPipeline": 200,
    "monitor.discovery.pipelines.RecordSourcePollPipeline": 300,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
