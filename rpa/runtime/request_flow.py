"""One client request carried through Workfinity and Zendesk, exactly as the procedure says.

Every step is idempotent: before a side effect the journal records an ``intent``; after it,
``done`` with what the site answered. On a retry or a rerun a finished step is skipped and
an unfinished one is first reconciled against the site (O.S. by Pedido de Venda + serial,
ticket by the marker the bot writes into it, notes by their text, status by the badge).

Two lanes, driven at once (``rpa.runtime.lanes``), meeting at signals:

    rows the rules decided up front keep that outcome (``Plan.outcomes``)
    Zendesk lane                                   Workfinity lane
    a ticket given in the spreadsheet must exist   per equipment: reuse the O.S. found by Pedido
      (else every row is DADOS_INVALIDOS)  ------>   de Venda + serial, else open a new O.S. form:
    no ticket yet: fill a new one (fields, note)     Grupo Serviço, customer (CNPJ), address (R7),
      ... until a row needs it  <-----------------   equipment, warranty (R9)
      requester, submit (once: found again by its   fill the form (R3-R7, R10, R14) meanwhile
      marker after a crash)  -------------------->  Pedido de Venda = the ticket's number, save,
    choose the update's fields (R15)                 read the O.S. number back
    Book e-mails (R8, R10) -> R8 deadline  <------   every O.S. number
    -> fields + internal note (R1, R12) -> Aberto -> public reply (R11 / R8) -> Em espera (R2, R16),
       each submit verified on the badge
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from pages.workfinity.models import SiteAddress
from pages.zendesk import STATUS_LABELS, TicketStatus
from rpa.errors import NotFoundOnSite, VerificationFailed
from rpa.io.journal_store import JournalStore
from rpa.io.mailer import Mailer
from rpa.io.spreadsheet_out import RowResult
from rpa.outcomes import Outcome
from rpa.procedure import messages, rules, templates
from rpa.procedure.books import book_cadastro, book_cortesia
from rpa.procedure.deadline import return_deadline
from rpa.procedure.requests import Request, request_marker
from rpa.procedure.rows import Address, Row
from rpa.procedure.rules import AddressDecision, Plan, PlannedRow
from rpa.runtime.lanes import Lanes
from rpa.runtime.row_results import decided_results
from rpa.runtime.scrubbing import scrub_email
from rpa.runtime.sites import Sites
from rpa.settings import Settings


def registered_address(site: SiteAddress) -> Address:
    return Address(cep=site.cep, logradouro=site.logradouro, numero=site.numero, complemento=site.complemento,
                   bairro=site.bairro, cidade=site.cidade, uf=site.uf)


def site_address(informed: Address, registered: Address) -> SiteAddress:
    """The address to type: what the client informed, the registered value where a field is blank."""
    pick = lambda name: getattr(informed, name) or getattr(registered, name)  # noqa: E731
    return SiteAddress(cep=pick("cep"), logradouro=pick("logradouro"), numero=pick("numero"),
                       complemento=informed.complemento, bairro=pick("bairro"), cidade=pick("cidade"),
                       uf=pick("uf"))


class Decision(StrEnum):
    """What one equipment row comes to once Workfinity has answered."""

    OPEN = "open"          # its O.S. is (or will be, once the ticket exists) open
    PENDING = "pending"    # address change for the registration department (R8)
    OUTCOME = "outcome"    # a final outcome without O.S. (code and message)


@dataclass
class RowDecision:
    """What the sites told us about one equipment row."""

    kind: Decision
    os_number: str | None = None
    reused: bool = False
    code: Outcome | None = None    # kind "outcome" only
    message: str = ""
    registered: Address | None = None
    observacoes: str = ""
    address_changed: bool = False
    address: AddressDecision = AddressDecision.SAME  # R7
    live: bool = False             # its O.S. form is still open in the Workfinity tab
    filled: bool = False           # ... with every field but Pedido de Venda filled in


class _TicketMissing(Exception):
    """The spreadsheet's ticket does not exist in Zendesk (the Workfinity lane stops before filling)."""


@dataclass
class RequestFlow:
    request: Request
    plan: Plan
    journal: JournalStore
    sites: Sites
    mailer: Mailer
    settings: Settings
    now: Callable[[], dt.datetime] = dt.datetime.now
    lanes: Lanes = field(default_factory=Lanes)  # the two sites at once (rpa.runtime.lanes), or in turns
    books: list[str] = field(default_factory=list)
    _live: RowDecision | None = None   # the row whose O.S. form is open in the Workfinity tab

    @property
    def key(self) -> str:
        return self.request.key

    # -- entry point --------------------------------------------------------------------

    def run(self) -> dict[int, RowResult]:
        stamp = self.now().replace(microsecond=0)
        results = decided_results(self.plan, stamp)
        if not self.plan.rows:
            return results
        known = self.request.ticket or self.journal.done_value(self.key, "ticket")
        created_ticket = not self.request.ticket
        lanes = self.lanes
        # Where the lanes meet: the ticket's number (the spreadsheet's once it is known to
        # exist), the first row that needs a ticket (None: no row does), every row's decision
        # once each O.S. is saved.
        self._ticket = lanes.signal("ticket")
        self._needed = lanes.signal("needed")
        self._saved = lanes.signal("saved")
        self._missing = ""
        self._deadline: dt.date | None = None
        if known and not (self.request.ticket and self.journal.done_value(self.key, "zendesk:hold") is None):
            self._ticket.set(known)
        # Zendesk's lane starts first: with the lanes in turns, the spreadsheet's ticket is
        # opened before anything in Workfinity, as a person would.
        status, decisions = lanes.run(self.zendesk_lane, lambda: self.workfinity_lane(known))
        if self._missing:
            for p in self.plan.rows:
                results[p.row.row_number] = RowResult(status=Outcome.DADOS_INVALIDOS, message=self._missing,
                                                      processed_at=stamp)
            return results
        ticket = self._ticket.peek() or ""
        for p in self.plan.rows:
            d = decisions[p.row.row_number]
            results[p.row.row_number] = self.row_result(p.row, d, ticket if created_ticket else "",
                                                        STATUS_LABELS.get(status, status)
                                                        if d.kind != Decision.OUTCOME else "",
                                                        self._deadline if d.kind == Decision.PENDING else None)
        return results

    # -- Workfinity ---------------------------------------------------------------------

    def workfinity_lane(self, known: str | None) -> dict[int, RowDecision]:
        """Decide every row against Workfinity and save each O.S. once the ticket's number is known."""
        decisions: dict[int, RowDecision] = {}
        try:
            for p in self.plan.rows:
                if self._missing:  # Zendesk answered first: nothing more to look up
                    return {}
                decisions[p.row.row_number] = self.handle_row(p, known)
            if not known and any(d.kind == Decision.OPEN for d in decisions.values()):
                # The ticket did not exist when this attempt began, so no O.S. carries its number
                # yet: no search needed, and the last form assessed is still open, ready to fill.
                ticket = self._ticket.wait()
                for p in self.plan.rows:
                    if decisions[p.row.row_number].kind == Decision.OPEN:
                        decisions[p.row.row_number] = self.handle_row(p, ticket,
                                                                      assessed=decisions[p.row.row_number])
        except _TicketMissing:
            return {}
        self._needed.set(None)  # no row needs a ticket (nothing changes when one did)
        self._saved.set(decisions)
        return decisions

    def _decided(self, planned: PlannedRow, decision: RowDecision) -> RowDecision:
        """Tell the Zendesk lane as soon as a row needs the ticket (an O.S. or an address change)."""
        if decision.kind in (Decision.OPEN, Decision.PENDING):
            self._needed.set((planned.row, decision.kind))
        return decision

    def handle_row(self, planned: PlannedRow, ticket: str | None,
                   assessed: RowDecision | None = None) -> RowDecision:
        """Decide one equipment row against Workfinity and, once the ticket exists, open its O.S.

        ``ticket``: the number an O.S. of this request may carry (the spreadsheet's is filled in
        only once Zendesk showed it exists); ``assessed``: the decision of a first pass made
        before the ticket existed."""
        row = planned.row
        effect = f"os:{row.serial}"
        number = self.journal.done_value(self.key, effect)
        if number:
            return self._decided(planned, RowDecision(Decision.OPEN, os_number=number, reused=True))
        if ticket and assessed is None:
            found = self.sites.order_list.search(pedido_de_venda=ticket, serial=row.serial)
            if found:
                self.journal.done(self.key, effect, found[0].number)
                return self._decided(planned, RowDecision(Decision.OPEN, os_number=found[0].number, reused=True))

        form = self.sites.order_form
        if assessed is not None and assessed.live:
            decision, registered, observacoes = assessed.address, assessed.registered, assessed.observacoes
        else:
            first = self._decided(planned, self.assess(planned))
            if first.kind != Decision.OPEN:
                return first
            decision, registered, observacoes = first.address, first.registered, first.observacoes
        if not (assessed is not None and assessed.live and assessed.filled):
            # Every field but Pedido de Venda now: while the ticket is being created or checked.
            self.fill_order(planned, decision, registered, observacoes)
        if not ticket:
            self._live = RowDecision(Decision.OPEN, registered=registered, observacoes=observacoes, address=decision,
                                     live=True, filled=True)
            return self._live
        ticket = self._ticket.wait()  # the spreadsheet's ticket: once Zendesk showed it exists
        form.set_pedido_de_venda(ticket)
        self.journal.intent(self.key, effect, {"pedido_de_venda": ticket})
        number = form.save()
        if not number or not str(number).strip():
            raise VerificationFailed("Workfinity não mostrou o número da O.S. após Salvar")
        self.journal.done(self.key, effect, number)
        return RowDecision(Decision.OPEN, os_number=number, observacoes=observacoes,
                           address_changed=decision == AddressDecision.EDIT)

    def fill_order(self, planned: PlannedRow, decision: AddressDecision, registered: Address | None,
                   observacoes: str) -> None:
        """Every field of the open O.S. form but Pedido de Venda (R3-R7, R10, R14)."""
        row, form = planned.row, self.sites.order_form
        if decision == AddressDecision.EDIT:
            assert registered is not None  # R7 decided to edit after reading the registered address
            form.change_address(site_address(row.address, registered))
        form.set_service(planned.service)  # the group was chosen by assess(), on this same form
        if planned.numero_referencia:
            form.set_numero_referencia(planned.numero_referencia)
        if observacoes:
            form.set_observacoes_atendimento(observacoes)
        form.set_notes(row.defeito)

    def assess(self, planned: PlannedRow) -> RowDecision:
        """Open a new O.S. form, choose Grupo Serviço, pick the customer, compare the address (R7),
        look the equipment up and check the warranty (R9); the form is left open for filling."""
        row = planned.row
        form = self.sites.order_form
        if self._live is not None:
            self._live.live = False  # its form is about to be replaced
            self._live = None
        form.open_new_order()
        # Grupo Serviço first: the site loads its Serviço list (AJAX) while the customer and the
        # equipment are being looked up, instead of after them.
        form.set_group(planned.group)
        try:
            customer = form.pick_customer(row.cnpj_masked)
        except NotFoundOnSite:
            return RowDecision(Decision.OUTCOME, code=Outcome.DADOS_INVALIDOS,
                               message=messages.cnpj_not_registered(row))
        registered = registered_address(customer.address)
        decision = rules.address_decision(row, registered, self.plan.catalogs)
        if decision == AddressDecision.OTHER_UF:
            return RowDecision(Decision.OUTCOME, code=Outcome.DADOS_INVALIDOS,
                               message=rules.other_uf_message(registered.uf, row.address.uf))
        if decision == AddressDecision.BOOK:
            return RowDecision(Decision.PENDING, registered=registered)
        try:
            equipment = form.lookup_equipment(row.serial)
        except NotFoundOnSite:
            return RowDecision(Decision.OUTCOME, code=Outcome.DADOS_INVALIDOS,
                               message=messages.equipment_not_found(row))
        observacoes = planned.observacoes_atendimento
        if row.gera_orcamento:
            expired = rules.warranty_check(row, equipment.warranty_end, self.now().date())
            if expired:
                return RowDecision(Decision.OUTCOME, code=expired[0], message=expired[1])
            if equipment.warranty_end and equipment.warranty_end >= self.now().date():
                observacoes = "; ".join(filter(None, [observacoes, rules.warranty_note(equipment.warranty_end)]))
        return RowDecision(Decision.OPEN, registered=registered, observacoes=observacoes, address=decision)

    # -- Zendesk ------------------------------------------------------------------------

    def zendesk_lane(self) -> str:
        """Check or create the ticket, fill it while Workfinity saves, then update it.
        Returns the ticket's final status ("" when no row needed the ticket)."""
        if self.request.ticket and not self._ticket.is_set:
            missing = self.check_ticket_exists(self.request.ticket)
            if missing:
                self._missing = missing
                self._ticket.fail(_TicketMissing(missing))
                return ""
            self._ticket.set(self.request.ticket)
        elif not self._ticket.is_set and not self.create_ticket():
            return ""
        first = self._needed.wait()
        if first is None:
            return ""
        ticket = str(self._ticket.wait())
        if self.journal.effect(self.key, "zendesk:open") is None:
            self.prefill_ticket(ticket, *first)
        decisions: dict[int, RowDecision] = self._saved.wait()
        self.send_books(decisions, ticket)
        if any(d.kind == Decision.PENDING for d in decisions.values()):
            self._deadline = self.deadline()
        return self.update_ticket(ticket, decisions, self._deadline, created=not self.request.ticket)

    def check_ticket_exists(self, ticket: str) -> str:
        """Open the spreadsheet's ticket before any O.S. is filled: a number that does not exist
        in Zendesk is the operator's to fix (no O.S. is opened for it). Returns the pt-BR
        message for such a ticket, "" when it exists (and is then the open pane)."""
        try:
            self.sites.ticket.open_ticket(int(ticket))
        except NotFoundOnSite:
            return messages.ticket_not_found([p.row.row_number for p in self.plan.rows], ticket)
        return ""

    def create_ticket(self) -> str | None:
        """Create the ticket once; after a crash, find it by its marker instead of creating another.

        The new ticket's fields and creation note are filled while Workfinity decides the rows;
        the requester (who may be added to Zendesk as a user) and the submit wait until a row
        needs the ticket. None: no row does, nothing was submitted."""
        marker = request_marker(self.request)
        if self.journal.effect(self.key, "ticket"):  # an earlier attempt may have created it unrecorded
            ids = self.sites.search.search(marker)
            if ids:
                self.journal.done(self.key, "ticket", str(min(ids)))
                self._ticket.set(str(min(ids)))
                return str(min(ids))
        row = self.request.rows[0]
        fields = rules.zendesk_fields(Outcome.OK, row, self.plan.catalogs)
        tp = self.sites.ticket
        tp.open_new_ticket()
        self._set_fields(fields, subject=True, update=False)
        tp.add_comment(templates.creation_note(row, marker, self.plan.catalogs), internal=True)
        if self._needed.wait() is None:
            return None
        tp.set_requester(row.email, row.nome_cliente)
        self.journal.intent(self.key, "ticket", marker)
        ticket_id = tp.submit_as(TicketStatus.OPEN)
        self.journal.done(self.key, "ticket", str(ticket_id))
        self._ticket.set(str(ticket_id))
        return str(ticket_id)

    def prefill_ticket(self, ticket: str, row: Row, kind: Decision) -> None:
        """While Workfinity saves: the update's fields as the first row that needs the ticket
        decides them. ``update_ticket`` sets every field again from every row's decision, so a
        guess that turns out wrong costs one more choice, never a wrong field."""
        tp = self.sites.ticket
        if tp.ticket_id() != int(ticket):
            tp.open_ticket(int(ticket))
        code = Outcome.OK if kind == Decision.OPEN else Outcome.CADASTRO_PENDENTE
        fields = rules.zendesk_fields(code, row, self.plan.catalogs)
        self._set_fields(fields, subject=not self.request.ticket or bool(row.assunto))

    def _set_fields(self, fields: dict[str, str], *, subject: bool, update: bool = True) -> None:
        """The R15 fields (creation: Marca, Formulário, Tipo, Família; update: also Categoria, Motivo)."""
        tp = self.sites.ticket
        tp.stay_on_ticket_after_submit()
        if subject:
            tp.set_subject(fields["subject"])
        tp.set_brand(fields["brand"])
        tp.set_form(fields["form"])
        tp.set_type(fields["type"])
        tp.set_custom_dropdown(1001, fields["familia"])
        if update:
            tp.set_custom_dropdown(1002, fields["categoria"])
            tp.set_custom_dropdown(1003, fields["motivo"])

    def update_ticket(self, ticket: str, decisions: dict[int, RowDecision], deadline: dt.date | None,
                      *, created: bool) -> str:
        """R15 fields + internal note -> Aberto; public reply -> Em espera. Returns the final status."""
        opened = [d.os_number for d in decisions.values() if d.kind == Decision.OPEN and d.os_number]
        kinds = {p.row.row_number: decisions[p.row.row_number].kind for p in self.plan.rows}
        pending = [p.row for p in self.plan.rows if kinds[p.row.row_number] == Decision.PENDING]
        # The texts of an OK ticket name only the equipment that got an O.S.; the ones waiting
        # for the registration department (R8) are named as such.
        rows = [p.row for p in self.plan.rows if kinds[p.row.row_number] == Decision.OPEN] or pending
        code = Outcome.OK if opened else Outcome.CADASTRO_PENDENTE
        waiting = pending if code == Outcome.OK else []
        fields = rules.zendesk_fields(code, rows[0], self.plan.catalogs)
        marker = request_marker(self.request)
        note = templates.internal_note(rows, code=code, os_numbers=opened, deadline=deadline,
                                       books=self.books, catalogs=self.plan.catalogs, marker=marker,
                                       pending=waiting)
        reply = (templates.public_reply(rows, code=code, os_numbers=opened, deadline=deadline,
                                         catalogs=self.plan.catalogs, pending=waiting)
                 if self.settings.public_reply or code == Outcome.CADASTRO_PENDENTE else "")
        tp = self.sites.ticket

        if self.journal.done_value(self.key, "zendesk:open") is None:
            if tp.ticket_id() != int(ticket):  # a ticket created in this attempt is still open
                tp.open_ticket(int(ticket))
            already = self.journal.effect(self.key, "zendesk:open") and self._has_comment(note)
            if not already:
                self.journal.intent(self.key, "zendesk:open")
                self._set_fields(fields, subject=created or bool(rows[0].assunto))
                tp.set_custom_text(1004, ", ".join(opened) if opened else ", ".join(r.serial for r in rows))
                tp.add_comment(note, internal=True)
                tp.submit_as(TicketStatus.OPEN)
            self.journal.done(self.key, "zendesk:open", TicketStatus.OPEN.value)

        if self.journal.done_value(self.key, "zendesk:hold") is None:
            if tp.ticket_id() != int(ticket):  # after "Permanecer no ticket" the pane is still open
                tp.open_ticket(int(ticket))
            already = (self.journal.effect(self.key, "zendesk:hold") and tp.read_status() == TicketStatus.HOLD
                       and (not reply or self._has_comment(reply)))
            if not already:
                self.journal.intent(self.key, "zendesk:hold")
                tp.stay_on_ticket_after_submit()
                if reply:
                    tp.add_comment(reply, internal=False)
                tp.submit_as(TicketStatus.HOLD)
            self.journal.done(self.key, "zendesk:hold", TicketStatus.HOLD.value)
        return TicketStatus.HOLD

    def _has_comment(self, body: str) -> bool:
        wanted = " ".join(body.split())
        return any(" ".join(c.body.split()) == wanted for c in self.sites.ticket.read_comments())

    # -- Book e-mails -------------------------------------------------------------------

    def deadline(self) -> dt.date:
        """R8 deadline, fixed once per request so a retry writes the same date everywhere."""
        recorded = self.journal.done_value(self.key, "deadline")
        if recorded:
            return dt.date.fromisoformat(recorded)
        uf = self.request.rows[0].address.uf if self.settings.state_holidays else None
        value = return_deadline(self.now(), business_days=self.settings.business_days, uf=uf or None,
                                mode=self.settings.deadline_mode)
        self.journal.done(self.key, "deadline", value.isoformat())
        return value

    def send_books(self, decisions: dict[int, RowDecision], ticket: str) -> None:
        pending = [p.row for p in self.plan.rows if decisions[p.row.row_number].kind == Decision.PENDING]
        if pending:
            first = pending[0]
            registered = decisions[first.row_number].registered or Address()
            # One Book per request: the department gets one address change, with every serial.
            row = first.model_copy(update={"serial": ", ".join(r.serial for r in pending)})
            self._send_once("book:cadastro", lambda: book_cadastro(
                row, registered, to=self.settings.book_to_cadastro, sender=self.settings.smtp_from,
                catalogs=self.plan.catalogs),
                "Book de alteração cadastral enviado ao Cadastro")
        for p in self.plan.rows:
            d = decisions[p.row.row_number]
            if d.kind == Decision.OPEN and p.row.cortesia and d.os_number:
                self._send_once(f"book:cortesia:{p.row.serial}", lambda p=p, d=d: book_cortesia(
                    p.row, d.os_number, ticket, to=self.settings.book_to_cortesia, sender=self.settings.smtp_from,
                    catalogs=self.plan.catalogs),
                    f"Book de cortesia enviado (O.S. {d.os_number})")

    def _send_once(self, effect: str, build, label: str) -> None:
        if self.journal.done_value(self.key, effect) is None:
            msg = scrub_email(build())
            msg["X-RPA-Key"] = f"{request_marker(self.request)}-{effect}"
            self.journal.intent(self.key, effect)
            where = self.mailer.send(msg)
            self.journal.done(self.key, effect, where)
        self.books.append(label)

    # -- results ------------------------------------------------------------------------

    def row_result(self, row: Row, d: RowDecision, created_ticket: str, status_label: str,
                   deadline: dt.date | None) -> RowResult:
        stamp = self.now().replace(microsecond=0)
        if d.kind == Decision.OUTCOME:
            assert d.code is not None
            return RowResult(status=d.code, message=d.message, processed_at=stamp)
        if d.kind == Decision.PENDING:
            assert deadline is not None  # a pending row always gets the R8 deadline
            return RowResult(status=Outcome.CADASTRO_PENDENTE, ticket=created_ticket, ticket_status=status_label,
                             deadline=deadline, processed_at=stamp, message=messages.pending_registration(deadline))
        message = messages.order_opened(d.os_number or "", reused=d.reused, address_changed=d.address_changed,
                                        cortesia=row.cortesia, status_label=status_label)
        return RowResult(status=Outcome.OK, os_number=d.os_number or "", ticket=created_ticket,
                         ticket_status=status_label, processed_at=stamp, message=message)
