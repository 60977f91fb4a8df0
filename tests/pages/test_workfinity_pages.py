"""The Workfinity page objects against the fake: search, create, lookups, errors, modal, session."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from pages.common import Credentials, install_modal_handler
from pages.hooks import HookSelectors
from pages.workfinity import EquipmentInfo, OrderEditPage, OrderFormPage, OrderListPage, SiteAddress, WorkfinityLogin
from pages.workfinity.base import read_at_once
from rpa.errors import LoginRefused, NotFoundOnSite, ServerError, SessionExpired, ValidationRejected
from rpa.procedure import cnpj
from tests.workfinity_data import SEED_ORDERS, SODEXO, os_number

pytestmark = pytest.mark.e2e



@pytest.fixture()
def creds(fake) -> Credentials:
    c = fake.credentials["workfinity"]
    return Credentials(c["user"], c["password"])


@pytest.fixture()
def form(page: Page, fake, creds) -> OrderFormPage:
    install_modal_handler(page)
    return OrderFormPage(page, fake.workfinity_url, creds)


def orders(fake) -> list[dict]:
    return fake.state()["workfinity"]["service_orders"]


def fill_order(form: OrderFormPage, *, serial: str = "BE4200TH000123", pedido: str = "41200") -> None:
    form.open_new_order()
    form.pick_customer("12345678000195")
    form.lookup_equipment(serial)
    form.set_group("Manutenção on site")
    form.set_service("Corretiva")
    form.set_pedido_de_venda(pedido)
    form.set_notes("ECF inoperante")


class TestLoginAndList:
    """Login and the O.S. search (the bot's idempotency check)."""

    def test_wrong_password_raises_login_refused(self, page: Page, fake):
        """Refused credentials raise LoginRefused."""
        login = WorkfinityLogin(page, fake.workfinity_url)
        login.open()
        assert login.is_current()
        with pytest.raises(LoginRefused):
            login.login(Credentials("robo", "errada"))

    def test_search_by_pedido_and_serial(self, page: Page, fake, creds):
        """search() logs in by itself and returns exact matches with their edit URLs."""
        install_modal_handler(page)
        found = OrderListPage(page, fake.workfinity_url, creds).search(pedido_de_venda="41001",
                                                                       serial="BE4000FI000123")
        assert [(o.number, o.cliente, o.cnpj, o.status) for o in found] == [
            ("2026000120", "SODEXO DO BRASIL COMERCIAL S.A.", SODEXO, "Nova")]
        assert found[0].opened_at == "24/11/2026 10:30"
        assert found[0].edit_url == fake.workfinity_url + "/serviceOrder/edit/3"

    def test_search_without_match_and_by_cnpj(self, page: Page, fake, creds):
        """No match gives []; the CNPJ filter finds every O.S. of the customer."""
        orders_page = OrderListPage(page, fake.workfinity_url, creds)
        assert orders_page.search(pedido_de_venda="41001", serial="BE4200TH000123") == []
        assert {o.number for o in orders_page.search(cnpj="12345678000195")} == {"2026000120"}

    def test_expired_session_is_handled_on_navigation(self, page: Page, fake, creds):
        """After the session expires, navigation logs in again and lands on the asked page."""
        orders_page = OrderListPage(page, fake.workfinity_url, creds)
        orders_page.open()
        fake.faults(session_ttl=0.001)
        page.reload()  # the site notices the expiry and shows its login page
        fake.faults(session_ttl=None)
        assert WorkfinityLogin(page, fake.workfinity_url).is_current()
        assert [o.number for o in orders_page.search(number="2026000121")] == ["2026000121"]
        form = OrderFormPage(page, fake.workfinity_url, creds)
        page.context.clear_cookies()  # a lost session as well
        form.open_new_order()
        assert len(fake.audit(site="workfinity", action="login")) == 3


def assert_read_in_one_trip(form: OrderFormPage) -> None:
    """The customer's fields are told apart in one read, which reads what they read one by one
    (an override of the CEP's hook that the one-trip read does not parse takes that path)."""
    assert read_at_once(form._customer_keys()) is not None
    one_by_one = OrderFormPage(form.page, form.root, form.creds,
                               HookSelectors({"workfinity.form.cep": "input#zipCodeTextField"}))
    assert read_at_once(one_by_one._customer_keys()) is None
    assert one_by_one.read_customer() == form.read_customer()


class TestCreate:
    """A whole O.S. through the form page object, with lookups and address change."""

    def test_create_with_address_change(self, page: Page, fake, form):
        """Customer, new address by CEP, equipment, Atendimento, notes; save returns the number."""
        form.open_new_order()
        customer = form.pick_customer("12345678000195")
        assert customer.razao_social == "SODEXO DO BRASIL COMERCIAL S.A."
        assert customer.document == SODEXO and customer.address.uf == "SP"
        assert customer.address.cep == "01310-100" and customer.address.numero == "1000"
        form.change_address(SiteAddress(cep="04543011", logradouro="Av. Faria Lima", numero="3477",
                                        complemento="Conj. 12", bairro="Itaim", cidade="São Paulo", uf="SP"))
        address = form.read_customer().address
        assert address == SiteAddress("04543-011", "Avenida Brigadeiro Faria Lima", "3477", "Conj. 12",
                                      "Itaim Bibi", "São Paulo", "SP")
        assert_read_in_one_trip(form)
        equipment = form.lookup_equipment("BE4200TH000123")
        assert equipment == EquipmentInfo("BE4200TH000123", "MP-4200 TH", dt.date(2027, 3, 31))
        form.set_group("Manutenção on site")
        form.set_service("Preventiva")
        form.set_pedido_de_venda("41201")
        form.set_numero_referencia("CH-77")
        form.set_observacoes_atendimento("Em garantia até 31/03/2027")
        form.set_notes("LED piscando")
        number = form.save()
        assert number == os_number()
        order = orders(fake)[-1]
        assert (order["number"], order["service"], order["pedido_de_venda"], order["numero_referencia"],
                order["observacoes_atendimento"], order["notes"]) == (
            number, "Preventiva", "41201", "CH-77", "Em garantia até 31/03/2027", "LED piscando")
        assert order["provider"] and order["technician"]  # the site's routing, never the bot
        assert not fake.audit(action="user_set_provider")
        customer = next(c for c in fake.state()["workfinity"]["customers"] if c["document"] == SODEXO)
        assert customer["address"]["cep"] == "04543-011" and customer["address"]["numero"] == "3477"
        edit = OrderEditPage(page, fake.workfinity_url, form.creds)
        edit.open(order["id"])
        assert edit.read_number() == number
        assert OrderListPage(page, fake.workfinity_url, form.creds).search(
            pedido_de_venda="41201", serial="BE4200TH000123")[0].number == number

    def test_unknown_cep_is_typed_by_hand(self, fake, form):
        """A CEP the site does not know: every field comes from the given address."""
        form.lookup_timeout_ms = 1_500  # the fallback is the slow path by design
        form.open_new_order()
        form.pick_customer("33.445.566/0001-" + cnpj.check_digits("334455660001"))
        form.change_address(SiteAddress("01001-999", "Rua Nova", "10", "", "Sé", "São Paulo", "SP"))
        assert form.read_customer().address == SiteAddress("01001-999", "Rua Nova", "10", "", "Sé",
                                                           "São Paulo", "SP")

    def test_alphanumeric_customer_and_expired_equipment(self, fake, form):
        """Alphanumeric CNPJs are picked; an expired warranty is read as a past date."""
        form.open_new_order()
        customer = form.pick_customer("12.abc.345/01de-35")
        assert customer.document == "12.ABC.345/01DE-35" and customer.address.uf == "PR"
        serial = next(e["serial"] for e in fake.state()["workfinity"]["equipment"]
                      if e["customer_document"] == SODEXO and e["warranty_end"] < "2026-11-28")
        assert form.lookup_equipment(serial).warranty_end < dt.date(2026, 11, 28)

    def test_not_found_customer_and_equipment(self, fake, form):
        """Unknown CNPJ and unknown serial raise NotFoundOnSite."""
        form.settle_ms = 1_500  # how long an answered lookup may take to show; short here
        form.open_new_order()
        with pytest.raises(NotFoundOnSite):
            form.pick_customer("11.444.777/0001-61")
        with pytest.raises(NotFoundOnSite):
            form.lookup_equipment("XX0000000000")

    def test_service_waits_for_its_ajax_options(self, fake, form):
        """set_service waits for the options loaded after the group (with latency)."""
        form.open_new_order()
        fake.faults(latency_ms=400, jitter_ms=0)
        form.set_group("Remoção")
        form.set_service("Remoção Definitiva")
        assert form.page.locator("#service").input_value() == "Remoção Definitiva"
        form.settle_ms = 500
        with pytest.raises(NotFoundOnSite):
            form.set_group("Grupo que não existe")


class TestSaveErrors:
    """What save() raises for each kind of answer."""

    def test_validation_rejected_lists_the_errors(self, fake, form):
        """A form without serial raises ValidationRejected with the site's messages."""
        form.open_new_order()
        form.pick_customer(SODEXO)
        form.set_group("Manutenção on site")
        form.set_service("Corretiva")
        with pytest.raises(ValidationRejected) as rejected:
            form.save()
        assert rejected.value.errors == ["Número de Série: campo obrigatório."]
        assert rejected.value.context["invalid_fields"] == ["serialNumber"]

    def test_server_error(self, fake, form):
        """fail_rate=1 makes save() raise ServerError and nothing is saved."""
        fill_order(form)
        fake.faults(fail_rate=1)
        with pytest.raises(ServerError):
            form.save()
        assert len(orders(fake)) == SEED_ORDERS

    def test_session_expired_on_save(self, fake, form):
        """An expired session at save raises SessionExpired."""
        fill_order(form)
        fake.faults(session_ttl=0.001)
        with pytest.raises(SessionExpired):
            form.save()
        assert len(orders(fake)) == SEED_ORDERS

    def test_lookups_refused_for_expired_session_are_not_not_found(self, fake, form):
        """A customer or equipment lookup refused because the session expired raises
        SessionExpired — never NotFoundOnSite, which the bot would turn into a final outcome."""
        form.open_new_order()
        form.pick_customer("12345678000195")
        fake.faults(session_ttl=0.001)
        with pytest.raises(SessionExpired):
            form.lookup_equipment("BE4200TH000123")
        fake.faults(session_ttl=None)
        form.open_new_order()  # logs in again (the fixture's page object has credentials)
        fake.faults(session_ttl=0.001)
        with pytest.raises(SessionExpired):
            form.pick_customer("12345678000195")

    def test_modal_on_every_page_is_survived(self, fake, form):
        """With the modal handler installed, a modal on every page (and jittery latency) does not stop the flow."""
        fake.faults(modal_rate=1, latency_ms=120, jitter_ms=60)
        fill_order(form, pedido="41300")
        number = form.save()
        assert orders(fake)[-1]["number"] == number
        assert [o.number for o in OrderListPage(form.page, fake.workfinity_url, form.creds).search(
            pedido_de_venda="41300")] == [number]
        assert len(fake.audit(site="workfinity", action="modal_shown")) >= 3
