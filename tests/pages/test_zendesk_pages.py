"""The Zendesk page objects against the fake Agent Workspace."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pages.common import Credentials, install_modal_handler
from pages.zendesk import Comment, SearchPage, TicketPage, ZendeskLogin
from rpa.errors import LoginRefused, NotFoundOnSite, RateLimited, SaveRejected, SessionExpired

pytestmark = pytest.mark.e2e

OPEN_TICKET = 41002
HOLD_TICKET = 41003


@pytest.fixture()
def creds(fake) -> Credentials:
    zd = fake.credentials["zendesk"]
    return Credentials(zd["email"], zd["password"])


@pytest.fixture()
def zd_page(page: Page, fake, creds) -> Page:
    """A page with the modal handler (as the runner installs it) and a Zendesk session."""
    install_modal_handler(page)
    ZendeskLogin(page, fake.zendesk_url).ensure_logged_in(creds)
    return page


@pytest.fixture()
def tickets(zd_page: Page, fake, creds) -> TicketPage:
    return TicketPage(zd_page, fake.zendesk_url, creds)


def saved(fake, ticket_id: int) -> dict:
    return next(t for t in fake.state()["zendesk"]["tickets"] if t["id"] == ticket_id)


class TestLogin:
    """ZendeskLogin."""

    def test_wrong_password_raises_login_refused(self, page: Page, fake, creds):
        """Refused credentials raise LoginRefused with the site's reason."""
        login = ZendeskLogin(page, fake.zendesk_url)
        login.open()
        with pytest.raises(LoginRefused, match="E-mail ou senha inválidos"):
            login.login(Credentials(creds.user, "errada"))
        assert login.is_current()

    def test_ensure_logged_in_only_when_needed(self, page: Page, fake, creds):
        """ensure_logged_in logs in from a blank page, then has nothing to do."""
        login = ZendeskLogin(page, fake.zendesk_url)
        assert login.ensure_logged_in(creds) is True
        assert not login.is_current()
        assert login.ensure_logged_in(creds) is False


class TestCreateTicket:
    """The procedure's ticket: new requester, every field, note + Aberto, reply + Em espera."""

    def test_new_ticket_with_new_requester_open_then_hold(self, tickets: TicketPage, fake):
        """Every field set, both submits verified, the state holds all of it."""
        tickets.open_new_ticket()
        assert tickets.ticket_id() is None
        tickets.set_requester("joana.prado@lojanova.com.br", "Joana Prado")
        tickets.set_subject("Abertura de O.S. – LOJA NOVA – LED piscando")
        tickets.set_brand("Bematech Hardware")
        tickets.set_form("0800")
        tickets.set_type("Incidente")
        tickets.set_custom_dropdown(1001, "hardware")
        tickets.set_custom_dropdown(1002, "Ordem de Serviço")
        tickets.set_custom_dropdown(1003, "Abertura de O.S.")
        tickets.set_custom_text(1004, "2026000777")
        note = "CNPJ 12.ABC.345/01DE-35 – LOJA NOVA LTDA\nO.S. 2026000777 aberta."
        tickets.add_comment(note, internal=True)
        tickets.stay_on_ticket_after_submit()
        ticket_id = tickets.submit_as("open")
        assert ticket_id == 41008
        assert tickets.ticket_id() == ticket_id
        assert tickets.read_status() == "open"
        tickets.add_comment("Sua O.S. 2026000777 foi aberta. Atenciosamente, Bematech.", internal=False)
        tickets.stay_on_ticket_after_submit()
        assert tickets.submit_as("hold") == ticket_id
        assert tickets.read_status() == "hold"
        assert tickets.read_fields() == {
            "subject": "Abertura de O.S. – LOJA NOVA – LED piscando", "brand": "Bematech Hardware",
            "form": "0800", "type": "Incidente", "priority": "Normal", "1001": "hardware",
            "1002": "Ordem de Serviço", "1003": "Abertura de O.S.", "1004": "2026000777", "1005": ""}
        assert tickets.read_comments() == [
            Comment(public=False, body=note),
            Comment(public=True, body="Sua O.S. 2026000777 foi aberta. Atenciosamente, Bematech."),
        ]
        state = saved(fake, ticket_id)
        assert state["requester"] == "joana.prado@lojanova.com.br"
        assert state["status_history"] == ["open", "hold"]
        assert state["custom_fields"] == {"1001": "hardware", "1002": "Ordem de Serviço",
                                          "1003": "Abertura de O.S.", "1004": "2026000777"}
        assert {"name": "Joana Prado", "email": "joana.prado@lojanova.com.br"} in fake.state()["zendesk"]["users"]
        by_robot = fake.audit(entity="ticket", id=str(ticket_id), actor="robo@bematech.com.br")
        assert by_robot and all("priority" not in event["changes"] for event in by_robot)

    def test_existing_requester_is_picked_not_added(self, tickets: TicketPage, fake):
        """A known e-mail is chosen from the options: no user is created."""
        users_before = len(fake.state()["zendesk"]["users"])
        tickets.open_new_ticket()
        tickets.set_requester("fernanda.rocha@nextel.com.br", "Fernanda Rocha")
        tickets.set_subject("Outro equipamento")
        ticket_id = tickets.submit_as("open")  # default "Fechar aba": verified by reopening
        assert tickets.read_status() == "open"
        assert saved(fake, ticket_id)["requester"] == "fernanda.rocha@nextel.com.br"
        assert len(fake.state()["zendesk"]["users"]) == users_before

    def test_requester_added_meanwhile_by_someone_else_is_picked(self, tickets: TicketPage, zd_page: Page, fake):
        """The search said "no such user", but the user exists by the time of "Adicionar" (another
        worker added it): the refused add is cancelled and a second search picks the user, fast."""
        import time

        users_before = len(fake.state()["zendesk"]["users"])
        # The first search answers as if the user did not exist yet; later searches are real.
        zd_page.route("**/api/v2/users/autocomplete*", lambda route: route.fulfill(json={"users": []}), times=1)
        tickets.open_new_ticket()
        started = time.monotonic()
        tickets.set_requester("fernanda.rocha@nextel.com.br", "Fernanda Rocha")
        took = time.monotonic() - started
        tickets.set_subject("Outro equipamento")
        ticket_id = tickets.submit_as("open")
        assert saved(fake, ticket_id)["requester"] == "fernanda.rocha@nextel.com.br"
        assert len(fake.state()["zendesk"]["users"]) == users_before
        expect(zd_page.get_by_role("dialog")).to_have_count(0)
        assert took < tickets.timeout_ms / 1000, "the refused add must not wait for the timeout"

    def test_default_close_tab_is_verified_by_reopening(self, tickets: TicketPage, zd_page: Page, fake):
        """Without "Permanecer no ticket" the tab closes; submit_as reopens it to check the badge."""
        tickets.open_ticket(OPEN_TICKET)
        tickets.add_comment("Registro interno", internal=True)
        assert tickets.submit_as("hold") == OPEN_TICKET
        assert tickets.ticket_id() == OPEN_TICKET
        assert tickets.read_status() == "hold"
        expect(zd_page.locator('[data-test-id="notification"]')).to_have_count(0)
        assert saved(fake, OPEN_TICKET)["comments"][-1]["body"] == "Registro interno"


class TestActivePane:
    """Only the active pane counts."""

    def test_inactive_pane_is_ignored(self, tickets: TicketPage, zd_page: Page, fake):
        """Two tickets open: reads and writes go to the active one only."""
        tickets.open_ticket(OPEN_TICKET)
        tickets.open_ticket(HOLD_TICKET)
        expect(zd_page.locator('[data-test-id="omni-header-subject"]')).to_have_count(2)
        assert tickets.ticket_id() == HOLD_TICKET
        assert tickets.read_fields()["subject"] == "LED piscando no terminal de autoatendimento"
        assert [c.public for c in tickets.read_comments()] == [True, False, True]
        tickets.set_subject("LED piscando – revisado")
        tickets.set_type("Problema")
        tickets.stay_on_ticket_after_submit()
        assert tickets.submit_as("hold") == HOLD_TICKET
        assert (saved(fake, HOLD_TICKET)["subject"], saved(fake, HOLD_TICKET)["type"]) == (
            "LED piscando – revisado", "Problema")
        assert saved(fake, OPEN_TICKET)["subject"] == "ECF inoperante na loja Centro"

    def test_missing_ticket_raises_not_found(self, tickets: TicketPage):
        """A ticket number that does not exist raises NotFoundOnSite."""
        with pytest.raises(NotFoundOnSite):
            tickets.open_ticket(99999)


class TestSubmitErrors:
    """The error toasts become errors of rpa.errors."""

    def test_rate_limited_carries_retry_after(self, tickets: TicketPage, fake):
        """Past the rate limit submit_as raises RateLimited(retry_after=N)."""
        tickets.open_ticket(OPEN_TICKET)
        tickets.stay_on_ticket_after_submit()
        fake.faults(rate_limit_per_minute=1, rate_limit_seconds=3)
        tickets.submit_as("pending")
        with pytest.raises(RateLimited) as caught:
            tickets.submit_as("hold")
        assert caught.value.retry_after == 3
        assert saved(fake, OPEN_TICKET)["status"] == "pending"

    def test_injected_failure_raises_save_rejected(self, tickets: TicketPage, fake):
        """fail_rate=1: SaveRejected with the toast text; nothing saved."""
        tickets.open_ticket(OPEN_TICKET)
        fake.faults(fail_rate=1)
        with pytest.raises(SaveRejected, match="^Não foi possível salvar o ticket$"):
            tickets.submit_as("hold")
        assert saved(fake, OPEN_TICKET)["status"] == "open"

    def test_system_rule_raises_save_rejected(self, tickets: TicketPage):
        """A rule of the site (never back to Novo) raises SaveRejected with its message."""
        tickets.open_ticket(OPEN_TICKET)
        with pytest.raises(SaveRejected, match="não pode voltar para o status Novo"):
            tickets.submit_as("new")

    def test_session_lost_on_submit_raises_session_expired(self, tickets: TicketPage, zd_page: Page):
        """A submit answered by the login page raises SessionExpired."""
        tickets.open_ticket(OPEN_TICKET)
        zd_page.context.clear_cookies()
        with pytest.raises(SessionExpired):
            tickets.submit_as("hold")


class TestSearchAndNavigation:
    """SearchPage and navigation across an expired session."""

    def test_search_by_comment_text_number_and_nothing(self, zd_page: Page, fake, creds):
        """Comment text and ticket number find their tickets; an unknown text finds none."""
        search = SearchPage(zd_page, fake.zendesk_url, creds)
        assert search.search("passo a passo") == [41004]
        assert search.search("41003") == [41003]
        assert search.search("texto-que-nao-existe") == []

    def test_open_ticket_after_the_session_expired(self, zd_page: Page, fake, creds):
        """The site logs the page out after the idle lifetime; open_ticket logs in again."""
        fake.faults(session_ttl=1)
        tickets = TicketPage(zd_page, fake.zendesk_url, creds)
        zd_page.goto(f"{fake.zendesk_url}/agent/tickets/{HOLD_TICKET}")
        expect(zd_page).to_have_url(re.compile(r"/access/login"), timeout=10_000)
        fake.faults(session_ttl=None)
        tickets.open_ticket(OPEN_TICKET)
        assert tickets.ticket_id() == OPEN_TICKET
        assert tickets.read_status() == "open"

    def test_search_after_the_session_expired(self, zd_page: Page, fake, creds):
        """A search whose session is gone logs in again and searches."""
        zd_page.goto(f"{fake.zendesk_url}/agent")
        zd_page.context.clear_cookies()
        assert SearchPage(zd_page, fake.zendesk_url, creds).search("impressora") == [41001]

    def test_without_password_an_expired_session_raises(self, zd_page: Page, fake):
        """With empty credentials (the runner logs in elsewhere) no login is tried: SessionExpired."""
        tickets = TicketPage(zd_page, fake.zendesk_url, Credentials("", ""))
        zd_page.context.clear_cookies()
        with pytest.raises(SessionExpired):
            tickets.open_ticket(OPEN_TICKET)
        assert not fake.audit(site="zendesk", action="login_failed")

    def test_modal_is_handled(self, zd_page: Page, fake, creds):
        """With modal_rate=1 (modal on every load and submit) the page objects still work."""
        fake.faults(modal_rate=1)
        tickets = TicketPage(zd_page, fake.zendesk_url, creds)
        tickets.open_ticket(OPEN_TICKET)
        tickets.add_comment("Com aviso na tela", internal=True)
        tickets.stay_on_ticket_after_submit()
        assert tickets.submit_as("hold") == OPEN_TICKET
        assert saved(fake, OPEN_TICKET)["status"] == "hold"
