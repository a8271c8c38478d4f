"""Open browser pages kept between rendered checks, frozen while they wait.

Opening a page in headless Chromium (a window, its renderer, Playwright's instrumentation)
cost about twice the CPU of loading an article in it, so a page is reused: after a check
it is frozen through the DevTools protocol (``Page.setWebLifecycleState``: its scripts,
timers and requests stop, so a page that polls does not go on reaching its site), and
thawed when the next rendered request has set its routes on it. The pool never
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
        self._frozen: set[int] = set()  # id(page) of the pages frozen by give_back

    async def take(self) -> Any | None:
        """An idle page, still frozen, or None (scrapy-playwright opens a new one)."""
        while self._idle:
            page = self._idle.pop()
            if not page.is_closed():
                return page
            self._sessions.pop(id(page), None)
            self._frozen.discard(id(page))
        return None

    async def thaw(self, page: Any) -> None:
        """Wake a page taken from the pool: called once its new routes are set,
        so that nothing its old scripts ask for goes out unchecked."""
        if id(page) not in self._frozen:
            return  # a new page
        self._frozen.discard(id(page))
        await self._set_state(page, "active")

    async def give_back(self, page: Any) -> None:
        """Freeze the page and keep it for the next rendered request (closed if it cannot be frozen)."""
        if page.is_closed():
            self._sessions.pop(id(page), None)
            self._frozen.discard(id(page))
            return
        try:
            await self._set_state(page, "frozen")
            self._frozen.add(id(page))
            # The check's routes go; in-flight handlers of the last page's requests finish quietly.
            await page.unroute_all(behavior="ignoreErrors")
        except Exception as exc:
            logger.debug("a page could not be frozen: %s", exc)
            await self.discard(page)
            return
        self._idle.append(page)

    async def discard(self, page: Any) -> None:
        """Close a page that failed (it is not reused)."""
        session = self._sessions.pop(id(page), None)
        self._frozen.discard(id(page))
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
        self._frozen.clear()

    async def document_html(self, page: Any) -> str:
        """The page's document as HTML (its doctype, then the root element's outerHTML), as
        Playwright's ``page.content()`` gives it, evaluated through the page's DevTools session."""
        result = await (await self._session(page)).send(
            "Runtime.evaluate", {"expression": _DOCUMENT_HTML, "returnByValue": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(
                f"the page's document could not be read: {result['exceptionDetails'].get('text')}"
            )
        return result["result"].get("value") or ""

    async def _session(self, page: Any) -> Any:
        session = self._sessions.get(id(page))
        if session is None:
            session = await page.context.new_cdp_session(page)
            self._sessions[id(page)] = session
        return session

    async def _set_state(self, page: Any, state: str) -> None:
        await (await self._session(page)).send("Page.setWebLifecycleState", {"state": state})


_DOCUMENT_HTML = (
    "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '')"
    " + (document.documentElement ? document.documentElement.outerHTML : '')"
)
