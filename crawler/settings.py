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

# Identify ourselves (``[fetch] contact`` adds how to reach the operator), and honour
# what sites ask of crawlers: robots.txt (re-read daily), one or two requests at a
# time per site with a pause between them, and 429 / Retry-After.
USER_AGENT = "editwatch/0.1 (news article change monitor; +https://github.com/editwatch/editwatch)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "editwatch"
ROBOTSTXT_TTL = 24 * 3600
# Requests waiting out a site's delay count against CONCURRENT_REQUESTS: with many sites,
# 32 would leave the downloader idle behind them. The downloader-aware queue hands out the
# request whose site is least busy (Scrapy's advice for crawls over many sites).
CONCURRENT_REQUESTS = 256
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy's downloader with the per-site limit above actually enforced (see the module).
DOWNLOADER = "crawler.downloader.PerSiteLimitDownloader"
# A response yields one item and the pipelines are synchronous: Scrapy's default of 100
# starts 100 asyncio tasks per response for nothing (about a third of a check's CPU).
CONCURRENT_ITEMS = 1
# Scrapy re-reads and parses a callback's source on every response to warn about
# `return value` in generators (its cache misses on bound methods): 0.3 ms per check.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5
BACKOFF_DEFAULT_SECONDS = 60  # a 429 without Retry-After
BACKOFF_MAX_SECONDS = 3600  # the longest Retry-After honoured

# A daemon cannot wait Scrapy's default 180 s for one page (nor 60 s for DNS), nor
# swallow a 1 GB one. One quick retry covers a reset keep-alive connection; the
# schedule retries anything longer-lived with backoff.
DOWNLOAD_TIMEOUT = 20
DNS_TIMEOUT = 10
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 1
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the failed check is logged, once, by the recording pipeline
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 5
# Follow only instant <meta refresh> redirects, not pages that reload themselves.
METAREFRESH_MAXDELAY = 1

# Pages are evidence: fetched only over http(s) (Scrapy's file:, data:, ftp: and s3: handlers
# are off, so no redirect or <meta refresh> can reach them), HTTPS certificates verified
# (a forged page must not become a version), and with [fetch] block_private_addresses only
# public addresses (see crawler.fetch_policy).
DOWNLOAD_HANDLERS = {
    "file": None,
    "data": None,
    "ftp": None,
    "s3": None,
    # Scrapy's HTTP handler; a request with meta["playwright"] is rendered in Debian's chromium, started
    # on the first such request (see crawler.rendering): static checks never start a browser.
    "http": "crawler.rendering.handler.RenderingDownloadHandler",
    "https": "crawler.rendering.handler.RenderingDownloadHandler",
}
# Rendering: at most this many pages open at once, each given this long to load and show its article.
EDITWATCH_BROWSER_PAGES = 4
EDITWATCH_BROWSER_TIMEOUT = 20
EDITWATCH_BROWSER_PATH = "/usr/bin/chromium"
# A site whose static page is an application shell without an article is tried once in the browser.
EDITWATCH_RENDER_AUTOMATICALLY = True
DOWNLOAD_VERIFY_CERTIFICATES = True
EDITWATCH_BLOCK_PRIVATE_ADDRESSES = False
# DNS answers are kept 5 minutes, not for the daemon's lifetime (see crawler.resolver).
TWISTED_DNS_RESOLVER = "crawler.resolver.ExpiringResolver"
DNS_CACHE_SECONDS = 300

# Checks must be repeatable: no cookies carried between fetches, no cache, no console.
COOKIES_ENABLED = False
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False
# No control port on a long-running service (Scrapy 2.19 opens one on localhost by default).
REMOTE_CONTROL_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # No-ops for editwatch, yet each costs calls on every request: no spider has allowed_domains
    # (Offsite) and none sends HTTP credentials (HttpAuth).
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    # First: a refused request must not even ask for robots.txt.
    "crawler.fetch_policy.FetchPolicyMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.ExpiringRobotsTxtMiddleware": 100,
    # Above RetryMiddleware (550) so that it sees a 429 before a retry is made.
    "crawler.middlewares.SiteBackoffMiddleware": 555,
    "crawler.middlewares.ConditionalGetMiddleware": 560,
}

# Each spider middleware wraps every callback's output in one more async generator. Depth only
# counts link hops (no DEPTH_LIMIT here) and MetaCopyDetection warns spider authors; Referer and
# UrlLength stay (discovered articles get a Referer; overlong discovered URLs are dropped).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# Byte and status counts per request that nothing reads (Scrapy's other stats stay for `scrapy crawl`).
DOWNLOADER_STATS = False

# The crawler extracts the article, then stores the snapshot for the monitor (the check, and a
# version when the comparison form changed). It names no pipeline of the monitor's: the monitor's
# crawl runner (monitor/daemon/crawl.py) adds its own when it runs the crawl in its process.
ITEM_PIPELINES = {
    "crawler.pipelines.article.ExtractArticlePipeline": 100,
    "crawler.pipelines.snapshot.StoreSnapshotPipeline": 200,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Start-up's long-lived objects kept out of garbage collections, young garbage collected less
# often (see crawler.memory); log records below LOG_LEVEL not made at all (see crawler.log_level).
EXTENSIONS = {"crawler.memory.GarbageCollectionTuning": 0, "crawler.log_level.RootLogLevel": 0}
GC_YOUNG_THRESHOLD = 10_000
