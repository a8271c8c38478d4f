"""Pages only a browser can read: application shells rendered by Debian's chromium through scrapy-playwright.

A request is rendered only when ``request.meta["playwright"]`` is true; every other
request goes through Scrapy's own HTTP handler and never starts the browser
(:mod:`.handler`). What is rendered is decided per site (:mod:`.decision`): a site rule
``render = "browser"``, or the crawler's own decision after a static page that looked like
an application shell (:mod:`.shell`) gave no article and the browser did. Inside the
browser, a page may only load its own site's documents, scripts and data, as robots.txt
allows (:mod:`.subrequests`); images, fonts, media and styles are never fetched.
"""

# The request meta key scrapy-playwright reads: true renders the request in the browser.
RENDER_META = "playwright"
# Set on the request of a site's first rendering, made because its static page gave no article.
TRIAL_META = "render_trial"
