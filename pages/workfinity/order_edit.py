"""Workfinity O.S. page after save (``/serviceOrder/edit/{id}``): the number and its data."""

from __future__ import annotations

from urllib.parse import urlsplit

from pages.workfinity.base import WorkfinityScreen, os_number

NUMBER = "#tabServiceOrderId"


class OrderEditPage(WorkfinityScreen):
    def open(self, edit_url_or_id: str | int) -> None:
        """Open an O.S. by its edit URL (absolute or site path) or by its id."""
        target = str(edit_url_or_id).strip()
        if target.startswith(("http://", "https://")):
            url = target
        elif target.startswith("/"):
            parts = urlsplit(self.root)
            url = f"{parts.scheme}://{parts.netloc}{target}"
        else:
            url = self.url(f"/serviceOrder/edit/{target}")
        self.goto(url)
        self.expect_visible(self.page.locator(NUMBER), "a O.S.")

    def read_number(self) -> str:
        return os_number(self.page.locator(NUMBER).inner_text(timeout=self.timeout_ms))
