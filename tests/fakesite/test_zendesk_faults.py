"""The fake Zendesk's fault knobs (latency, failed saves, rate limiting, the "Aviso" modal) and
its built-in seed, driven by hand with raw Playwright and checked on ``fake.state()``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fakesite import seed_zendesk
from tests.fakesite.test_zendesk import (
    OPEN_TICKET,
    active_pane,
    open_logged_in,
    open_ticket,
    stay_on_ticket,
    submit_as,
    ticket,
    tid,
    toast,
    write,
)


@pytest.mark.e2e
class TestFaults:
    """One test per fault knob."""

    def test_latency_makes_the_site_slower(self, page: Page, fake):
        """With latency every application request takes at least that long on the server."""
        open_logged_in(page, fake)
        fake.faults(latency_ms=150, jitter_ms=0)
        before = fake.state()["timing"]["zendesk"]
        open_ticket(page, fake, OPEN_TICKET)  # the page and the ticket's API call
        after = fake.state()["timing"]["zendesk"]
        requests = after["requests"] - before["requests"]
        assert requests >= 2
        assert after["server_seconds"] - before["server_seconds"] >= 0.15 * requests

    def test_fail_rate_refuses_the_save(self, page: Page, fake):
        """fail_rate=1: the error toast, nothing saved, the draft kept, the failure audited."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, OPEN_TICKET)
        before = ticket(fake, OPEN_TICKET)
        fake.faults(fail_rate=1)
        write(pane, page, "Nota que não será salva", internal=True)
        submit_as(page, pane, "Em espera")
        expect(toast(page)).to_have_text("Não foi possível salvar o ticket")
        expect(tid(pane, "status-badge-open")).to_be_visible()
        expect(tid(pane, "omnicomposer-rich-text-ckeditor")).to_have_text("Nota que não será salva")
        assert ticket(fake, OPEN_TICKET) == before
        assert fake.audit(site="zendesk", entity="ticket", id=str(OPEN_TICKET), action="injected_failure")

    def test_rate_limit_refuses_for_n_seconds_then_accepts(self, page: Page, fake):
        """Past the limit: toast with N seconds, refusals during N seconds, then saves again."""
        open_logged_in(page, fake)
        pane = open_ticket(page, fake, OPEN_TICKET)
        stay_on_ticket(page, pane)
        fake.faults(rate_limit_per_minute=1, rate_limit_seconds=2)
        submit_as(page, pane, "Pendente")
        expect(toast(page)).to_have_text(f"Ticket #{OPEN_TICKET} atualizado")
        tid(page, "notification-close-btn").click()
        submit_as(page, pane, "Em espera")
        expect(toast(page)).to_have_text("Limite de requisições excedido. Tente novamente em 2 segundos.")
        expect(tid(pane, "submit_button-menu-button")).to_be_disabled()
        refused = page.request.put(f"{fake.zendesk_url}/api/v2/tickets/{OPEN_TICKET}", data={"status": "hold"})
        assert refused.status == 429
        assert refused.headers["retry-after"] in {"1", "2"}
        assert ticket(fake, OPEN_TICKET)["status"] == "pending"
        tid(page, "notification-close-btn").click()
        expect(tid(pane, "submit_button-menu-button")).to_be_enabled(timeout=5_000)
        submit_as(page, pane, "Em espera")
        expect(toast(page)).to_have_text(f"Ticket #{OPEN_TICKET} atualizado")
        assert ticket(fake, OPEN_TICKET)["status_history"] == ["new", "open", "pending", "hold"]
        assert len(fake.audit(site="zendesk", action="rate_limited")) == 2

    def test_modal_blocks_the_page_until_closed(self, page: Page, fake):
        """modal_rate=1: an "Aviso" dialog over the page on load and after a submit; clicks blocked."""
        fake.faults(modal_rate=1)
        page.goto(f"{fake.zendesk_url}/agent/tickets/{OPEN_TICKET}")
        page.get_by_label("E-mail").fill(fake.credentials["zendesk"]["email"])
        page.get_by_label("Senha").fill(fake.credentials["zendesk"]["password"])
        page.get_by_role("button", name="Entrar").click()
        dialog = page.get_by_role("dialog", name="Aviso")
        expect(dialog).to_be_visible()
        chevron = tid(active_pane(page, OPEN_TICKET), "submit_button-menu-button")
        hit = chevron.evaluate("el => { const r = el.getBoundingClientRect();"
                               " const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
                               " return el.contains(top); }")
        assert hit is False  # something covers the page
        dialog.get_by_role("button", name="Fechar").click()
        expect(dialog).to_be_hidden()
        pane = active_pane(page, OPEN_TICKET)
        stay_on_ticket(page, pane)
        submit_as(page, pane, "Em espera")
        expect(toast(page)).to_have_text(f"Ticket #{OPEN_TICKET} atualizado")
        expect(dialog).to_be_visible()
        assert len(fake.audit(site="zendesk", action="modal_shown")) == 2


class TestSeed:
    """The built-in seed in the contract's format."""

    def test_seed_in_the_contract_format(self, fake):
        """Agents, ≥30 requesters, brands, forms, the five fields and tickets from 41001."""
        z = fake.state()["zendesk"]
        assert z["agents"][0]["email"] == "robo@bematech.com.br" and z["agents"][0]["password"]
        assert len(z["users"]) >= 30 and all("@" in u["email"] for u in z["users"])
        assert len({u["email"] for u in z["users"]}) == len(z["users"])
        assert z["brands"][:2] == ["Bematech Hardware", "Bematech Software"]
        assert z["forms"][:2] == ["Padrão", "0800"]
        fields = z["fields"]
        assert fields["1004"] == {"title": "Número da Ordem de Serviço ou de série", "type": "text"}
        assert {"hardware", "software"} <= set(fields["1001"]["options"])
        assert {"Ordem de Serviço", "Cadastro"} <= set(fields["1002"]["options"])
        assert {"Abertura de O.S.", "Alteração cadastral"} <= set(fields["1003"]["options"])
        assert fields["1005"] == {"title": "Área responsável (0800)", "options": ["Suporte", "Comercial"]}
        ids = [t["id"] for t in z["tickets"]]
        assert min(ids) == 41001 and len(set(ids)) == len(ids)
        assert {t["status"] for t in z["tickets"]} == {"new", "open", "pending", "hold", "solved", "closed"}
        keys = {"id", "subject", "requester", "status", "brand", "form", "type", "priority", "custom_fields",
                "comments", "status_history"}
        for t in z["tickets"]:
            assert keys <= set(t)
            assert t["status_history"][-1] == t["status"]
            assert all(set(c) >= {"public", "body", "author"} for c in t["comments"])

    def test_build_returns_fresh_copies(self):
        """Each build() is a new structure: a test changing it cannot change the next seed."""
        first = seed_zendesk.build()
        first["fields"]["1001"]["options"].append("outro")
        first["tickets"][0]["comments"].clear()
        second = seed_zendesk.build()
        assert second["fields"]["1001"]["options"] == ["hardware", "software"]
        assert second["tickets"][0]["comments"]

    def test_requesters_have_brazilian_names_and_e_mails(self):
        """E-mails are first.last@company without accents."""
        for user in seed_zendesk.build()["users"]:
            assert re.fullmatch(r"[a-z]+\.[a-z]+@[a-z0-9.-]+\.com(\.br)?", user["email"]), user
