"""Zendesk login page (``/access/login``)."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from pages.common import Credentials, mark_stale, soon, wait_unmarked_document
from rpa.errors import LoginRefused, UnexpectedPage

LOGIN_PATH = "/access/login"
WORKSPACE_PATH = "/agent"

EMAIL = "#user_email"
PASSWORD = "#user_password"
SIGN_IN = "#sign-in-submit-button"
# Any of these proves we are inside the Agent Workspace.
WORKSPACE_MARK = '[data-test-id="header-toolbar-add-menu-button"], [data-test-id="header-toolbar-search-button"]'


class ZendeskLogin:
    """Signs in; after a login the site itself returns to the page that was requested."""

    timeout_ms: float = 30_000

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")

    def open(self) -> None:
        self.page.goto(self.base_url + LOGIN_PATH)

    def at_login_url(self) -> bool:
        """The tab's address is the login page's (no round trip)."""
        return urlparse(self.page.url).path.startswith(LOGIN_PATH)

    def is_current(self) -> bool:
        return self.at_login_url() or self.page.locator(EMAIL).is_visible()

    def login(self, creds: Credentials) -> None:
        """Fill and submit the form; raises ``LoginRefused`` when the site stays on the login page."""
        if not self.is_current():
            self.open()
        self.page.locator(EMAIL).fill(creds.user)
        self.page.locator(PASSWORD).fill(creds.password)
        # Mark this document: its replacement (the workspace or the login page again) is the answer.
        mark_stale(self.page)
        self.page.locator(SIGN_IN).click()
        answered = True
        try:
            wait_unmarked_document(self.page, self.timeout_ms)
        except AssertionError:
            answered = False  # no new document: a login page that answers in place
        if answered and not self.is_current():
            soon(lambda t: expect(self.page.locator(WORKSPACE_MARK).first).to_be_visible(timeout=t), self.timeout_ms)
            return
        if self.is_current():
            alert = self.page.get_by_role("alert").filter(visible=True)
            reason = alert.first.inner_text().strip() if alert.count() else "credenciais recusadas"
            raise LoginRefused(f"O Zendesk recusou o login de {creds.user}: {reason}")
        raise UnexpectedPage(f"Depois do login o Zendesk mostrou uma página inesperada: {self.page.url}")

    def ensure_logged_in(self, creds: Credentials) -> bool:
        """Log in if the site shows its login page (opening the workspace first if needed); True if it did."""
        if not self.page.url.startswith(self.base_url):
            self.page.goto(self.base_url + WORKSPACE_PATH)
        if self.is_current():
            self.login(creds)
            return True
        return False
