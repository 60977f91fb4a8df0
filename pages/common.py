"""Helpers every page object shares."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, Page


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never print the password
        return f"Credentials(user={self.user!r}, password='***')"


def test_id(root: Page | Locator, value: str) -> Locator:
    """``[data-test-id=value]``: Zendesk's hook (Playwright's get_by_test_id reads data-testid)."""
    return root.locator(f'[data-test-id="{value}"]')


def install_modal_handler(page: Page) -> None:
    """Close the sites' surprise blocking modal ("Aviso" / "Fechar") whenever it shows up."""
    modal = page.get_by_role("dialog", name="Aviso")
    page.add_locator_handler(modal, lambda m: m.get_by_role("button", name="Fechar").click(), no_wait_after=False)


class NotFoundOnSite(LookupError):
    """What the page object was asked to find does not exist on the site (a customer, equipment)."""
