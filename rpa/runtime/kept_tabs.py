"""A worker's two tabs (Workfinity, Zendesk) kept open across its requests, as a person keeps theirs.

A fresh context per request loads both applications from nothing (the Agent Workspace is a
single-page application a person opens once a day; a fresh context also has an empty HTTP
cache). Instead each worker keeps one context with its two pages; the page objects navigate
inside the applications between requests (a new O.S. form, the toolbar's new ticket).

The context is recycled (closed; the next request opens a fresh one from the worker's
``storage_state``):

- every ``keep_tabs_for`` requests, so memory stays flat (a context reused for hundreds of
  navigations grows; ``0`` = a fresh context per attempt, as before);
- at once after any attempt that failed, whatever the cause: the next attempt starts clean;
- when a page crashed or the context closed, the browser was relaunched, or the session was
  renewed (the context still holds the expired cookies).

``--har`` records per context: with it every attempt gets a fresh context (``rpa.runtime.attempt``).

Traces stay per request: a plain ``tracing.start``/``stop`` per attempt on the kept context.
``start_chunk``/``stop_chunk`` would put earlier chunks' network entries into later traces
(microsoft/playwright#30591); a plain start/stop does not (``tests/e2e/test_kept_tabs.py``
opens the zips). A trace's first DOM snapshot shows what the previous request left on screen:
it is written to the same run folder, under the same retention, as that request's own trace.
"""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page

from rpa.runtime.browser import new_context
from rpa.runtime.session import Authenticator
from rpa.runtime.sites import new_tabs
from rpa.settings import Settings


class KeptTabs:
    """The long-lived context and pages of one worker (one thread: never shared)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.context: BrowserContext | None = None
        self.pages: tuple[Page, Page] | None = None
        self.served = 0          # attempts this context has served
        self.opened = 0          # contexts opened so far (the tests read it)
        self._browser: Browser | None = None
        self._generation = -1
        self._broken = False

    @property
    def enabled(self) -> bool:
        return self.settings.keep_tabs_for > 0

    def open(self, browser: Browser, auth: Authenticator) -> tuple[BrowserContext, tuple[Page, Page]]:
        """The kept context and its pages for the next attempt, recycled first when due."""
        if self.context is not None and self._due(browser, auth):
            self.close()
        if self.context is None or self.pages is None:
            context = new_context(browser, self.settings, storage_state=auth.path)
            pages = new_tabs(context)
            for page in pages:
                page.on("crash", self._break)
            context.on("close", self._break)
            self.context, self.pages = context, pages
            self._browser, self._generation, self._broken = browser, auth.generation, False
            self.served = 0
            self.opened += 1
        return self.context, self.pages

    def _due(self, browser: Browser, auth: Authenticator) -> bool:
        return (self._broken or self.served >= self.settings.keep_tabs_for or browser is not self._browser
                or not browser.is_connected() or auth.generation != self._generation)

    def _break(self, *_: object) -> None:
        self._broken = True

    def release(self, *, failed: bool) -> None:
        """One attempt is over: count it; a failed one recycles the context at once."""
        self.served += 1
        if failed:
            self.close()

    def close(self) -> None:
        context, self.context, self.pages = self.context, None, None
        if context is not None:
            try:
                context.close()
            except Exception:
                pass  # a crashed browser took it already
