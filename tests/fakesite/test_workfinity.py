"""The fake Workfinity driven by hand with raw Playwright (roles, labels, contract ids), as a
person would do the procedure's Workfinity part; outcomes checked on ``fake.state()``."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.workfinity_data import SEED_ORDERS, SODEXO, os_number

pytestmark = pytest.mark.e2e

SODEXO_RAZAO = "SODEXO DO BRASIL COMERCIAL S.A."
SERIAL_OK = "BE4200TH000123"        # SODEXO, warranty until 2027-03-31
SERIAL_EXPIRED = "BE4000FI000123"   # SODEXO, warranty ended 2025-02-28


# -- helpers: what a person does -----------------------------------------------------------


def login(page: Page, fake, password: str | None = None) -> None:
    """On the login page: type the user and password and press "Entrar"."""
    creds = fake.credentials["workfinity"]
    page.get_by_label("Usuário").fill(creds["user"])
    page.get_by_label("Senha").fill(creds["password"] if password is None else password)
    page.get_by_role("button", name="Entrar").click()


def open_logged_in(page: Page, fake, path: str = "/serviceOrder/index") -> None:
    page.goto(fake.workfinity_url + path)
    login(page, fake)
    expect(page).to_have_url(fake.workfinity_url + path)


def pick_customer(page: Page, typed: str, option_text: str) -> None:
    page.get_by_label("Documento", exact=True).press_sequentially(typed)
    # the stock jQuery UI menu: no ARIA roles, items in ul.ui-autocomplete
    page.locator("ul.ui-autocomplete li.ui-menu-item").filter(has_text=option_text).click()
    expect(page.get_by_label("Razão Social")).not_to_have_value("")


def fill_valid_order(page: Page, pedido: str = "41050") -> None:
    """A complete order for SODEXO (customer picked, serial, group, service, pedido, notes)."""
    pick_customer(page, "12345678", f"{SODEXO} – {SODEXO_RAZAO}")
    page.get_by_label("Número de Série").fill(SERIAL_OK)
    page.get_by_role("tab", name="Atendimento").click()
    page.locator("#group").select_option("Manutenção on site")
    expect(page.locator("#service")).to_be_enabled()
    page.locator("#service").select_option("Corretiva")
    page.get_by_label("Pedido de Venda").fill(pedido)
    page.get_by_label("Número Referência").fill("CH-1234")
    page.get_by_role("tab", name="Observações", exact=True).click()
    page.locator("#notes").fill("ECF inoperante")


def save_button(page: Page):
    return page.locator(".btn.btn-primary.noWarn").filter(has_text="Salvar")


def orders(fake) -> list[dict]:
    return fake.state()["workfinity"]["service_orders"]


# -- login and shell -----------------------------------------------------------------------


class TestLogin:
    """Login screen, session redirect and the shell."""

    def test_wrong_password_stays_with_alert(self, page: Page, fake):
        """A wrong password keeps the login page and says "Usuário ou senha inválidos"."""
        page.goto(fake.workfinity_url + "/login/auth")
        expect(page.locator("#password")).to_have_attribute("type", "password")
        login(page, fake, password="errada")
        expect(page.get_by_role("alert")).to_have_text("Usuário ou senha inválidos")
        expect(page.locator("#username")).to_be_visible()
        assert fake.audit(site="workfinity", action="login_failed")

    def test_good_login_shows_the_shell(self, page: Page, fake):
        """After login the shell has the logo and Gerenciar › Ordem de Serviço."""
        page.goto(fake.workfinity_url + "/login/auth")
        login(page, fake)
        expect(page.locator("img.wkf-brand")).to_be_visible()
        page.get_by_role("button", name="Gerenciar").click()
        page.get_by_role("link", name="Ordem de Serviço").click()
        expect(page).to_have_url(re.compile(r"/osmanager-tenant/serviceOrder/index$"))
        assert fake.audit(site="workfinity", action="login", actor="robo")

    def test_page_without_session_redirects_and_returns(self, page: Page, fake):
        """Any page without a session goes to the login with the expiry alert, then comes back."""
        page.goto(fake.workfinity_url + "/serviceOrder/create")
        expect(page.get_by_role("alert")).to_have_text("Sua sessão expirou. Entre novamente.")
        login(page, fake)
        expect(page).to_have_url(fake.workfinity_url + "/serviceOrder/create")
        expect(page.locator("#customerDocumentNumber")).to_be_visible()


# -- list and search -------------------------------------------------------------------------


class TestList:
    """The O.S. list: filters, table, links, empty result, "Nova O.S."."""

    def test_table_headers_and_row_links(self, page: Page, fake):
        """The table has the contract's headers and each number links to its edit page."""
        open_logged_in(page, fake)
        table = page.get_by_role("table")
        for header in ("Número", "Pedido de Venda", "Número de Série", "Cliente", "CNPJ", "Status", "Aberta em"):
            expect(table.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
        seeded = orders(fake)
        expect(table.get_by_role("row")).to_have_count(len(seeded) + 1)
        link = table.get_by_role("link", name=seeded[0]["number"])
        expect(link).to_have_attribute("href", f"/osmanager-tenant/serviceOrder/edit/{seeded[0]['id']}")

    def test_search_by_pedido_and_serial_finds_the_one_order(self, page: Page, fake):
        """Pedido de Venda + Número de Série (the bot's idempotency check) finds exactly one O.S."""
        open_logged_in(page, fake)
        page.get_by_label("Pedido de Venda").fill("41001")
        page.get_by_label("Número de Série").fill(SERIAL_EXPIRED.lower())
        page.get_by_role("button", name="Pesquisar").click()
        rows = page.get_by_role("table").get_by_role("row")
        expect(rows).to_have_count(2)
        expect(rows.nth(1)).to_contain_text("2026000120")
        expect(rows.nth(1)).to_contain_text(SODEXO_RAZAO)

    def test_search_by_unmasked_cnpj(self, page: Page, fake):
        """The CNPJ filter ignores the mask."""
        open_logged_in(page, fake)
        page.get_by_label("CNPJ").fill("12345678000195")
        page.get_by_role("button", name="Pesquisar").click()
        expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)

    def test_search_without_match_says_so(self, page: Page, fake):
        """A search with no result shows "Nenhum registro encontrado"."""
        open_logged_in(page, fake)
        page.get_by_label("Número", exact=True).fill("1999000001")
        page.get_by_role("button", name="Pesquisar").click()
        expect(page.get_by_text("Nenhum registro encontrado")).to_be_visible()
        expect(page.get_by_role("table")).to_have_count(0)

    def test_new_order_button(self, page: Page, fake):
        """ "Nova O.S." (name _action_create) opens the create form."""
        open_logged_in(page, fake)
        button = page.get_by_role("button", name="Nova O.S.")
        expect(button).to_have_attribute("name", "_action_create")
        button.click()
        expect(page).to_have_url(re.compile(r"/serviceOrder/create"))
        expect(page.locator("#customerDocumentType")).to_have_value("CNPJ")


# -- create form ------------------------------------------------------------------------------


class TestCustomerAutocomplete:
    """The Documento autocomplete sets the customer only when a suggestion is picked."""

    def test_masked_typing_suggests_and_pick_fills_geral(self, page: Page, fake):
        """Typing a masked CNPJ lists "documento – razão social"; picking fills the Geral tab."""
        open_logged_in(page, fake, "/serviceOrder/create")
        page.get_by_label("Documento", exact=True).press_sequentially("12.345.678/0002")
        items = page.locator("ul.ui-autocomplete li.ui-menu-item")
        expect(items).to_have_count(1)
        expect(page.locator(".ui-autocomplete [role]")).to_have_count(0)  # the stock widget: no ARIA roles
        expect(page.locator("div.ui-helper-hidden-accessible[role=status]")).to_contain_text("1 result")
        items.filter(has_text=f"12.345.678/0002-76 – {SODEXO_RAZAO}").click()
        expect(page.get_by_label("Razão Social")).to_have_value(SODEXO_RAZAO)
        expect(page.get_by_label("Razão Social")).to_have_attribute("readonly", "")
        expect(page.get_by_label("Nome Fantasia")).to_have_value("Sodexo Rio")
        expect(page.get_by_label("Contato")).to_have_value("Renata Guimarães")
        expect(page.get_by_label("E-mail")).to_have_value("renata.guimaraes@sodexo-exemplo.com.br")
        expect(page.get_by_label("Telefone")).to_have_value("(21) 2233-4455")
        expect(page.locator("#zipCodeTextField")).to_have_value("20040-002")
        expect(page.get_by_label("UF")).to_have_value("RJ")
        expect(page.get_by_label("Documento", exact=True)).to_have_value("12.345.678/0002-76")

    def test_unmasked_and_alphanumeric_typing(self, page: Page, fake):
        """Unmasked, lower-case alphanumeric CNPJs find their customer too."""
        open_logged_in(page, fake, "/serviceOrder/create")
        page.get_by_label("Documento", exact=True).press_sequentially("12abc34501de35")
        expect(page.locator("ul.ui-autocomplete li.ui-menu-item")).to_have_text(
            ["12.ABC.345/01DE-35 – LOJA DE CONVENIÊNCIA RÁPIDO LTDA"])

    def test_unknown_document_is_announced_by_the_live_region(self, page: Page, fake):
        """No customer: no menu, and the widget's live region says so."""
        open_logged_in(page, fake, "/serviceOrder/create")
        page.get_by_label("Documento", exact=True).press_sequentially("11.444.777/0001-61")
        expect(page.locator("div.ui-helper-hidden-accessible[role=status]")).to_contain_text("No search results")
        expect(page.locator("ul.ui-autocomplete li.ui-menu-item").filter(visible=True)).to_have_count(0)

    def test_fewer_than_four_characters_suggest_nothing(self, page: Page, fake):
        """The suggestion service answers nothing under 4 characters (mask not counted)."""
        open_logged_in(page, fake, "/serviceOrder/create")
        url = fake.workfinity_url + "/customer/autocomplete"
        assert page.request.get(url, params={"term": "12.3"}).json() == []
        assert len(page.request.get(url, params={"term": "12.34"}).json()) >= 1

    def test_typing_without_picking_is_a_validation_error(self, page: Page, fake):
        """A typed but unpicked document leaves the customer unset: error and aria-invalid."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page)
        page.get_by_role("tab", name="Geral").click()
        page.get_by_label("Documento", exact=True).press("End")
        page.get_by_label("Documento", exact=True).press_sequentially("0")  # typing again unsets it
        expect(page.get_by_label("Razão Social")).to_have_value("")
        save_button(page).click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Cliente: selecione um cliente")
        expect(page.locator("#customerDocumentNumber")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#customerDocumentNumber")).to_have_value(f"{SODEXO}0")
        page.get_by_role("tab", name="Atendimento").click()
        expect(page.get_by_label("Pedido de Venda")).to_have_value("41050")  # values kept
        expect(page.locator("#service")).to_have_value("Corretiva")
        assert len(orders(fake)) == SEED_ORDERS


class TestFormBehaviour:
    """Tabs, address block, CEP lookup, equipment lookup, Grupo → Serviço, validation."""

    def test_tabs_hide_inactive_panels(self, page: Page, fake):
        """Only the selected tab's panel is visible."""
        open_logged_in(page, fake, "/serviceOrder/create")
        expect(page.get_by_role("tab", name="Geral")).to_have_attribute("aria-selected", "true")
        expect(page.locator("#group")).to_be_hidden()
        page.get_by_role("tab", name="Atendimento").click()
        expect(page.locator("#group")).to_be_visible()
        expect(page.locator("#zipCodeTextField")).to_be_hidden()
        page.get_by_role("tab", name="Observações", exact=True).click()
        expect(page.get_by_role("textbox", name="Observações", exact=True)).to_be_visible()
        expect(page.locator("#group")).to_be_hidden()

    def test_address_read_only_until_alterar_and_cep_lookup_fills(self, page: Page, fake):
        """Address fields are read-only until "Alterar endereço"; a CEP on blur fills the rest."""
        open_logged_in(page, fake, "/serviceOrder/create")
        pick_customer(page, "12345678", f"{SODEXO} – {SODEXO_RAZAO}")
        cep = page.locator("#zipCodeTextField")
        expect(cep).not_to_be_editable()
        expect(page.get_by_label("Logradouro")).not_to_be_editable()
        expect(page.get_by_label("UF")).to_be_disabled()
        fake.faults(latency_ms=150, jitter_ms=0)
        page.get_by_role("button", name="Alterar endereço").click()
        expect(cep).to_be_editable()
        cep.fill("04543011")
        cep.press("Tab")
        expect(page.get_by_label("Logradouro")).to_have_value("Avenida Brigadeiro Faria Lima")
        expect(page.get_by_label("Bairro")).to_have_value("Itaim Bibi")
        expect(page.get_by_label("Cidade")).to_have_value("São Paulo")
        expect(page.get_by_label("UF")).to_have_value("SP")
        expect(cep).to_have_value("04543-011")
        assert page.get_by_label("UF").locator("option").count() == 28  # 27 UFs + empty

    def test_unknown_cep_leaves_fields_to_the_user(self, page: Page, fake):
        """An unknown CEP fills nothing and says so."""
        open_logged_in(page, fake, "/serviceOrder/create")
        page.get_by_role("button", name="Alterar endereço").click()
        page.locator("#zipCodeTextField").fill("99999-999")
        page.locator("#zipCodeTextField").press("Tab")
        expect(page.get_by_text("CEP não encontrado")).to_be_visible()
        expect(page.get_by_label("Cidade")).to_have_value("")

    def test_equipment_lookup_found_and_not_found(self, page: Page, fake):
        """"Buscar equipamento" shows Modelo and Fim da garantia, or "Equipamento não encontrado"."""
        open_logged_in(page, fake, "/serviceOrder/create")
        serial = page.get_by_label("Número de Série")
        find = page.get_by_role("button", name="Buscar equipamento")
        serial.fill(SERIAL_EXPIRED)
        find.click()
        expect(page.get_by_label("Modelo")).to_have_value("MP-4000 TH FI")
        expect(page.get_by_label("Fim da garantia")).to_have_value("28/02/2025")
        serial.fill("XX0000000000")
        find.click()
        expect(page.get_by_text("Equipamento não encontrado")).to_be_visible()
        expect(page.get_by_label("Modelo")).to_have_value("")

    def test_service_is_loaded_after_the_group(self, page: Page, fake):
        """Serviço is disabled and empty until a group is chosen, then filled by AJAX."""
        open_logged_in(page, fake, "/serviceOrder/create")
        page.get_by_role("tab", name="Atendimento").click()
        service = page.locator("#service")
        expect(service).to_be_disabled()
        expect(service.locator("option")).to_have_count(0)
        fake.faults(latency_ms=200, jitter_ms=0)
        page.get_by_label("Grupo Serviço").select_option("Instalação")
        expect(service).to_be_enabled()
        expect(service.locator("option")).to_have_text(["Selecione…", "Instalação Venda", "Instalação Locação"])
        page.get_by_label("Grupo Serviço").select_option("Manutenção on site")
        expect(service.locator("option")).to_have_text(["Selecione…", "Corretiva", "Preventiva"])

    def test_validation_lists_errors_and_marks_fields(self, page: Page, fake):
        """Missing group/service and an unknown serial: alert list and aria-invalid on each field."""
        open_logged_in(page, fake, "/serviceOrder/create")
        pick_customer(page, "12345678", f"{SODEXO} – {SODEXO_RAZAO}")
        page.get_by_label("Número de Série").fill("NAOEXISTE0001")
        page.get_by_role("tab", name="Observações", exact=True).click()
        page.locator("#notes").fill("LED piscando")
        save_button(page).click()
        errors = page.get_by_role("alert").get_by_role("listitem")
        expect(errors).to_have_text([
            "Grupo Serviço: campo obrigatório.", "Serviço: campo obrigatório.",
            "Número de Série: equipamento NAOEXISTE0001 não encontrado.",
        ])
        for selector in ("#group", "#service", "#serialNumber"):
            expect(page.locator(selector)).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#customerDocumentNumber")).not_to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Razão Social")).to_have_value(SODEXO_RAZAO)  # customer kept
        page.get_by_role("tab", name="Observações", exact=True).click()
        expect(page.locator("#notes")).to_have_value("LED piscando")
        assert len(orders(fake)) == SEED_ORDERS


# -- save -------------------------------------------------------------------------------------


class TestSave:
    """Saving: overlay, redirect to edit, number, routing, audit, address change and history."""

    def test_save_overlay_redirect_number_and_state(self, page: Page, fake):
        """The overlay covers the page while saving; the edit page shows the number and the alert."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page, pedido="41077")
        fake.faults(latency_ms=300, jitter_ms=0)
        # While the answer is on its way the page is navigating: locators and evaluate wait for
        # it to finish, so the page reports its own state through a binding when it changes.
        seen: list[list] = []
        page.expose_function("reportBusy", lambda state: seen.append(state))
        page.evaluate("""() => new MutationObserver(() => {
            const bar = document.querySelector('[role=progressbar][aria-label="Carregando…"]');
            window.reportBusy([!!bar && bar.checkVisibility(), document.querySelector('#serviceOrderForm').ariaBusy]);
        }).observe(document.body, {attributes: true, subtree: true})""")
        save_button(page).click()
        expect(page).to_have_url(re.compile(r"/serviceOrder/edit/\d+$"))
        assert [True, "true"] in seen  # overlay shown and form busy at the same time
        number = page.locator("#tabServiceOrderId").inner_text()
        assert number == os_number()
        expect(page.get_by_role("alert")).to_have_text(f"Ordem de Serviço {number} criada com sucesso")
        order = orders(fake)[-1]
        assert order["number"] == number and order["status"] == "Nova"
        assert {k: order[k] for k in ("customer_document", "serial", "group", "service", "pedido_de_venda",
                                      "numero_referencia", "notes")} == {
            "customer_document": SODEXO, "serial": SERIAL_OK, "group": "Manutenção on site",
            "service": "Corretiva", "pedido_de_venda": "41077", "numero_referencia": "CH-1234",
            "notes": "ECF inoperante"}

    def test_site_assigns_provider_and_technician_and_audits(self, page: Page, fake):
        """Prestador/Técnico come from the UF routing, audited as "system"; the user's fields as the user."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page)
        save_button(page).click()
        number = page.locator("#tabServiceOrderId").inner_text()
        order = orders(fake)[-1]
        assert (order["provider"], order["technician"]) == ("Assistência Paulista", "João Lima")
        created = fake.audit(site="workfinity", entity="service_order", id=number, action="create")
        assert created[0]["actor"] == "robo"
        assert created[0]["changes"]["pedido_de_venda"] == [None, "41050"]
        assert "provider" not in created[0]["changes"]
        assigned = fake.audit(entity="service_order", id=number, action="assign_provider")
        assert assigned[0]["actor"] == "system"
        assert assigned[0]["changes"]["technician"] == [None, "João Lima"]
        assert not fake.audit(entity="service_order", id=number, action="user_set_provider")

    def test_provider_chosen_by_hand_is_audited(self, page: Page, fake):
        """A Prestador/Técnico sent by the user is recorded as "user_set_provider"."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page)
        page.get_by_role("tab", name="Atendimento").click()
        page.locator("#serviceProvider").select_option("Interior Tec Serviços")
        page.locator("#serviceProviderTechnician").select_option("Paulo Henrique Rocha")
        save_button(page).click()
        number = page.locator("#tabServiceOrderId").inner_text()
        event = fake.audit(entity="service_order", id=number, action="user_set_provider")[0]
        assert event["actor"] == "robo"
        assert event["changes"] == {"provider": [None, "Interior Tec Serviços"],
                                    "technician": [None, "Paulo Henrique Rocha"]}

    def test_address_change_updates_customer_and_history(self, page: Page, fake):
        """"Alterar endereço" + save: customer address updated, audited and listed in "Histórico"."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page)
        page.get_by_role("tab", name="Geral").click()
        page.get_by_role("button", name="Alterar endereço").click()
        page.locator("#zipCodeTextField").fill("06454-000")
        page.locator("#zipCodeTextField").press("Tab")
        expect(page.get_by_label("Cidade")).to_have_value("Barueri")
        page.get_by_label("Número", exact=True).fill("1500")
        page.get_by_label("Complemento").fill("Bloco C")
        save_button(page).click()
        expect(page.locator("#tabServiceOrderId")).to_be_visible()
        state = fake.state()
        customer = next(c for c in state["workfinity"]["customers"] if c["document"] == SODEXO)
        assert customer["address"] == {"cep": "06454-000", "logradouro": "Alameda Rio Negro", "numero": "1500",
                                       "complemento": "Bloco C", "bairro": "Alphaville Industrial",
                                       "cidade": "Barueri", "uf": "SP"}
        event = next(e for e in state["audit"] if e["entity"] == "customer" and e["action"] == "address_change")
        assert event["id"] == SODEXO and event["actor"] == "robo"
        assert event["changes"]["cidade"] == ["São Paulo", "Barueri"]
        page.get_by_role("tab", name="Histórico").click()
        history = page.get_by_role("tabpanel", name="Histórico")
        expect(history).to_contain_text("Avenida Paulista, 1000")
        expect(history).to_contain_text("Alameda Rio Negro, 1500 - Bloco C")

    def test_edit_page_shows_the_same_fields_filled(self, page: Page, fake):
        """The edit page keeps the create form's ids and labels, filled in."""
        open_logged_in(page, fake, "/serviceOrder/edit/3")
        expect(page.locator("#tabServiceOrderId")).to_have_text("2026000120")
        expect(page.locator("#customerDocumentNumber")).to_have_value(SODEXO)
        expect(page.get_by_label("Razão Social")).to_have_value(SODEXO_RAZAO)
        expect(page.get_by_label("Número de Série")).to_have_value(SERIAL_EXPIRED)
        page.get_by_role("tab", name="Atendimento").click()
        expect(page.locator("#group")).to_have_value("Manutenção on site")
        expect(page.locator("#service")).to_have_value("Corretiva")
        expect(page.locator("#serviceProvider")).to_have_value("Assistência Paulista")
        expect(page.get_by_label("Pedido de Venda")).to_have_value("41001")
        expect(page.get_by_label("Número Referência")).to_have_value("CH-88231")
        page.get_by_role("tab", name="Observações", exact=True).click()
        expect(page.locator("#notes")).to_have_value("ECF inoperante")
        page.get_by_role("tab", name="Histórico").click()
        expect(page.get_by_text("Nenhuma alteração de endereço registrada.")).to_be_visible()


# -- sessions ----------------------------------------------------------------------------------


class TestSession:
    """Session lifetime (session_ttl knob) and the way back after a new login."""

    def test_expired_session_redirects_and_returns(self, page: Page, fake):
        """After the TTL the next page asks for login and then returns to it."""
        open_logged_in(page, fake)
        fake.faults(session_ttl=0.001)  # the control call itself outlasts it
        page.goto(fake.workfinity_url + "/serviceOrder/create")
        expect(page.get_by_role("alert")).to_have_text("Sua sessão expirou. Entre novamente.")
        fake.faults(session_ttl=None)
        login(page, fake)
        expect(page).to_have_url(fake.workfinity_url + "/serviceOrder/create")
        assert fake.audit(site="workfinity", entity="session", action="expired")

    def test_save_with_expired_session_saves_nothing(self, page: Page, fake):
        """Saving after expiry lands on the login page; no O.S. is created."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page)
        fake.faults(session_ttl=0.001)
        save_button(page).click()
        expect(page.get_by_role("alert")).to_have_text("Sua sessão expirou. Entre novamente.")
        assert len(orders(fake)) == SEED_ORDERS


# -- faults --------------------------------------------------------------------------------------


class TestFaults:
    """One test per fault knob: latency, fail_rate, modal_rate, seed."""

    def test_latency_counts_in_server_time(self, page: Page, fake):
        """With latency L, server_seconds grows by at least L per application request."""
        open_logged_in(page, fake)
        fake.faults(latency_ms=120, jitter_ms=0)
        before = fake.state()["timing"]["workfinity"]
        for _ in range(3):
            page.reload()
        page.get_by_role("button", name="Nova O.S.").click()
        expect(page.locator("#customerDocumentNumber")).to_be_visible()
        after = fake.state()["timing"]["workfinity"]
        requests = after["requests"] - before["requests"]
        assert requests >= 4  # static files are not counted, pages are
        assert after["server_seconds"] - before["server_seconds"] >= 0.120 * requests

    def test_fail_rate_gives_500_and_saves_nothing(self, page: Page, fake):
        """fail_rate=1: "Erro interno do servidor" (HTTP 500), nothing saved, failure audited."""
        open_logged_in(page, fake, "/serviceOrder/create")
        fill_valid_order(page)
        fake.faults(fail_rate=1)
        with page.expect_response(lambda r: r.url.endswith("/serviceOrder/save")) as answer:
            save_button(page).click()
        assert answer.value.status == 500
        expect(page.get_by_role("heading", name="Erro interno do servidor")).to_be_visible()
        assert len(orders(fake)) == SEED_ORDERS
        assert fake.audit(site="workfinity", action="injected_failure", actor="robo")

    def test_modal_blocks_clicks_until_closed(self, page: Page, fake):
        """modal_rate=1: a dialog "Aviso" blocks clicks on the page until "Fechar"."""
        open_logged_in(page, fake)
        fake.faults(modal_rate=1)
        page.reload()
        dialog = page.get_by_role("dialog", name="Aviso")
        expect(dialog).to_be_visible()
        new_order = page.get_by_role("button", name="Nova O.S.")
        with pytest.raises(Exception, match="intercepts pointer events"):
            new_order.click(timeout=1500)
        dialog.get_by_role("button", name="Fechar").click()
        expect(dialog).to_be_hidden()
        new_order.click()
        expect(page).to_have_url(re.compile(r"/serviceOrder/create"))
        assert fake.audit(site="workfinity", action="modal_shown")

    def test_seed_repeats_the_same_rolls(self, page: Page, fake):
        """The same seed gives the same sequence of modals."""
        open_logged_in(page, fake)
        dialog = page.get_by_role("dialog", name="Aviso")

        def pattern() -> list[bool]:
            seen = []
            for _ in range(8):
                page.reload()
                seen.append(dialog.is_visible())
            return seen

        fake.faults(modal_rate=0.5, seed=20261128)
        first = pattern()
        fake.faults(seed=20261128)
        assert pattern() == first
        assert True in first and False in first
        assert len(fake.audit(site="workfinity", action="modal_shown")) == 2 * first.count(True)


# -- control API ----------------------------------------------------------------------------------


class TestControlApi:
    """State format, reset and faults of the control API (HTTP only)."""

    @contextlib.contextmanager
    def _session(self, fake) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=fake.workfinity_url, follow_redirects=False) as client:
            creds = fake.credentials["workfinity"]
            client.post("/login/auth", data={"username": creds["user"], "password": creds["password"]})
            yield client

    def _save(self, client: httpx.Client, **extra) -> httpx.Response:
        return client.post("/serviceOrder/save", data={
            "customerDocument": SODEXO, "serial": SERIAL_OK, "group": "Instalação",
            "service": "Instalação Venda", "pedidoDeVenda": "41100", **extra})

    def test_state_uses_the_contract_keys(self, fake):
        """/_fake/state has every contract key for Workfinity, audit and timing."""
        state = fake.state()
        wf = state["workfinity"]
        assert {"users", "customers", "equipment", "catalog", "providers", "ceps", "service_orders"} <= set(wf)
        assert {"document", "razao_social", "nome_fantasia", "contato", "email", "telefone", "address"} <= set(
            wf["customers"][0])
        assert {"serial", "model", "customer_document", "warranty_end"} <= set(wf["equipment"][0])
        assert {"requests", "server_seconds"} <= set(state["timing"])
        assert isinstance(state["audit"], list)

    def test_save_over_http_then_reset(self, fake):
        """A saved O.S. is in the state with all keys; reset brings the seed back."""
        with self._session(fake) as client:
            response = self._save(client)
            assert response.status_code == 302
            assert re.fullmatch(r"/osmanager-tenant/serviceOrder/edit/\d+", response.headers["location"])
        order = orders(fake)[-1]
        assert {"number", "customer_document", "serial", "group", "service", "provider", "technician",
                "pedido_de_venda", "numero_referencia", "observacoes_atendimento", "notes", "status",
                "created_at"} <= set(order)
        assert order["number"] == os_number()
        fake.reset()
        assert len(orders(fake)) == SEED_ORDERS
        assert not fake.audit(site="workfinity", action="create")

    def test_numbers_continue_and_ajax_needs_a_session(self, fake):
        """Numbers are year + counter; AJAX without a session answers 401."""
        with self._session(fake) as client:
            assert self._save(client).status_code == 302
            assert self._save(client).status_code == 302
        assert [o["number"] for o in orders(fake)[-2:]] == [os_number(1), os_number(2)]
        anonymous = httpx.get(fake.workfinity_url + "/equipment/show", params={"serial": SERIAL_OK})
        assert anonymous.status_code == 401

    def test_faults_are_set_and_reported(self, fake):
        """POST /_fake/faults changes the knobs; bad values are refused."""
        assert fake.faults(fail_rate=0.25, latency_ms=10)["fail_rate"] == 0.25
        assert fake.state()["faults"]["latency_ms"] == 10
        origin = fake.workfinity_url.split("/osmanager")[0]
        assert httpx.post(origin + "/_fake/faults", json={"fail_rate": 2}).status_code == 400
