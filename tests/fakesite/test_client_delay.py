"""The slow-client profile (fault knob ``client_delay_ms``) reaches both fakes' pages: longer
debounces (Workfinity's customer autocomplete, Zendesk's requester search) and every AJAX
answer used that much later. The bot on that profile: ``tests/e2e/test_kept_tabs.py``."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.fakesite import test_workfinity as wf
from tests.fakesite import test_zendesk as zd


@pytest.mark.e2e
def test_client_delay_reaches_both_sites_pages(page: Page, fake):
    fake.faults(client_delay_ms=400)
    wf.open_logged_in(page, fake, "/serviceOrder/create")
    assert page.evaluate("document.body.dataset.clientDelay") == "400"
    # the stock debounce (300 ms) plus the slow client's
    assert page.evaluate("jQuery('#customerDocumentNumber').autocomplete('option', 'delay')") == 700
    zd.open_logged_in(page, fake)
    assert page.evaluate("JSON.parse(document.getElementById('bootstrap').textContent).client_delay_ms") == 400
    fake.faults(client_delay_ms=0)
    page.reload()
    assert page.evaluate("JSON.parse(document.getElementById('bootstrap').textContent).client_delay_ms") == 0
