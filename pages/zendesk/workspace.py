"""What every Agent Workspace page object shares: navigation that survives an expired
session, the toolbar, the toasts and the portal layers (menus, listboxes) of the whole page.

Garden renders menus and listboxes in a portal outside the field that opened them, and the
workspace keeps the panes of every opened ticket in the DOM: page-level lookups therefore
take only the *visible* elements, and ticket lookups are scoped to the active pane.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, expect

from pages.common import Credentials, activate, soon, test_id
from pages.hooks import DEFAULT_HOOKS, HookSelectors
from pages.zendesk.login import EMAIL, WORKSPACE_MARK, WORKSPACE_PATH, ZendeskLogin
from rpa.errors import SessionExpired

TOAST = "notification"
TOAST_CLOSE = "notification-close-btn"


def visible(locator: Locator) -> Locator:
    return locator.filter(visible=True)


def exact_text(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


class Workspace:
    """Base of the page objects that need an agent session."""

    timeout_ms: float = 30_000  # a site answer (latency included)
    settle_ms: float = 5_000    # the UI rendering an answer already received

    def __init__(self, page: Page, base_url: str, creds: Credentials, hooks: HookSelectors = DEFAULT_HOOKS) -> None:
        self.page = page
        self.hooks = hooks
        self.base_url = base_url.rstrip("/")
        self.creds = creds
        self.login = ZendeskLogin(page, base_url)
        self.login.timeout_ms = self.timeout_ms

    # -- navigation -----------------------------------------------------------------------

    def goto(self, path: str) -> None:
        """Open ``path``; on the login page log in again and come back to ``path``."""
        self.page.goto(self.base_url + path)
        if self.login.is_current():
            self.log_in_again()
            if urlparse(self.page.url).path != urlparse(path).path:
                self.page.goto(self.base_url + path)  # a site that does not return to the page

    def log_in_again(self) -> None:
        """On the login page: log in (the site returns to the requested page).

        Without a password (the runner logs in outside traced contexts and hands the page
        objects empty credentials) there is nothing to type: ``SessionExpired`` instead.
        """
        if not self.creds.password:
            raise SessionExpired("A sessão do Zendesk expirou: é preciso entrar novamente")
        self.login.login(self.creds)

    def ensure_workspace(self) -> None:
        """Be inside the Agent Workspace with a session (opening it if needed)."""
        path = urlparse(self.page.url).path
        if not self.page.url.startswith(self.base_url) or not path.startswith(WORKSPACE_PATH):
            self.goto(WORKSPACE_PATH)
        elif self.login.is_current():
            self.log_in_again()
        soon(lambda t: expect(self.page.locator(WORKSPACE_MARK).first).to_be_visible(timeout=t), self.timeout_ms)
        # The toolbar is painted before the application's deferred scripts have run, and a click
        # then is lost: wait for them too (no round trip once the document has got that far).
        self.page.wait_for_load_state("domcontentloaded", timeout=self.timeout_ms)

    def login_form(self) -> Locator:
        return self.page.locator(EMAIL)

    # -- page-level layers ------------------------------------------------------------------

    def toasts(self) -> Locator:
        return visible(test_id(self.page, TOAST))

    def close_toasts(self) -> None:
        """Close every visible toast (they are not dismissed on their own)."""
        for _ in range(50):
            toasts = self.toasts()
            if toasts.count() == 0:
                return
            activate(test_id(toasts.first, TOAST_CLOSE))
        soon(lambda t: expect(self.toasts()).to_have_count(0, timeout=t), self.settle_ms)

    def menu_item(self, test_id_value: str) -> Locator:
        """A visible menu item of a portal menu, by test id."""
        return visible(test_id(self.page, test_id_value)).first

    def option(self, text: str) -> Locator:
        """A visible option (Garden portal listbox) whose whole text is ``text``."""
        return visible(self.page.get_by_role("option")).filter(has_text=exact_text(text)).first
