"""A single fetch outside the crawler, for ``editwatch extract URL`` (same identity and limits)."""

from __future__ import annotations

import urllib.error
import urllib.request

from crawler import settings as crawler_settings


class FetchError(OSError):
    """The page could not be fetched; the message says why."""


def fetch_page(url: str, timeout: float | None = None) -> bytes:
    """GET ``url`` with editwatch's User-Agent and page-size cap."""
    request = urllib.request.Request(url, headers={"User-Agent": crawler_settings.USER_AGENT})
    limit = crawler_settings.DOWNLOAD_MAXSIZE
    try:
        with urllib.request.urlopen(
            request, timeout=timeout or crawler_settings.DOWNLOAD_TIMEOUT
        ) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} from {url}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot fetch {url}: {exc.reason}") from None
    except (TimeoutError, ConnectionError) as exc:
        raise FetchError(f"cannot fetch {url}: {exc}") from None
    if len(data) > limit:
        raise FetchError(f"{url} is larger than the {limit // (1024 * 1024)} MB page cap")
    return data
