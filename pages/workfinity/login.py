"""Workfinity login screen (``/login/auth``)."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from pages.common import VISIBLE_JS, Credentials
from pages.workfinity.base import mark_document, new_alerts, site_root, wait_new_document
from rpa.errors import LoginRefused, UnexpectedPage

REFUSED = "Usuário ou senha inválidos"
USERNAME, PASSWORD = "#username", "#password"


class WorkfinityLogin:
    timeout_ms: float = 30_000

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.root = site_root(base_url)
        self.username = page.locator(USERNAME)
        self.password = page.locator(PASSWORD)
        self.submit = page.get_by_role("button", name="Entrar", exact=True)
        self.refused = page.get_by_role("alert").filter(has_text=REFUSED)

    def open(self) -> None:
        self.page.goto(self.root + "/login/auth", timeout=self.timeout_ms)

    def is_current(self) -> bool:
        """The login form is showing (checked now, without waiting): both fields in one round trip."""
        try:
            return bool(self.page.evaluate(
                f"fields => fields.every(s => {{ const all = document.querySelectorAll(s); "
                f"return all.length === 1 && ({VISIBLE_JS})(all[0]); }})", [USERNAME, PASSWORD]))
        except PlaywrightError:  # a document being replaced: ask Playwright, which waits for the next one
            return self.password.is_visible() and self.username.is_visible()

    def login(self, creds: Credentials) -> None:
        """Log in; the site then shows the page that was asked for (or the O.S. list)."""
        self.username.fill(creds.user)
        self.password.fill(creds.password)
        mark_document(self.page)
        self.submit.click()
        wait_new_document(self.page, self.timeout_ms, or_shown=new_alerts(self.page).filter(has_text=REFUSED))
        if self.refused.first.is_visible():
            raise LoginRefused("O Workfinity recusou o usuário ou a senha configurados.", user=creds.user)
        if self.is_current():
            raise UnexpectedPage("O Workfinity continuou na tela de login depois do login.", user=creds.user)

    def ensure_logged_in(self, creds: Credentials) -> bool:
        """Log in if the login page is showing; True if it did."""
        if not self.is_current():
            return False
        self.login(creds)
        return True
