"""RequestFlow over in-memory sites: the order of the steps, every idempotency decision, and the
outcomes decided by what the sites answer (no browser, no network).

Real pieces: the journal (SQLite in tmp_path), the mailer (``.eml`` outbox in tmp_path), the
settings, the catalogues shipped with the project, and the project's own row parsing, grouping
and planning. Fake: only the page objects (``tests.runtime.fakes``). A crash is simulated by the
journal's checkpoint raising at a named point ("before:done:os": the site did it, the journal
does not know), or by a fake page object failing before its effect; a retry is a new
``RequestFlow`` over new ``FakeSites`` and the same world, journal and outbox.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pages.workfinity.models import SiteAddress
from rpa.io.catalog_files import SHIPPED_DIR, load_catalogs
from rpa.io.journal import Journal
from rpa.io.mailer import Mailer
from rpa.outcomes import Outcome
from rpa.procedure.requests import Request, group_requests, request_marker
from rpa.procedure.rules import Plan, RuleConfig, plan_request
from rpa.procedure.sheet import Sheet, SheetRow
from rpa.runtime.request_flow import RequestFlow
from rpa.settings import Settings
from tests.corpus.builders import NEXTEL_CNPJ, PADARIA_CNPJ, good_row
from tests.runtime.fakes import FakeSites, SimulatedCrash, World

NOW = dt.datetime(2026, 3, 2, 10, 30, 15, 123456)   # a Monday
DEADLINE = dt.date(2026, 3, 4)                       # R8: two business days after NOW
CATALOGS = load_catalogs(SHIPPED_DIR)

PADARIA = "PADARIA PÃO QUENTE LTDA"                  # not in the authorized-clients list (R7)
SERIAL_1 = "BE4200TH000123"
SERIAL_2 = "BE4200TH000456"
SHEET_TICKET = 41001                                  # a ticket that exists in Zendesk
FIRST_NEW_TICKET = 41050                              # the number Zendesk gives the next ticket
REGISTERED = SiteAddress(cep="01310-100", logradouro="Avenida Paulista", numero="1000", complemento="",
                         bairro="Bela Vista", cidade="São Paulo", uf="SP")
MOVED = {"CEP": "04538-132", "Logradouro": "Avenida Brigadeiro Faria Lima", "Número": "3477",
         "Bairro": "Itaim Bibi", "Cidade": "São Paulo", "UF": "SP"}


# -- building requests the way the runner does ----------------------------------------------


def request_of(*rows: dict[str, object]) -> tuple[Request, Plan]:
    """The one request a sheet of these rows (spreadsheet rows 2, 3...) makes, and its plan."""
    sheet = Sheet(path=Path("chamados.xlsx"), sheet_name="Chamados", header_row=1, columns={}, fmt="xlsx",
                  rows=[SheetRow(row_number=2 + i, values={k: str(v) for k, v in r.items()}, extra={})
                        for i, r in enumerate(rows)])
    (request,) = group_requests(sheet, CATALOGS)
    plan = plan_request(request, RuleConfig(catalogs=CATALOGS))
    assert not request.errors and not plan.outcomes, (request.errors, plan.outcomes)
    return request, plan


def new_ticket_request(*serials: str, **fields: object) -> tuple[Request, Plan]:
    """Rows without a ticket (one Solicitação): the bot creates the ticket."""
    return request_of(*[good_row(**{"Solicitação": "S-1", "Número de Série": s}, **fields)
                        for s in serials or (SERIAL_1,)])


def sheet_ticket_request(*serials: str, ticket: int = SHEET_TICKET, **fields: object) -> tuple[Request, Plan]:
    """Rows carrying the spreadsheet's ticket."""
    return request_of(*[good_row(Ticket=str(ticket), **{"Número de Série": s}, **fields)
                        for s in serials or (SERIAL_1,)])


# -- the bot around the fakes ----------------------------------------------------------------


class Crash:
    """The journal's checkpoint: raises ``SimulatedCrash`` once, at the armed point."""

    def __init__(self) -> None:
        self.point: str | None = None
        self.fired: list[str] = []

    def arm(self, point: str) -> None:
        self.point = point

    def __call__(self, point: str) -> None:
        if point == self.point:
            self.point = None
            self.fired.append(point)
            raise SimulatedCrash(point)


@dataclass
class Bot:
    world: World
    journal: Journal
    mailer: Mailer
    settings: Settings
    crash: Crash
    attempts: list[FakeSites] = field(default_factory=list)

    def flow(self, request: Request, plan: Plan, sites: FakeSites) -> RequestFlow:
        return RequestFlow(request=request, plan=plan, journal=self.journal, sites=sites,  # type: ignore[arg-type]
                           mailer=self.mailer, settings=self.settings, now=lambda: NOW)

    def run(self, request: Request, plan: Plan, *, not_found: set[str] | None = None):
        """One attempt with fresh page objects (a new browser context); (results, its sites)."""
        sites = FakeSites(self.world, not_found=not_found)
        self.attempts.append(sites)
        return self.flow(request, plan, sites).run(), sites

    def crash_at(self, point: str, request: Request, plan: Plan) -> FakeSites:
        """An attempt that dies at a journal checkpoint (e.g. the site did it, the journal missed it)."""
        self.crash.arm(point)
        sites = FakeSites(self.world)
        with pytest.raises(SimulatedCrash):
            self.flow(request, plan, sites).run()
        assert self.crash.fired[-1:] == [point], f"the flow never reached {point}"
        return sites

    def fail_at(self, po: str, method: str, request: Request, plan: Plan, nth: int = 1) -> FakeSites:
        """An attempt whose browser dies as it calls ``po.method`` (before the call does anything)."""
        sites = FakeSites(self.world)
        sites.fail_at(po, method, nth)
        with pytest.raises(SimulatedCrash):
            self.flow(request, plan, sites).run()
        return sites

    def phase(self, key: str, effect: str) -> str | None:
        """"intent" / "done" of a journaled effect, None when never attempted."""
        found = self.journal.effect(key, effect)
        return found[0] if found else None

    def outbox(self) -> list[Path]:
        return sorted(self.mailer.outbox.glob("*.eml"))


def seeded_world() -> World:
    world = World(next_ticket=FIRST_NEW_TICKET)
    world.add_customer(PADARIA_CNPJ, PADARIA, REGISTERED)
    world.add_equipment(SERIAL_1, warranty_end=dt.date(2027, 1, 31))
    world.add_equipment(SERIAL_2, warranty_end=dt.date(2027, 1, 31))
    world.add_ticket(SHEET_TICKET, requester=("joao@paoquente.com.br", "João Silva"),
                     subject="Impressora não liga")
    return world


@pytest.fixture()
def bot(tmp_path: Path) -> Iterator[Bot]:
    crash = Crash()
    settings = Settings(public_reply=True, business_days=2, deadline_mode="business_days", state_holidays=False,
                        smtp_url=None, smtp_from="robo@bematech.com.br",
                        book_to_cadastro="cadastro@bematech.com.br", book_to_cortesia="cortesia@bematech.com.br",
                        outbox_dir=tmp_path / "outbox", catalog_dir=SHIPPED_DIR, max_equipment=5)
    journal = Journal(tmp_path / "journal.sqlite", checkpoint=crash)
    yield Bot(world=seeded_world(), journal=journal, mailer=Mailer(None, tmp_path / "outbox"),
              settings=settings, crash=crash)
    journal.close()


def milestones(sites: FakeSites) -> list[tuple]:
    """The calls that decide or change something, with the argument that matters."""
    out: list[tuple] = []
    for c in sites.calls:
        if (c.po, c.method) == ("ticket", "add_comment"):
            out.append((c.po, c.method, "internal" if c.kwargs["internal"] else "public"))
        elif (c.po, c.method) in (("ticket", "submit_as"), ("order_form", "set_pedido_de_venda")):
            out.append((c.po, c.method, c.args[0]))
        elif (c.po, c.method) in (("order_form", "open_new_order"), ("order_form", "set_group"),
                                  ("order_form", "pick_customer"), ("order_form", "lookup_equipment"),
                                  ("order_form", "save"), ("ticket", "open_new_ticket"),
                                  ("ticket", "open_ticket"), ("order_list", "search"), ("search", "search")):
            out.append((c.po, c.method))
    return out


def read_eml(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def comments_posted(sites: FakeSites) -> list[tuple[bool, str]]:
    """(internal, text) of every add_comment of an attempt."""
    return [(c.kwargs["internal"], c.args[0]) for c in sites.calls_to("ticket", "add_comment")]


# -- a. the order of the steps --------------------------------------------------------------


class TestNewTicketSteps:
    """A request without a ticket: the new ticket is filled while Workfinity decides, submitted
    once a row needs it, then the O.S. is saved under its number, then the ticket is updated
    (Aberto, then Em espera). Here the two lanes take turns (no browser): the order is fixed."""

    def test_assessment_then_ticket_then_os_then_open_then_hold(self, bot: Bot):
        """The exact order of the deciding steps, on one equipment."""
        request, plan = new_ticket_request()
        results, sites = bot.run(request, plan)

        ticket = str(FIRST_NEW_TICKET)
        assert milestones(sites) == [
            ("ticket", "open_new_ticket"), ("ticket", "add_comment", "internal"),
            ("order_form", "open_new_order"), ("order_form", "set_group"), ("order_form", "pick_customer"),
            ("order_form", "lookup_equipment"),
            ("ticket", "submit_as", "open"),
            ("order_form", "set_pedido_de_venda", ticket), ("order_form", "save"),
            ("ticket", "add_comment", "internal"), ("ticket", "submit_as", "open"),
            ("ticket", "add_comment", "public"), ("ticket", "submit_as", "hold"),
        ]
        steps = sites.steps()
        # The requester (who may be added to Zendesk) waits until a row needs the ticket; the
        # update's fields are chosen before the O.S. is saved.
        assert steps.index(("ticket", "set_requester")) > steps.index(("order_form", "lookup_equipment"))
        assert steps.index(("ticket", "set_custom_dropdown")) < steps.index(("order_form", "save"))
        assert [c.args for c in sites.calls_to("ticket", "set_custom_dropdown")][:5] == [
            (1001, "hardware"), (1001, "hardware"), (1002, "Ordem de Serviço"), (1003, "Abertura de O.S."),
            (1001, "hardware")]
        # The O.S. form is filled while the ticket is created; only Pedido de Venda waits for its number.
        wf = sites.steps("order_form")
        fill = wf[wf.index(("order_form", "lookup_equipment")) + 1:wf.index(("order_form", "save"))]
        assert fill[-1] == ("order_form", "set_pedido_de_venda")
        assert ("order_form", "set_service") in fill and ("order_form", "set_notes") in fill
        assert steps.index(("order_form", "set_notes")) < steps.index(("ticket", "submit_as"))
        assert sites.calls_to("order_form", "pick_customer")[0].args == ("11.222.333/0001-81",)
        assert sites.calls_to("order_form", "lookup_equipment")[0].args == (SERIAL_1,)

    def test_world_and_results_after_one_equipment(self, bot: Bot):
        """One ticket (fields, creation note with the marker, note, reply, Aberto -> Em espera), one
        O.S. under its number, the row OK with both numbers and "Em espera"."""
        request, plan = new_ticket_request()
        results, sites = bot.run(request, plan)

        assert list(bot.world.tickets) == [SHEET_TICKET, FIRST_NEW_TICKET]
        t = bot.world.tickets[FIRST_NEW_TICKET]
        (order,) = bot.world.orders
        assert (order.pedido_de_venda, order.serial, order.cnpj) == (str(t.id), SERIAL_1, PADARIA_CNPJ)
        assert (order.group, order.service, order.notes) == ("Manutenção on site", "Corretiva", "ECF inoperante")
        assert order.observacoes_atendimento == "" and order.address == REGISTERED  # no address change

        assert t.requester == ("joao@paoquente.com.br", "João Silva")
        assert t.submitted == ["open", "open", "hold"] and t.status == "hold"
        creation, note = t.internal_notes
        assert request_marker(request) in creation and PADARIA_CNPJ in creation
        assert PADARIA_CNPJ in note and PADARIA in note and order.number in note
        (reply,) = t.public_replies
        assert order.number in reply
        assert {k: t.fields[k] for k in ("brand", "form", "type", "1001", "1002", "1003", "1004")} == {
            "brand": "Bematech Hardware", "form": "0800", "type": "Incidente", "1001": "hardware",
            "1002": "Ordem de Serviço", "1003": "Abertura de O.S.", "1004": order.number}
        assert t.fields["subject"] == f"Abertura de O.S. – {PADARIA} – ECF inoperante"
        # Each text went to the ticket once.
        assert len(comments_posted(sites)) == 3

        (result,) = results.values()
        assert result.status == Outcome.OK
        assert (result.os_number, result.ticket, result.ticket_status) == (order.number, str(t.id), "Em espera")
        assert result.processed_at == NOW.replace(microsecond=0)
        assert f"O.S. {order.number} aberta" in result.message
        assert {name: phase for name, (phase, _) in bot.journal.effects(request.key).items()} == {
            "ticket": "done", f"os:{SERIAL_1}": "done", "zendesk:open": "done", "zendesk:hold": "done"}
        assert bot.outbox() == []

    def test_two_equipment_one_ticket_one_os_each(self, bot: Bot):
        """Two rows of one Solicitação: one ticket; each O.S. saved on a form that looked up its own
        serial, both under the ticket's number, both listed in field 1004 and in the note."""
        request, plan = new_ticket_request(SERIAL_1, SERIAL_2)
        results, sites = bot.run(request, plan)

        assert len(bot.world.tickets) == 2 and sites.steps().count(("ticket", "open_new_ticket")) == 1
        t = bot.world.tickets[FIRST_NEW_TICKET]
        assert sorted(o.serial for o in bot.world.orders) == [SERIAL_1, SERIAL_2]
        assert {o.pedido_de_venda for o in bot.world.orders} == {str(t.id)}
        by_serial = {o.serial: o.number for o in bot.world.orders}
        assert {n: r.os_number for n, r in results.items()} == {2: by_serial[SERIAL_1], 3: by_serial[SERIAL_2]}
        assert t.fields["1004"] == f"{by_serial[SERIAL_1]}, {by_serial[SERIAL_2]}"
        assert all(number in t.internal_notes[1] for number in by_serial.values())
        assert t.submitted == ["open", "open", "hold"]
        # Every save comes after the ticket exists.
        steps = sites.steps()
        created = steps.index(("ticket", "submit_as"))
        assert [i for i, s in enumerate(steps) if s == ("order_form", "save")] > [created] * 2

    def test_spreadsheet_ticket_is_opened_first_and_os_searched_before_a_form(self, bot: Bot):
        """With the spreadsheet's ticket: it is opened (does it exist?) before any Workfinity call,
        the O.S. is searched by Pedido de Venda + serial before a new form; no ticket is created
        and its Assunto is left alone."""
        request, plan = sheet_ticket_request()
        results, sites = bot.run(request, plan)

        assert milestones(sites)[:3] == [("ticket", "open_ticket"), ("order_list", "search"),
                                         ("order_form", "open_new_order")]
        assert sites.calls_to("order_list", "search")[0].kwargs == {"pedido_de_venda": str(SHEET_TICKET),
                                                                    "serial": SERIAL_1}
        assert ("ticket", "open_new_ticket") not in sites.steps()
        assert ("ticket", "set_subject") not in sites.steps()
        t = bot.world.tickets[SHEET_TICKET]
        assert t.fields["subject"] == "Impressora não liga" and t.submitted == ["open", "hold"]
        (order,) = bot.world.orders
        assert order.pedido_de_venda == str(SHEET_TICKET)
        (result,) = results.values()
        assert (result.status, result.ticket, result.ticket_status) == (Outcome.OK, "", "Em espera")


# -- b. idempotency ---------------------------------------------------------------------------


class TestOrderIdempotency:
    """An equipment never gets two O.S."""

    def test_os_saved_before_a_crash_is_found_by_pedido_and_serial(self, bot: Bot):
        """Saved, then the bot died before journaling it: the retry finds it by Pedido de Venda +
        serial, does not open a form, and says it reused it."""
        request, plan = new_ticket_request()
        bot.crash_at("before:done:os", request, plan)
        (saved,) = bot.world.orders
        assert bot.phase(request.key, f"os:{SERIAL_1}") == "intent"

        results, sites = bot.run(request, plan)

        assert sites.calls_to("order_list", "search")[0].kwargs == {"pedido_de_venda": saved.pedido_de_venda,
                                                                    "serial": SERIAL_1}
        assert sites.steps("order_form") == []
        assert len(bot.world.orders) == 1 and len(bot.world.tickets) == 2
        (result,) = results.values()
        assert result.status == Outcome.OK and result.os_number == saved.number
        assert "já existente (reaproveitada)" in result.message
        assert bot.journal.done_value(request.key, f"os:{SERIAL_1}") == saved.number
        assert bot.world.tickets[FIRST_NEW_TICKET].status == "hold"

    def test_os_opened_earlier_under_the_spreadsheet_ticket_is_reused(self, bot: Bot):
        """An O.S. with this Pedido de Venda and serial already on the site: not saved again."""
        existing = bot.world.add_order(pedido_de_venda=str(SHEET_TICKET), serial=SERIAL_1, cnpj=PADARIA_CNPJ)
        request, plan = sheet_ticket_request()
        results, sites = bot.run(request, plan)

        assert sites.steps("order_form") == [] and bot.world.orders == [existing]
        (result,) = results.values()
        assert result.os_number == existing.number and "reaproveitada" in result.message
        assert bot.world.tickets[SHEET_TICKET].fields["1004"] == existing.number

    def test_os_on_the_site_under_another_ticket_is_not_reused(self, bot: Bot):
        """Same serial, another Pedido de Venda: a new O.S. is opened (the search is by both)."""
        bot.world.add_order(pedido_de_venda="39999", serial=SERIAL_1, cnpj=PADARIA_CNPJ)
        request, plan = sheet_ticket_request()
        results, sites = bot.run(request, plan)

        assert sites.steps().count(("order_form", "save")) == 1 and len(bot.world.orders) == 2
        assert "aberta" in results[2].message and results[2].os_number == bot.world.orders[1].number

    def test_os_done_in_journal_means_no_workfinity_call(self, bot: Bot):
        """The journal has the O.S. done: Workfinity is not touched at all for it; its number is
        what the ticket and the row get."""
        request, plan = sheet_ticket_request()
        bot.journal.done(request.key, f"os:{SERIAL_1}", "2026000777")
        results, sites = bot.run(request, plan)

        assert sites.steps("order_list", "order_form") == []
        assert bot.world.orders == []
        assert results[2].os_number == "2026000777" and results[2].status == Outcome.OK
        t = bot.world.tickets[SHEET_TICKET]
        assert t.fields["1004"] == "2026000777" and "2026000777" in t.internal_notes[0]


class TestTicketIdempotency:
    """A request never gets two tickets, a note or a reply is never posted twice, a status is
    never submitted twice."""

    def test_ticket_created_before_a_crash_is_found_by_its_marker(self, bot: Bot):
        """Created, then the bot died before journaling the number: the retry searches the marker,
        finds the ticket and saves the O.S. under it, without creating another."""
        request, plan = new_ticket_request()
        bot.crash_at("before:done:ticket", request, plan)
        assert len(bot.world.tickets) == 2 and bot.world.orders == []
        assert bot.phase(request.key, "ticket") == "intent"

        results, sites = bot.run(request, plan)

        marker = request_marker(request)
        assert [c.args for c in sites.calls_to("search", "search")] == [(marker,)]
        assert ("ticket", "open_new_ticket") not in sites.steps()
        assert len(bot.world.tickets) == 2
        (order,) = bot.world.orders
        assert order.pedido_de_venda == str(FIRST_NEW_TICKET)
        assert results[2].ticket == str(FIRST_NEW_TICKET) and results[2].status == Outcome.OK
        assert bot.journal.done_value(request.key, "ticket") == str(FIRST_NEW_TICKET)
        t = bot.world.tickets[FIRST_NEW_TICKET]
        assert sum(marker in note for note in t.internal_notes) == 2  # creation note + update note, once each
        assert t.submitted == ["open", "open", "hold"]

    def test_ticket_intent_without_a_ticket_on_the_site_creates_it_once(self, bot: Bot):
        """The browser died while submitting the new ticket (nothing saved): the marker is not
        found, so the retry creates it, once."""
        request, plan = new_ticket_request()
        bot.fail_at("ticket", "submit_as", request, plan)
        assert len(bot.world.tickets) == 1 and bot.phase(request.key, "ticket") == "intent"

        results, sites = bot.run(request, plan)

        assert sites.steps().index(("search", "search")) < sites.steps().index(("ticket", "open_new_ticket"))
        assert len(bot.world.tickets) == 2 and results[2].ticket == str(FIRST_NEW_TICKET)
        assert bot.world.orders[0].pedido_de_venda == str(FIRST_NEW_TICKET)

    def test_internal_note_already_on_the_ticket_is_not_posted_again(self, bot: Bot):
        """zendesk:open has an intent, no done, and the note is on the ticket (submitted as open):
        the retry neither posts it nor submits "open" again; it goes on to the reply and hold."""
        request, plan = sheet_ticket_request()
        bot.crash_at("before:done:zendesk:open", request, plan)
        t = bot.world.tickets[SHEET_TICKET]
        assert t.submitted == ["open"] and len(t.internal_notes) == 1

        results, sites = bot.run(request, plan)

        assert [(c.method, c.args) for c in sites.changing_calls()] == [
            ("stay_on_ticket_after_submit", ()), ("add_comment", (t.public_replies[0],)), ("submit_as", ("hold",))]
        assert len(t.internal_notes) == 1 and len(t.public_replies) == 1
        assert t.submitted == ["open", "hold"]
        assert bot.journal.done_value(request.key, "zendesk:open") == "open"
        assert results[2].ticket_status == "Em espera"

    def test_open_intent_without_the_note_on_the_ticket_posts_it_once(self, bot: Bot):
        """zendesk:open has an intent but the submit never reached Zendesk: the retry posts the note
        and submits "open" (the check reads the ticket, it does not trust the intent)."""
        request, plan = sheet_ticket_request()
        bot.fail_at("ticket", "submit_as", request, plan)
        t = bot.world.tickets[SHEET_TICKET]
        assert t.submitted == [] and bot.phase(request.key, "zendesk:open") == "intent"

        bot.run(request, plan)

        assert len(t.internal_notes) == 1 and len(t.public_replies) == 1
        assert t.submitted == ["open", "hold"]

    def test_hold_already_on_the_badge_with_the_reply_is_not_submitted_again(self, bot: Bot):
        """zendesk:hold has an intent, no done; the badge says hold and the reply is there: the
        retry changes nothing on the ticket and records hold as done."""
        request, plan = sheet_ticket_request()
        bot.crash_at("before:done:zendesk:hold", request, plan)
        t = bot.world.tickets[SHEET_TICKET]
        assert t.submitted == ["open", "hold"]
        before = bot.world.snapshot()

        results, sites = bot.run(request, plan)

        assert sites.changing_calls() == []
        assert ("ticket", "read_status") in sites.steps()
        assert bot.world.snapshot() == before
        assert bot.journal.done_value(request.key, "zendesk:hold") == "hold"
        assert results[2].status == Outcome.OK and results[2].ticket_status == "Em espera"

    def test_hold_intent_without_the_reply_is_submitted_again(self, bot: Bot):
        """zendesk:hold has an intent but the submit never reached Zendesk (status still open):
        the retry posts the reply and submits hold, once."""
        request, plan = sheet_ticket_request()
        bot.fail_at("ticket", "submit_as", request, plan, nth=2)
        t = bot.world.tickets[SHEET_TICKET]
        assert t.submitted == ["open"] and bot.phase(request.key, "zendesk:hold") == "intent"

        bot.run(request, plan)

        assert t.submitted == ["open", "hold"] and len(t.public_replies) == 1 and len(t.internal_notes) == 1


class TestBookIdempotency:
    """A Book is e-mailed once per request and kind."""

    def test_book_done_in_journal_is_not_sent_again(self, bot: Bot):
        """The Book was sent and journaled, then the bot died before the ticket: the retry does
        not write it again (the outbox, emptied, stays empty) and the note still lists it."""
        request, plan = new_ticket_request(**MOVED)
        bot.crash_at("before:intent:zendesk:open", request, plan)
        (sent,) = bot.outbox()
        assert bot.journal.done_value(request.key, "book:cadastro") == str(sent)
        sent.unlink()

        results, _ = bot.run(request, plan)

        assert bot.outbox() == []
        assert results[2].status == Outcome.CADASTRO_PENDENTE
        note = bot.world.tickets[FIRST_NEW_TICKET].internal_notes[-1]
        assert "Book de alteração cadastral enviado ao Cadastro" in note

    def test_book_in_the_outbox_before_a_crash_is_the_same_file_on_retry(self, bot: Bot):
        """Written to the outbox, then the bot died before journaling it: the retry's Book has the
        same key, so the outbox still holds one file."""
        request, plan = new_ticket_request(**MOVED)
        bot.crash_at("before:done:book:cadastro", request, plan)
        (first,) = bot.outbox()
        key = read_eml(first.read_bytes())["X-RPA-Key"]

        bot.run(request, plan)

        assert bot.outbox() == [first]
        assert read_eml(first.read_bytes())["X-RPA-Key"] == key
        assert bot.journal.done_value(request.key, "book:cadastro") == str(first)

    def test_cortesia_book_once_with_the_os_number(self, bot: Bot):
        """R10: Cortesia = Sim -> "Cortesia" in Observações Atendimento and one Book to the courtesy
        department carrying the O.S. number, even across a crash right after it was written."""
        request, plan = sheet_ticket_request(Cortesia="Sim")
        bot.crash_at("before:done:book:cortesia", request, plan)

        results, sites = bot.run(request, plan)

        (order,) = bot.world.orders
        assert order.observacoes_atendimento == "Cortesia"
        (book,) = bot.outbox()
        msg = read_eml(book.read_bytes())
        assert msg["To"] == "cortesia@bematech.com.br" and order.number in msg["Subject"]
        assert order.number in msg.get_content()
        assert "Book de cortesia enviado" in results[2].message
        assert sites.steps("order_form") == []  # the O.S. itself was journaled before the crash


class TestFinishedRequestRerun:
    """A request that finished is left as it is when run again."""

    def test_rerun_changes_nothing(self, bot: Bot):
        """New ticket, O.S., note, reply, hold, all done: a second run makes only reads, the sites and
        the outbox are as they were, and the results are the same."""
        request, plan = new_ticket_request()
        first, _ = bot.run(request, plan)
        before, outbox = bot.world.snapshot(), [(p, p.read_bytes()) for p in bot.outbox()]

        again, sites = bot.run(request, plan)

        assert sites.changing_calls() == []
        assert bot.world.snapshot() == before
        assert [(p, p.read_bytes()) for p in bot.outbox()] == outbox
        assert [(r.status, r.os_number, r.ticket, r.ticket_status) for r in again.values()] == [
            (r.status, r.os_number, r.ticket, r.ticket_status) for r in first.values()]

    def test_pending_rerun_sends_no_second_book(self, bot: Bot):
        """CADASTRO_PENDENTE finished: a second run neither e-mails nor touches the ticket."""
        request, plan = new_ticket_request(**MOVED)
        first, _ = bot.run(request, plan)
        before, outbox = bot.world.snapshot(), [(p, p.read_bytes()) for p in bot.outbox()]

        again, sites = bot.run(request, plan)

        assert sites.changing_calls() == [] and bot.world.snapshot() == before
        assert ("order_form", "save") not in sites.steps()
        assert [(p, p.read_bytes()) for p in bot.outbox()] == outbox
        assert again[2].status == Outcome.CADASTRO_PENDENTE and again[2].deadline == first[2].deadline


# -- c. outcomes decided by what the sites answer -----------------------------------------------


class TestSiteAnswers:
    """What Zendesk and Workfinity answer decides some rows' outcomes."""

    def test_unknown_spreadsheet_ticket_makes_every_row_invalid(self, bot: Bot):
        """Ticket #99999 does not exist: every row DADOS_INVALIDOS naming the Ticket column; only
        the ticket was opened, nothing else was called."""
        request, plan = sheet_ticket_request(SERIAL_1, SERIAL_2, ticket=99999)
        before = bot.world.snapshot()
        results, sites = bot.run(request, plan)

        assert [(c.po, c.method, c.args) for c in sites.calls] == [("ticket", "open_ticket", (99999,))]
        assert bot.world.snapshot() == before
        assert set(results) == {2, 3}
        for result in results.values():
            assert result.status == Outcome.DADOS_INVALIDOS
            assert result.message.startswith("Linhas 2, 3, coluna Ticket: o ticket #99999 não existe no Zendesk")
            assert result.os_number == "" and result.ticket == ""
        assert bot.journal.effects(request.key) == {}

    def test_unregistered_cnpj_is_invalid_data_naming_it(self, bot: Bot):
        """The CNPJ has no customer in Workfinity: DADOS_INVALIDOS naming the CNPJ; no equipment
        lookup, no ticket created, no O.S."""
        del bot.world.customers["11222333000181"]
        request, plan = new_ticket_request()
        before = bot.world.snapshot()
        results, sites = bot.run(request, plan)

        assert results[2].status == Outcome.DADOS_INVALIDOS
        assert "coluna CNPJ" in results[2].message and "11.222.333/0001-81" in results[2].message
        assert "não está cadastrado no Workfinity" in results[2].message
        assert ("order_form", "lookup_equipment") not in sites.steps()
        # The new ticket was being filled meanwhile: never submitted, its requester never added.
        assert ("ticket", "submit_as") not in sites.steps() and ("ticket", "set_requester") not in sites.steps()
        assert [c for c in sites.changing_calls() if c.po != "ticket"] == []
        assert bot.world.snapshot() == before

    def test_unknown_serial_is_invalid_data_naming_it(self, bot: Bot):
        """The equipment lookup answers not found (knob): DADOS_INVALIDOS naming the serial, and
        the spreadsheet's ticket is not updated."""
        request, plan = sheet_ticket_request()
        results, sites = bot.run(request, plan, not_found={"order_form.lookup_equipment"})

        assert results[2].status == Outcome.DADOS_INVALIDOS
        assert "coluna Número de Série" in results[2].message and SERIAL_1 in results[2].message
        assert ("order_form", "save") not in sites.steps() and bot.world.orders == []
        assert bot.world.tickets[SHEET_TICKET].submitted == []

    def test_address_change_of_unauthorized_client_goes_to_the_registration_dept(self, bot: Bot):
        """R8: a different address for a client not on the list: no O.S., one Book to the
        registration department with both addresses, a deadline two business days away, the ticket
        told (note and reply with the date) and left Em espera."""
        request, plan = new_ticket_request(**MOVED)
        results, sites = bot.run(request, plan)

        result = results[2]
        assert result.status == Outcome.CADASTRO_PENDENTE
        assert result.deadline == DEADLINE and "04/03/2026" in result.message
        assert (result.os_number, result.ticket, result.ticket_status) == ("", str(FIRST_NEW_TICKET), "Em espera")

        assert ("order_form", "lookup_equipment") not in sites.steps()
        assert ("order_form", "save") not in sites.steps() and bot.world.orders == []
        assert bot.world.customers["11222333000181"].address == REGISTERED

        (book,) = bot.outbox()
        msg = read_eml(book.read_bytes())
        body = msg.get_content()
        assert msg["To"] == "cadastro@bematech.com.br" and msg["From"] == "robo@bematech.com.br"
        assert "Avenida Brigadeiro Faria Lima, 3477" in body and "Avenida Paulista, 1000" in body
        assert all(text in body for text in (PADARIA, PADARIA_CNPJ, "João Silva", SERIAL_1,
                                             "joao@paoquente.com.br", "(11) 3333-4444"))

        t = bot.world.tickets[FIRST_NEW_TICKET]
        assert t.submitted == ["open", "open", "hold"]
        note = t.internal_notes[-1]
        assert "04/03/2026" in note and "Book de alteração cadastral enviado ao Cadastro" in note
        assert "04/03/2026" in t.public_replies[0]
        assert (t.fields["1002"], t.fields["1003"], t.fields["1004"]) == ("Cadastro", "Alteração cadastral",
                                                                           SERIAL_1)
        assert bot.journal.done_value(request.key, "deadline") == DEADLINE.isoformat()

    def test_authorized_client_address_is_changed_on_the_form(self, bot: Bot):
        """R7(a): NEXTEL (authorized), same UF: the address is changed on the O.S. form before
        Salvar, the O.S. opened, the row says so."""
        bot.world.add_customer(NEXTEL_CNPJ, "NEXTEL TELECOMUNICAÇÕES LTDA", REGISTERED)
        request, plan = new_ticket_request(CNPJ=NEXTEL_CNPJ, **{"Razão Social": "NEXTEL TELECOMUNICAÇÕES LTDA"},
                                           **MOVED)
        results, sites = bot.run(request, plan)

        (order,) = bot.world.orders
        assert (order.address.cep, order.address.numero) == ("04538-132", "3477")
        steps = sites.steps("order_form")
        assert steps.index(("order_form", "change_address")) < steps.index(("order_form", "save"))
        assert results[2].status == Outcome.OK and "endereço atualizado no Workfinity" in results[2].message
        assert bot.outbox() == []


class TestMixedRequest:
    """One request, one equipment with an O.S. and one waiting for the registration department."""

    def test_both_outcomes_on_one_ticket(self, bot: Bot):
        """Row 2 gets its O.S., row 3 (address moved) is CADASTRO_PENDENTE: one ticket, one O.S., one
        Book, the note lists the Book and the deadline, the ticket ends Em espera."""
        request, plan = request_of(good_row(**{"Solicitação": "S-1", "Número de Série": SERIAL_1}),
                                   good_row(**{"Solicitação": "S-1", "Número de Série": SERIAL_2}, **MOVED))
        results, _ = bot.run(request, plan)

        (order,) = bot.world.orders
        assert order.serial == SERIAL_1 and order.pedido_de_venda == str(FIRST_NEW_TICKET)
        assert (results[2].status, results[2].os_number) == (Outcome.OK, order.number)
        assert (results[3].status, results[3].deadline) == (Outcome.CADASTRO_PENDENTE, DEADLINE)
        assert len(bot.outbox()) == 1
        t = bot.world.tickets[FIRST_NEW_TICKET]
        assert t.submitted == ["open", "open", "hold"] and t.fields["1004"] == order.number
        assert "Book de alteração cadastral enviado ao Cadastro" in t.internal_notes[-1]
        assert "04/03/2026" in t.internal_notes[-1] and "04/03/2026" in t.public_replies[0]

    def test_reply_names_only_the_equipment_that_got_an_os(self, bot: Bot):
        """The public reply must not tell the client an O.S. was opened for the pending equipment."""
        request, plan = request_of(good_row(**{"Solicitação": "S-1", "Número de Série": SERIAL_1}),
                                   good_row(**{"Solicitação": "S-1", "Número de Série": SERIAL_2}, **MOVED))
        bot.run(request, plan)

        reply = bot.world.tickets[FIRST_NEW_TICKET].public_replies[0]
        (opened_line,) = [line for line in reply.splitlines() if line.startswith("Abrimos")]
        assert SERIAL_1 in opened_line and SERIAL_2 not in opened_line
        (address_line,) = [line for line in reply.splitlines() if "alteração de endereço" in line]
        assert SERIAL_2 in address_line and SERIAL_1 not in address_line

    def test_note_names_the_pending_equipment_and_its_address(self, bot: Bot):
        """The internal note lists only the O.S. equipment as opened, and names the pending one with the
        address the client informed for it (not the first row's)."""
        request, plan = request_of(good_row(**{"Solicitação": "S-1", "Número de Série": SERIAL_1}),
                                   good_row(**{"Solicitação": "S-1", "Número de Série": SERIAL_2}, **MOVED))
        bot.run(request, plan)

        note = bot.world.tickets[FIRST_NEW_TICKET].internal_notes[-1]
        (equipment,) = [line for line in note.splitlines() if line.startswith("- Série")]
        assert SERIAL_1 in equipment
        (waiting,) = [line for line in note.splitlines() if line.startswith("Sem O.S.")]
        assert SERIAL_2 in waiting
        assert "Avenida Brigadeiro Faria Lima, 3477" in note
