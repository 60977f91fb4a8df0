"""The browsers of a run: the first login, then one Playwright and one Chromium per worker.

Playwright is not thread-safe, so each worker thread owns its own; the browser is relaunched
every ``restart_browser_every`` requests or when it disconnects. The worker's tabs are kept
open across its requests (``rpa.runtime.kept_tabs``) and closed with the browser.
"""

from __future__ import annotations

from playwright.sync_api import Browser, sync_playwright

from rpa.runtime import logs
from rpa.runtime.browser import BrowserChoice, bundled_chromium, launch_kwargs, resolve_browser
from rpa.runtime.kept_tabs import KeptTabs
from rpa.runtime.session import Authenticator
from rpa.settings import Settings


def first_login(settings: Settings, auth: Authenticator) -> BrowserChoice:
    """Pick the browser and log in once before any worker starts: refused credentials stop
    the run (exit 2). Returns the browser the workers launch."""
    with sync_playwright() as pw:
        choice = resolve_browser(settings.browser_path, bundled=bundled_chromium(pw))
        browser = pw.chromium.launch(**launch_kwargs(choice))
        try:
            logs.event("browser", version=browser.version, source=choice.source,
                       path=choice.path_for(not settings.headed) or "playwright")
            auth.refresh(browser)
        finally:
            browser.close()
    return choice


class BrowserHost:
    """One Playwright, one Chromium and one site session for a worker thread, relaunched when needed."""

    def __init__(self, settings: Settings, choice: BrowserChoice, auth: Authenticator) -> None:
        self.settings = settings
        self.choice = choice
        self.auth = auth  # this worker's site session
        self._pw = sync_playwright().start()
        self.browser: Browser | None = None
        self.served = 0
        self.version = ""
        self.tabs = KeptTabs(settings)

    def get(self) -> Browser:
        stale = self.served >= self.settings.restart_browser_every
        if self.browser is None or not self.browser.is_connected() or stale:
            self.close_browser()
            self.browser = self._pw.chromium.launch(**launch_kwargs(self.choice, headless=not self.settings.headed))
            self.version = self.browser.version
            self.served = 0
        return self.browser

    def close_browser(self) -> None:
        self.tabs.close()
        if self.browser is not None:
            try:
                self.browser.close()
            except Exception:
                pass
            self.browser = None

    def close(self) -> None:
        self.close_browser()
        try:
            self._pw.stop()
        except Exception:
            pass
