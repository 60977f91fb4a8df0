"""The page objects on markup variants of the fakes (what the contract leaves open), and
"not found" only on the site's own answer: a changed result markup is a system error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from fakesite.variants import EXTRA_FIELDS, RESULTS_CHANGED
from pages.common import Credentials, install_modal_handler
from pages.hooks import HookSelectors
from pages.workfinity import OrderFormPage, SiteAddress
from pages.zendesk import Comment, SearchPage, TicketPage, ZendeskLogin
from rpa.errors import HookMissing, NotFoundOnSite, UnexpectedPage
from tests.pages.test_workfinity_pages import assert_read_in_one_trip

pytestmark = pytest.mark.e2e

SODEXO_CNPJ = "12345678000195"
SODEXO_SERIAL = "BE4200TH000123"


def wf_form(page: Page, fake, hooks: HookSelectors | None = None) -> OrderFormPage:
    install_modal_handler(page)
    c = fake.credentials["workfinity"]
    form = OrderFormPage(page, fake.workfinity_url, Credentials(c["user"], c["password"]), hooks or HookSelectors())
    form.open_new_order()
    return form


def zd_tickets(page: Page, fake) -> TicketPage:
    zd = fake.credentials["zendesk"]
    creds = Credentials(zd["email"], zd["password"])
    ZendeskLogin(page, fake.zendesk_url).ensure_logged_in(creds)
    return TicketPage(page, fake.zendesk_url, creds)


@pytest.mark.parametrize("variant", [1, 2])
def test_order_and_ticket_on_variants(page: Page, fake, variant):
    """Every step the bot takes, on markup that differs where the contract leaves it open:
    labels by wrapping or aria-labelledby, wrapped inputs, tab panels first, option values as
    ids, slow and fast client-side timings, a cookie banner, extra fields; in Zendesk layers
    inline, padded texts, other item roles, another sidebar order, a late workspace."""
    fake.faults(variant=variant)
    form = wf_form(page, fake)
    assert form.pick_customer(SODEXO_CNPJ).razao_social == "SODEXO DO BRASIL COMERCIAL S.A."
    assert_read_in_one_trip(form)  # labels by wrapping (1) or aria-labelledby (2)
    form.change_address(SiteAddress("01310-100", "Avenida Paulista", "2000", "", "Bela Vista", "São Paulo", "SP"))
    assert form.lookup_equipment(SODEXO_SERIAL).model == "MP-4200 TH"
    form.set_group("Manutenção on site")
    form.set_service("Corretiva")
    form.set_pedido_de_venda("41999")
    form.set_notes("Variante")
    number = form.save()
    saved = next(o for o in fake.state()["workfinity"]["service_orders"] if o["number"] == number)
    assert (saved["group"], saved["service"], saved["address"]["uf"]) == ("Manutenção on site", "Corretiva", "SP")
    # Fields the bot does not know stay as the site filled them.
    assert saved.get("extra_fields", {}) == ({k: d for k, (_, d) in EXTRA_FIELDS.items()} if variant == 2 else {})
    with pytest.raises(NotFoundOnSite):  # the site answered "no such customer": a business answer
        wf_form(page, fake).pick_customer("11.444.777/0001-61")

    tickets = zd_tickets(page, fake)
    tickets.open_new_ticket()
    tickets.stay_on_ticket_after_submit()
    tickets.set_requester("teste.variante@example.com", "Teste Variante")
    tickets.set_subject("Variante")
    tickets.set_form("0800")
    tickets.set_type("Incidente")
    tickets.set_custom_dropdown(1001, "hardware")
    tickets.add_comment("Registro interno", internal=True)
    ticket_id = tickets.submit_as("open")
    assert Comment(public=False, body="Registro interno") in tickets.read_comments()
    stored = next(t for t in fake.state()["zendesk"]["tickets"] if t["id"] == ticket_id)
    assert (stored["form"], stored["type"], stored["custom_fields"].get("1001")) == ("0800", "Incidente", "hardware")
    assert not stored.get("assignee")  # a field the bot leaves alone


def test_changed_results_are_never_not_found(page: Page, fake):
    """The sites show a found equipment, an opened ticket and search matches elsewhere than
    the contract says: system errors (retried, then ERRO_SISTEMA), never NotFoundOnSite, which
    would become DADOS_INVALIDOS or a second ticket. An unknown serial or ticket still is
    "not found": the site's own answer says so."""
    fake.faults(variant=RESULTS_CHANGED)
    form = wf_form(page, fake)
    form.settle_ms = 1_500
    with pytest.raises(HookMissing) as caught:
        form.lookup_equipment(SODEXO_SERIAL)
    assert not isinstance(caught.value, NotFoundOnSite) and caught.value.hook == "workfinity.form.model"
    with pytest.raises(NotFoundOnSite):
        form.lookup_equipment("XX0000000000")

    tickets = zd_tickets(page, fake)
    tickets.settle_ms = 1_500
    with pytest.raises(UnexpectedPage) as opened:
        tickets.open_ticket(41001)  # its pane shows an unrelated alert, and no status badge
    assert not isinstance(opened.value, NotFoundOnSite)
    with pytest.raises(NotFoundOnSite):
        tickets.open_ticket(99999)

    search = SearchPage(page, fake.zendesk_url, tickets.creds)
    search.settle_ms = 1_500
    with pytest.raises(UnexpectedPage):
        search.search("41001")  # found, but its matches are not where the contract says
    assert search.search("nada-assim-existe-7431") == []  # the answer said: no results
    assert fake.audit(action="create") == []


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
