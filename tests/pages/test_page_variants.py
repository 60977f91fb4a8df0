"""The page objects on markup variants of the fakes (what the contract leaves open), and
"not found" only on the site's own answer: a changed suggestion markup is HookMissing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from pages.common import Credentials, install_modal_handler
from pages.hooks import HookSelectors
from pages.workfinity import OrderFormPage
from pages.zendesk import Comment, TicketPage, ZendeskLogin
from rpa.errors import HookMissing, NotFoundOnSite

pytestmark = pytest.mark.e2e

SODEXO_CNPJ = "12345678000195"


def wf_form(page: Page, fake, hooks: HookSelectors | None = None) -> OrderFormPage:
    install_modal_handler(page)
    c = fake.credentials["workfinity"]
    form = OrderFormPage(page, fake.workfinity_url, Credentials(c["user"], c["password"]), hooks or HookSelectors())
    form.open_new_order()
    return form


@pytest.mark.parametrize("variant", [1, 2])
def test_customer_and_composer_on_variants(page: Page, fake, variant):
    """Menu inside the field or in <body>, slow or fast debounce, padded labels; the composer's
    channel told by other data-channel values, or only by its aria-label."""
    fake.faults(variant=variant)
    form = wf_form(page, fake)
    assert form.pick_customer(SODEXO_CNPJ).razao_social == "SODEXO DO BRASIL COMERCIAL S.A."
    with pytest.raises(NotFoundOnSite):  # the site answered "no such customer": a business answer
        wf_form(page, fake).pick_customer("11.444.777/0001-61")

    zd = fake.credentials["zendesk"]
    creds = Credentials(zd["email"], zd["password"])
    ZendeskLogin(page, fake.zendesk_url).ensure_logged_in(creds)
    tickets = TicketPage(page, fake.zendesk_url, creds)
    tickets.open_ticket(41001)
    tickets.add_comment("Registro interno", internal=True)
    tickets.stay_on_ticket_after_submit()
    tickets.submit_as("open")
    assert Comment(public=False, body="Registro interno") in tickets.read_comments()


def test_changed_suggestion_markup_is_never_not_found(page: Page, fake):
    """The customer exists, the site lists it, but its menu no longer has the hooked markup:
    a system error naming the hook (retried, then ERRO_SISTEMA) — never NotFoundOnSite, which
    would become DADOS_INVALIDOS "CNPJ não cadastrado"."""
    form = wf_form(page, fake)
    page.evaluate("""() => jQuery('#customerDocumentNumber').autocomplete('widget')
                            .removeClass('ui-autocomplete').addClass('tenant-suggestions')""")
    form.settle_ms = 1_500
    with pytest.raises(HookMissing) as caught:
        form.pick_customer(SODEXO_CNPJ)
    assert not isinstance(caught.value, NotFoundOnSite)
    assert caught.value.hook == "workfinity.form.suggestion"


def test_override_follows_the_changed_markup(page: Page, fake):
    """The same change, with a [selectors] override for the hook: the customer is picked."""
    hooks = HookSelectors({"workfinity.form.suggestion": "ul.tenant-suggestions li.ui-menu-item"})
    form = wf_form(page, fake, hooks)
    page.evaluate("""() => jQuery('#customerDocumentNumber').autocomplete('widget')
                            .removeClass('ui-autocomplete').addClass('tenant-suggestions')""")
    assert form.pick_customer(SODEXO_CNPJ).razao_social == "SODEXO DO BRASIL COMERCIAL S.A."
