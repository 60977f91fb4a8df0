"""The fake Zendesk driven by hand with raw Playwright (roles, labels, contract test ids), as a
person would do the procedure's Zendesk part; outcomes checked on ``fake.state()``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

OPEN_TICKET = 41002      # open, form 0800, priority Normal, assignee Ana
HOLD_TICKET = 41003      # on hold, three comments
CLOSED_TICKET = 41006
UNASSIGNED_TICKET = 41007  # open, no assignee
MARIA = ("Maria Aparecida Souza", "maria.souza@sodexo.com")


# -- helpers: what a person does -----------------------------------------------------------


def tid(root: Page | Locator, value: str) -> Locator:
    return root.locator(f'[data-test-id="{value}"]')


def login(page: Page, fake, password: str | None = None) -> None:
    """On the login page: type e-mail and password and press "Entrar"."""
    creds = fake.credentials["zendesk"]
    page.get_by_label("E-mail").fill(creds["email"])
    page.get_by_label("Senha").fill(creds["password"] if password is None else password)
    page.get_by_role("button", name="Entrar").click()


def open_logged_in(page: Page, fake, path: str = "/agent") -> None:
    page.goto(fake.zendesk_url + path)
    login(page, fake)
    expect(page).to_have_url(fake.zendesk_url + path)
    expect(tid(page, "header-toolbar-add-menu-button")).to_be_visible()


def active_pane(page: Page, ticket_id: int | None = None) -> Locator:
    which = f"ticket-{ticket_id}-standard-layout" if ticket_id else None
    css = f'[data-test-id="{which}"]' if which else '[data-test-id$="-standard-layout"]'
    return page.locator(f'main#main_panes {css}[data-is-active="true"]')


def open_ticket(page: Page, fake, ticket_id: int) -> Locator:
    page.goto(f"{fake.zendesk_url}/agent/tickets/{ticket_id}")
    pane = active_pane(page, ticket_id)
    expect(pane.locator('[data-test-id^="status-badge-"]')).to_be_visible()
    return pane


def new_ticket(page: Page) -> Locator:
    tid(page, "header-toolbar-add-menu-button").click()
    page.get_by_role("menuitem", name="Ticket").click()
    expect(page).to_have_url(re.compile(r"/agent/tickets/new/\d+$"))
    pane = active_pane(page)
    expect(pane.get_by_label("Assunto")).to_be_visible()
    return pane


def choose(page: Page, pane: Locator, label: str, option: str) -> None:
    """Click the field (by its label), then the option in the listbox that opens."""
    pane.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(pane.get_by_role("combobox", name=label, exact=True)).to_contain_text(option)


def pick_requester(page: Page, pane: Locator, typed: str, option_name: str) -> None:
    pane.get_by_role("combobox", name="Solicitante").fill(typed)
    page.get_by_role("option", name=option_name).click()


def write(pane: Locator, page: Page, text: str, *, internal: bool) -> None:
    switcher = tid(pane, "omnichannel-channel-switcher-button")
    switcher.click()
    page.get_by_role("menuitem", name="Observação interna" if internal else "Resposta pública").click()
    pane.get_by_role("textbox", name="Observação interna" if internal else "Resposta pública").fill(text)


def submit_as(page: Page, pane: Locator, label: str) -> None:
    tid(pane, "submit_button-menu-button").click()
    page.get_by_role("menuitem", name=f"Enviar como {label}").click()


def stay_on_ticket(page: Page, pane: Locator) -> None:
    tid(pane, "ticket-footer-post-save-actions-menu-button").click()
    page.get_by_role("menuitemradio", name="Permanecer no ticket").click()


def toast(page: Page) -> Locator:
    return tid(page, "notification")


def ticket(fake, ticket_id: int) -> dict:
    return next(t for t in fake.state()["zendesk"]["tickets"] if t["id"] == ticket_id)


# -- login ---------------------------------------------------------------------------------


class TestLogin:
    """Login page, the redirect of pages without a session, and back."""

    def test_wrong_password_stays_with_alert(self, page: Page, fake):
        """A wrong password keeps the login page with an alert, and is audited."""
        page.goto(fake.zendesk_url + "/access/login")
        login(page, fake, password="errada")
        expect(page.get_by_role("alert")).to_have_text("E-mail ou senha inválidos.")
        expect(page.locator("#user_email")).to_be_visible()
        assert fake.audit(site="zendesk", action="login_failed")

    def test_login_form_has_the_contract_ids(self, page: Page, fake):
        """E-mail, Senha and Entrar carry #user_email, #user_password, #sign-in-submit-button."""
        page.goto(fake.zendesk_url + "/access/login")
        expect(page.get_by_label("E-mail")).to_have_id("user_email")
        expect(page.get_by_label("Senha")).to_have_attribute("type", "password")
        expect(page.locator("#sign-in-submit-button")).to_have_text("Entrar")

    def test_page_without_session_goes_to_login_and_back(self, page: Page, fake):
        """A ticket URL without a session shows the login, then that ticket after logging in."""
        page.goto(f"{fake.zendesk_url}/agent/tickets/{OPEN_TICKET}")
        expect(page).to_have_url(re.compile(r"/access/login\?return_to="))
        login(page, fake)
        expect(page).to_have_url(f"{fake.zendesk_url}/agent/tickets/{OPEN_TICKET}")
        expect(active_pane(page, OPEN_TICKET).get_by_label("Assunto")).to_have_value("ECF inoperante na loja Centro")
        assert fake.audit(site="zendesk", action="login", actor="robo@bematech.com.br")


# -- a new ticket, as the procedure does it ----------------------------------------------------


class TestNewTicket:
    """Creating a ticket: requester, fields, internal note, Aberto then Em espera."""

    def test_full_ticket_open_then_hold(self, page: Page, fake):
        """Every field set by hand, note + Aberto, reply + Em espera; all of it in the state."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        pick_requester(page, pane, "maria", f"{MARIA[0]} {MARIA[1]}")
        pane.get_by_label("Assunto").fill("Abertura de O.S. – SODEXO – ECF inoperante")
        choose(page, pane, "Marca", "Bematech Hardware")
        choose(page, pane, "Formulário", "0800")
        choose(page, pane, "Tipo", "Incidente")
        choose(page, pane, "Família", "hardware")
        choose(page, pane, "Categoria", "Ordem de Serviço")
        choose(page, pane, "Motivo", "Abertura de O.S.")
        pane.get_by_label("Número da Ordem de Serviço ou de série").fill("2026000999")
        write(pane, page, "CNPJ 12.345.678/0001-95 – SODEXO\nO.S. 2026000999 aberta.", internal=True)
        stay_on_ticket(page, pane)
        submit_as(page, pane, "Aberto")

        expect(toast(page)).to_have_text(re.compile(r"Ticket #\d+ atualizado"))
        new_id = int(re.search(r"#(\d+)", toast(page).inner_text()).group(1))
        assert new_id == 41008  # continues after the highest seed id
        expect(page).to_have_url(f"{fake.zendesk_url}/agent/tickets/{new_id}")
        pane = active_pane(page, new_id)
        expect(tid(pane, "status-badge-open")).to_have_text("Aberto")
        expect(tid(page, "header-tab-subtitle").filter(has_text=f"#{new_id}")).to_be_visible()
        tid(page, "notification-close-btn").click()

        write(pane, page, "Sua O.S. 2026000999 foi aberta.", internal=False)
        stay_on_ticket(page, pane)
        submit_as(page, pane, "Em espera")
        expect(toast(page)).to_have_text(re.compile(f"Ticket #{new_id} atualizado"))
        expect(tid(pane, "status-badge-hold")).to_have_text("Em espera")

        saved = ticket(fake, new_id)
        assert saved["requester"] == MARIA[1]
        assert saved["subject"] == "Abertura de O.S. – SODEXO – ECF inoperante"
        assert (saved["brand"], saved["form"], saved["type"]) == ("Bematech Hardware", "0800", "Incidente")
        assert saved["custom_fields"] == {"1001": "hardware", "1002": "Ordem de Serviço",
                                          "1003": "Abertura de O.S.", "1004": "2026000999"}
        assert [(c["public"], c["body"], c["author"]) for c in saved["comments"]] == [
            (False, "CNPJ 12.345.678/0001-95 – SODEXO\nO.S. 2026000999 aberta.", "robo@bematech.com.br"),
            (True, "Sua O.S. 2026000999 foi aberta.", "robo@bematech.com.br"),
        ]
        assert saved["status_history"] == ["open", "hold"]
        assert saved["priority"] == "Normal"  # set by the site, never by the agent
        create = fake.audit(site="zendesk", entity="ticket", id=str(new_id), action="create")[0]
        assert create["actor"] == "robo@bematech.com.br"
        assert create["changes"]["custom_fields.1004"] == [None, "2026000999"]
        assert "priority" not in create["changes"]
        assert fake.audit(entity="ticket", id=str(new_id), actor="system")[0]["changes"] == {"priority": ["", "Normal"]}
        update = fake.audit(entity="ticket", id=str(new_id), action="update", actor="robo@bematech.com.br")[0]
        assert update["changes"]["status"] == ["open", "hold"]

    def test_add_user_dialog_creates_the_requester(self, page: Page, fake):
        """An unknown e-mail: "Adicionar usuário" opens a dialog that creates and sets the user."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        pane.get_by_role("combobox", name="Solicitante").fill("novo.cliente@padaria.com.br")
        expect(page.get_by_role("option")).to_have_count(1)
        page.get_by_role("option", name="Adicionar usuário").click()
        dialog = page.get_by_role("dialog", name="Adicionar usuário")
        dialog.get_by_role("textbox", name="Nome").fill("Cliente Novo")
        expect(dialog.get_by_role("textbox", name="E-mail")).to_have_value("novo.cliente@padaria.com.br")
        dialog.get_by_role("button", name="Adicionar").click()
        expect(dialog).to_be_hidden()
        expect(pane.get_by_role("combobox", name="Solicitante")).to_have_value("Cliente Novo")
        pane.get_by_label("Assunto").fill("Cliente novo")
        stay_on_ticket(page, pane)
        submit_as(page, pane, "Aberto")
        expect(toast(page)).to_have_text("Ticket #41008 atualizado")
        assert {"name": "Cliente Novo", "email": "novo.cliente@padaria.com.br"} in fake.state()["zendesk"]["users"]
        assert ticket(fake, 41008)["requester"] == "novo.cliente@padaria.com.br"
        assert fake.audit(entity="user", action="create", id="novo.cliente@padaria.com.br")

    def test_add_user_refuses_an_e_mail_in_use(self, page: Page, fake):
        """The dialog keeps open with an alert when the e-mail belongs to another user."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        pane.get_by_role("combobox", name="Solicitante").fill("Fulano")
        page.get_by_role("option", name="Adicionar usuário").click()
        dialog = page.get_by_role("dialog", name="Adicionar usuário")
        expect(dialog.get_by_role("textbox", name="Nome")).to_have_value("Fulano")
        dialog.get_by_role("textbox", name="E-mail").fill(MARIA[1])
        dialog.get_by_role("button", name="Adicionar").click()
        expect(dialog.get_by_role("alert")).to_contain_text("já está em uso")

    def test_custom_fields_only_with_form_0800(self, page: Page, fake):
        """Família, Categoria, Motivo, Nº da O.S. and Área responsável appear only with 0800."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        expect(pane.get_by_role("combobox", name="Formulário")).to_contain_text("Padrão")
        expect(pane.locator('[data-test-id^="ticket-form-field-"]')).to_have_count(0)
        choose(page, pane, "Formulário", "0800")
        for field_id, label in [(1001, "Família"), (1002, "Categoria"), (1003, "Motivo"),
                                (1005, "Área responsável (0800)")]:
            container = tid(pane, f"ticket-form-field-dropdown-field-{field_id}")
            expect(tid(container, "ticket-form-field-dropdown-button")).to_have_accessible_name(label)
        expect(tid(pane, "ticket-form-field-text-field-1004")).to_have_accessible_name(
            "Número da Ordem de Serviço ou de série")
        choose(page, pane, "Formulário", "Padrão")
        expect(pane.locator('[data-test-id^="ticket-form-field-"]')).to_have_count(0)

    def test_options_render_in_a_portal_outside_the_field(self, page: Page, fake):
        """The Garden options are li[data-garden-id=dropdowns.combobox.option] outside the field."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        tid(pane, "ticket-fields-type-select").get_by_role("combobox").click()
        options = page.locator('li[data-garden-id="dropdowns.combobox.option"]').filter(visible=True)
        expect(options).to_have_text(["-", "Pergunta", "Incidente", "Problema", "Tarefa"])
        expect(tid(pane, "ticket-fields-type-select").get_by_role("option")).to_have_count(0)
        expect(pane.get_by_role("option")).to_have_count(0)
        page.keyboard.press("Escape")
        expect(options).to_have_count(0)
        tid(pane, "ticket-fields-priority-select").get_by_role("combobox").click()
        expect(options).to_have_text(["-", "Baixa", "Normal", "Alta", "Urgente"])

    def test_composer_channels_and_a_value_that_does_nothing(self, page: Page, fake):
        """Public by default; the switcher tells the channel; setting .value types nothing."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        switcher = tid(pane, "omnichannel-channel-switcher-button")
        expect(switcher).to_have_attribute("data-channel", "public")
        expect(switcher).to_have_attribute("aria-label", "Resposta pública")
        switcher.click()
        tid(page, "omnichannel-channel-switcher-menuitem-internal").click()
        expect(switcher).to_have_attribute("data-channel", "internal")
        expect(switcher).to_have_attribute("aria-label", "Observação interna")
        editor = tid(pane, "omnicomposer-rich-text-ckeditor")
        expect(editor).to_have_attribute("contenteditable", "true")
        expect(editor).to_have_attribute("role", "textbox")
        editor.evaluate("el => { el.value = 'texto por programa'; }")
        expect(editor).to_have_text("")
        editor.fill("texto digitado")
        expect(editor).to_have_text("texto digitado")

    def test_submit_menu_lists_every_status(self, page: Page, fake):
        """The chevron opens submit_button-menu with Enviar como Novo … Resolvido."""
        open_logged_in(page, fake)
        pane = new_ticket(page)
        expect(tid(pane, "submit_button-button")).to_have_text("Enviar como Novo")
        tid(pane, "submit_button-menu-button").click()
        menu = page.locator('[data-cy-test-id="submit_button-menu"]')
        expect(menu.get_by_role("menuitem")).to_have_text(
            ["Enviar como Novo", "Enviar como Aberto", "Enviar como Pendente", "Enviar como Em espera",
             "Enviar como Resolvido"])
        for status in ("new", "open", "pending", "hold", "solved"):
            expect(tid(menu, f"submit_button-menu-{status}")).to_be_visible()


# -- submitting an existing ticket ---------------------------------------------------------------


class TestSubmit:
    """Spinner, toast, badge and the after-submit action."""

    def test_default_after_submit_closes_the_tab(self, page: Page, fake):
        """With "Fechar aba" (the default) the pane and its tab close after a successful submit."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, OPEN_TICKET)
        expect(tid(pane, "ticket-footer-post-save-actions-menu-button")).to_have_text(re.compile("Fechar aba"))
        write(pane, page, "Observação sem mudar o status", internal=True)
        tid(pane, "submit_button-button").click()  # "Enviar como Aberto": keeps the status
        expect(toast(page)).to_have_text(f"Ticket #{OPEN_TICKET} atualizado")
        expect(page.locator(f'[data-test-id="ticket-{OPEN_TICKET}-standard-layout"]')).to_have_count(0)
        expect(tid(page, "header-tab")).to_have_count(0)
        saved = ticket(fake, OPEN_TICKET)
        assert saved["comments"][-1] == {"public": False, "body": "Observação sem mudar o status",
                                         "author": "robo@bematech.com.br", "created_at": saved["updated_at"]}
        assert saved["status_history"] == ["new", "open"]

    def test_spinner_toast_and_badge(self, page: Page, fake):
        """While saving the spinner shows; then a toast that stays until closed, and the badge."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, OPEN_TICKET)
        stay_on_ticket(page, pane)
        fake.faults(latency_ms=500, jitter_ms=0)
        submit_as(page, pane, "Em espera")
        expect(pane.locator(".ticket-working-spinner")).to_be_visible()
        expect(toast(page)).to_have_text(f"Ticket #{OPEN_TICKET} atualizado")
        expect(pane.locator(".ticket-working-spinner")).to_be_hidden()
        expect(tid(pane, "status-badge-hold")).to_have_text("Em espera")
        expect(tid(pane, "submit_button-button")).to_have_text("Enviar como Em espera")
        expect(toast(page)).to_be_visible()  # not dismissed on its own
        tid(page, "notification-close-btn").click()
        expect(toast(page)).to_have_count(0)
        assert ticket(fake, OPEN_TICKET)["status_history"] == ["new", "open", "hold"]


# -- tabs and panes ----------------------------------------------------------------------------


class TestPanes:
    """Every opened ticket stays in the DOM; only the active pane is visible."""

    def test_two_tickets_one_visible_pane_with_duplicate_ids(self, page: Page, fake):
        """Two tickets: two panes with the same test ids inside, one visible, tabs tell which."""
        open_logged_in(page, fake)
        open_ticket(page, fake, OPEN_TICKET)
        open_ticket(page, fake, HOLD_TICKET)
        panes = page.locator('main#main_panes [data-test-id$="-standard-layout"]')
        expect(panes).to_have_count(2)
        hidden = page.locator(f'[data-test-id="ticket-{OPEN_TICKET}-standard-layout"]')
        expect(hidden).to_have_attribute("data-is-active", "false")
        expect(hidden).to_be_hidden()
        expect(tid(page, "omni-header-subject")).to_have_count(2)
        expect(tid(page, "omni-header-subject").filter(visible=True)).to_have_value(
            "LED piscando no terminal de autoatendimento")
        tabs = tid(page, "header-tab")
        expect(tabs).to_have_count(2)
        selected = page.locator(f'[data-test-id="header-tab"][data-entity-id="{HOLD_TICKET}"]')
        expect(selected).to_have_attribute("data-entity-is-selected", "true")
        expect(selected).to_have_attribute("aria-current", "page")
        expect(tid(selected, "header-tab-subtitle")).to_have_text(f"#{HOLD_TICKET}")
        other = page.locator(f'[data-test-id="header-tab"][data-entity-id="{OPEN_TICKET}"]')
        expect(other).to_have_attribute("data-entity-is-selected", "false")
        expect(other).not_to_have_attribute("aria-current", "page")
        tid(other, "header-tab-title").click()
        expect(page).to_have_url(f"{fake.zendesk_url}/agent/tickets/{OPEN_TICKET}")
        expect(active_pane(page, OPEN_TICKET)).to_be_visible()
        expect(page.locator(f'[data-test-id="ticket-{HOLD_TICKET}-standard-layout"]')).to_be_hidden()

    def test_reload_keeps_the_open_tabs(self, page: Page, fake):
        """The session's open tabs come back after a reload."""
        open_logged_in(page, fake)
        open_ticket(page, fake, OPEN_TICKET)
        open_ticket(page, fake, HOLD_TICKET)
        page.reload()
        expect(tid(page, "header-tab")).to_have_count(2)
        expect(active_pane(page, HOLD_TICKET)).to_be_visible()


# -- search --------------------------------------------------------------------------------------


class TestSearch:
    """Toolbar search and the search URL."""

    def test_toolbar_search_by_comment_email_and_number(self, page: Page, fake):
        """The searchbox "Pesquisar" gets the focus; Enter lists the matches as "#id"."""
        open_logged_in(page, fake)
        tid(page, "header-toolbar-search-button").click()
        box = page.get_by_role("searchbox", name="Pesquisar", exact=True)
        expect(box).to_be_focused()
        items = tid(page, "search-dialog-matches-item")
        for query, expected in [("passo a passo", "#41004"), ("fernanda.rocha@nextel.com.br", "#41002"),
                                ("41003", "#41003"), ("inoperante", "#41002")]:
            box.fill(query)
            box.press("Enter")
            expect(items).to_have_count(1)
            expect(items).to_contain_text(expected)
        items.get_by_role("link").click()
        expect(page).to_have_url(f"{fake.zendesk_url}/agent/tickets/41002")
        expect(active_pane(page, 41002)).to_be_visible()

    def test_search_url_works_as_a_page(self, page: Page, fake):
        """/agent/search/1?q=... lists the matches, or says there are none."""
        open_logged_in(page, fake, "/agent/search/1?q=impressora")
        expect(tid(page, "search-dialog-matches-item")).to_contain_text(["#41001"])
        page.goto(fake.zendesk_url + "/agent/search/1?q=inexistente-xyz")
        expect(page.get_by_text("Nenhum resultado encontrado")).to_be_visible()
        expect(tid(page, "search-dialog-matches-item")).to_have_count(0)


# -- system rules --------------------------------------------------------------------------------


class TestSystemRules:
    """Rules the site enforces itself, with the error toast."""

    def expect_refused(self, page: Page, fake, ticket_id: int, message: str) -> None:
        before = ticket(fake, ticket_id)
        expect(toast(page)).to_have_text(message)
        assert ticket(fake, ticket_id) == before
        assert fake.audit(entity="ticket", id=str(ticket_id), action="rejected")

    def test_never_back_to_new(self, page: Page, fake):
        """An open ticket cannot be sent as Novo."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, OPEN_TICKET)
        submit_as(page, pane, "Novo")
        self.expect_refused(page, fake, OPEN_TICKET, "Um ticket não pode voltar para o status Novo.")

    def test_priority_cannot_be_cleared(self, page: Page, fake):
        """Prioridade, once set, cannot go back to empty."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, OPEN_TICKET)
        choose(page, pane, "Prioridade", "-")
        tid(pane, "submit_button-button").click()
        self.expect_refused(page, fake, OPEN_TICKET, "A prioridade não pode ser removida depois de definida.")

    def test_solved_needs_an_assignee(self, page: Page, fake):
        """Resolvido is refused without a Responsável, accepted with one."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, UNASSIGNED_TICKET)
        stay_on_ticket(page, pane)
        submit_as(page, pane, "Resolvido")
        self.expect_refused(page, fake, UNASSIGNED_TICKET,
                            "Para enviar como Resolvido, atribua o ticket a um responsável.")
        tid(page, "notification-close-btn").click()
        choose(page, pane, "Responsável", "Ana Carvalho")
        submit_as(page, pane, "Resolvido")
        expect(toast(page)).to_have_text(f"Ticket #{UNASSIGNED_TICKET} atualizado")
        saved = ticket(fake, UNASSIGNED_TICKET)
        assert (saved["status"], saved["assignee"]) == ("solved", "ana.carvalho@bematech.com.br")

    def test_closed_cannot_change(self, page: Page, fake):
        """A closed ticket refuses every submit."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, CLOSED_TICKET)
        expect(tid(pane, "status-badge-closed")).to_have_text("Fechado")
        write(pane, page, "Tentativa", internal=True)
        submit_as(page, pane, "Aberto")
        self.expect_refused(page, fake, CLOSED_TICKET,
                            f"O ticket #{CLOSED_TICKET} está fechado e não pode ser alterado.")


# -- session -------------------------------------------------------------------------------------


class TestSession:
    """Idle session expiry."""

    def test_expired_session_goes_to_login_and_back(self, page: Page, fake):
        """After the idle lifetime the workspace shows the login page, then the same ticket again."""
        fake.faults(session_ttl=1)
        page.goto(f"{fake.zendesk_url}/agent/tickets/{OPEN_TICKET}")
        login(page, fake)
        expect(active_pane(page, OPEN_TICKET)).to_be_visible()
        expect(page).to_have_url(re.compile(r"/access/login\?"), timeout=10_000)
        expect(page.get_by_text("Sua sessão expirou. Entre novamente.")).to_be_visible()
        fake.faults(session_ttl=None)
        login(page, fake)
        expect(page).to_have_url(f"{fake.zendesk_url}/agent/tickets/{OPEN_TICKET}")
        expect(active_pane(page, OPEN_TICKET).get_by_label("Assunto")).to_have_value("ECF inoperante na loja Centro")
        assert fake.audit(site="zendesk", entity="session", action="expired")

    def test_api_without_session_answers_401(self, page: Page, fake):
        """The JSON API of an expired session answers 401 with the login URL to go back."""
        response = page.request.get(f"{fake.zendesk_url}/api/v2/tickets/{OPEN_TICKET}",
                                    headers={"X-Return-To": f"/agent/tickets/{OPEN_TICKET}"})
        assert response.status == 401
        assert response.json()["login_url"] == f"/access/login?return_to=%2Fagent%2Ftickets%2F{OPEN_TICKET}"
