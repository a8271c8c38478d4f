"""Open browser pages kept between rendered checks, frozen while they wait.

Opening a page in headless Chromium (a window, its renderer, Playwright's instrumentation)
cost about twice the CPU of loading an article in it, so a page is reused: after a check
it is frozen through the DevTools protocol (``Page.setWebLifecycleState``: its scripts,
timers and requests stop, so a page that polls does not go on reaching its site), and
thawed, its cookies cleared, when the next rendered request takes it. The pool never
holds more pages than scrapy-playwright's limit (``[fetch] browser_pages``), since every
page in it was opened under that limit.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("editwatch.rendering")


class PagePool:
    """Idle pages, most recently used first out."""

    def __init__(self) -> None:
        self._idle: list[Any] = []
        self._sessions: dict[int, Any] = {}  # id(page) -> its DevTools session

    async def take(self) -> Any | None:
        """An idle page, thawed and with no cookies, or None (scrapy-playwright opens a new one)."""
        while self._idle:
            page = self._idle.pop()
            if page.is_closed():
                self._sessions.pop(id(page), None)
                continue
            try:
                await self._set_state(page, "active")
                await page.context.clear_cookies()
            except Exception as exc:
                logger.debug("an idle page could not be reused: %s", exc)
                await self.discard(page)
                continue
            return page
        return None

    async def give_back(self, page: Any) -> None:
        """Freeze the page and keep it for the next rendered request (closed if it cannot be frozen)."""
        if page.is_closed():
            self._sessions.pop(id(page), None)
            return
        try:
            await self._set_state(page, "frozen")
        except Exception as exc:
            logger.debug("a page could not be frozen: %s", exc)
            await self.discard(page)
            return
        self._idle.append(page)

    async def discard(self, page: Any) -> None:
        """Close a page that failed (it is not reused)."""
        session = self._sessions.pop(id(page), None)
        try:
            if session is not None:
                await session.detach()
            if not page.is_closed():
                await page.close()
        except Exception as exc:
            logger.debug("a page did not close: %s", exc)

    def forget(self) -> None:
        """Drop every idle page (the browser is closing with them)."""
        self._idle.clear()
        self._sessions.clear()

    async def _set_state(self, page: Any, state: str) -> None:
        session = self._sessions.get(id(page))
        if session is None:
            session = await page.context.new_cdp_session(page)
            self._sessions[id(page)] = session
        await session.send("Page.setWebLifecycleState", {"state": state})
