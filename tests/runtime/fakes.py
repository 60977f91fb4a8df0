"""In-memory stand-ins for the page objects ``RequestFlow`` drives (no browser, no network).

A ``World`` holds what both sites know: Workfinity customers (by CNPJ, with the registered
address), equipment (by serial, with the warranty end), saved O.S.; Zendesk tickets (fields,
comments, status and every status submitted). It outlives an attempt, as the real sites do.

A ``FakeSites`` is one attempt's pair of browser tabs over that world (the runner builds a new
``Sites`` per attempt): ``order_list``, ``order_form``, ``ticket``, ``search``, with exactly the
methods, signatures and return types of the real page objects that ``RequestFlow`` calls. Every
call is recorded, in order, as ``Call(po, method, args, kwargs)`` in ``FakeSites.calls``.

Knobs:
- a lookup answers "not found" (``NotFoundOnSite``, as the real page objects raise) when the
  world lacks the customer / equipment / ticket, or when ``"<po>.<method>"`` is in
  ``FakeSites.not_found``;
- ``FakeSites.fail_at(po, method, nth)`` raises ``SimulatedCrash`` when that call is reached
  for the nth time, *before* it has any effect (a browser that died mid-step).

Misuse the real sites would refuse is refused here too (typing into a form that was never
opened, saving an O.S. without customer/equipment/Serviço/Pedido de Venda, submitting a new
ticket without requester), so a flow that skips a step fails its test.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pages.workfinity.models import CustomerInfo, EquipmentInfo, OrderSummary, SiteAddress
from pages.zendesk.ticket import Comment
from rpa.errors import NotFoundOnSite, UnexpectedPage, ValidationRejected
from rpa.procedure.cnpj import clean as cnpj_clean
from rpa.procedure.cnpj import mask as cnpj_mask

SUBMITTABLE = ("new", "open", "pending", "hold", "solved")

# Calls that change nothing on a site: reads, moving between screens, and the steps of a new
# O.S. form that is not saved (Workfinity keeps nothing of a form until "Salvar").
READ_ONLY = frozenset({
    ("order_list", "search"), ("search", "search"),
    ("order_form", "open_new_order"), ("order_form", "set_group"), ("order_form", "pick_customer"),
    ("order_form", "read_customer"), ("order_form", "lookup_equipment"),
    ("ticket", "open_ticket"), ("ticket", "ticket_id"), ("ticket", "read_status"),
    ("ticket", "read_fields"), ("ticket", "read_comments"),
})


class SimulatedCrash(Exception):
    """The bot died here (a killed process, a closed browser): nothing after it happened."""


class Call(NamedTuple):
    po: str          # "order_list" | "order_form" | "ticket" | "search"
    method: str
    args: tuple
    kwargs: dict


# -- the world -------------------------------------------------------------------------------


@dataclass
class SavedOrder:
    number: str
    pedido_de_venda: str
    serial: str
    cnpj: str                                  # masked, as the list shows it
    cliente: str
    group: str
    service: str
    numero_referencia: str
    observacoes_atendimento: str
    notes: str
    address: SiteAddress                       # the customer's address when saved


@dataclass
class FakeTicket:
    id: int
    requester: tuple[str, str]                 # (e-mail, name)
    fields: dict[str, str] = field(default_factory=dict)   # subject, brand, form, type, "1001"...
    comments: list[Comment] = field(default_factory=list)
    status: str = "new"
    submitted: list[str] = field(default_factory=list)     # every status submitted, in order

    @property
    def internal_notes(self) -> list[str]:
        return [c.body for c in self.comments if not c.public]

    @property
    def public_replies(self) -> list[str]:
        return [c.body for c in self.comments if c.public]


@dataclass
class World:
    customers: dict[str, CustomerInfo] = field(default_factory=dict)   # clean CNPJ -> customer
    equipment: dict[str, EquipmentInfo] = field(default_factory=dict)  # serial -> equipment
    orders: list[SavedOrder] = field(default_factory=list)
    tickets: dict[int, FakeTicket] = field(default_factory=dict)
    next_order: int = 2026000101
    next_ticket: int = 41050

    def add_customer(self, cnpj: str, razao_social: str, address: SiteAddress, *,
                     email: str = "contato@cliente.com.br", telefone: str = "(11) 3333-4444") -> CustomerInfo:
        info = CustomerInfo(document=cnpj_mask(cnpj), razao_social=razao_social, nome_fantasia=razao_social,
                            contato="Contato", email=email, telefone=telefone, address=address)
        self.customers[cnpj_clean(cnpj)] = info
        return info

    def add_equipment(self, serial: str, warranty_end: dt.date | None = None,
                      model: str = "MP-4200 TH") -> EquipmentInfo:
        info = EquipmentInfo(serial=serial, model=model, warranty_end=warranty_end)
        self.equipment[serial.upper()] = info
        return info

    def add_ticket(self, ticket_id: int, *, requester: tuple[str, str] = ("cliente@x.com.br", "Cliente"),
                   subject: str = "Impressora com defeito", status: str = "new") -> FakeTicket:
        ticket = FakeTicket(id=ticket_id, requester=requester, fields={"subject": subject}, status=status)
        self.tickets[ticket_id] = ticket
        return ticket

    def add_order(self, *, pedido_de_venda: str, serial: str, cnpj: str, cliente: str = "") -> SavedOrder:
        """An O.S. already on the site (opened by a person, or by an attempt that died)."""
        order = SavedOrder(number=str(self.next_order), pedido_de_venda=pedido_de_venda, serial=serial,
                           cnpj=cnpj_mask(cnpj), cliente=cliente, group="", service="", numero_referencia="",
                           observacoes_atendimento="", notes="",
                           address=SiteAddress("", "", "", "", "", "", ""))
        self.next_order += 1
        self.orders.append(order)
        return order

    def orders_for(self, serial: str) -> list[SavedOrder]:
        return [o for o in self.orders if o.serial == serial]

    def snapshot(self) -> tuple:
        """Everything a site call could have changed, to compare before/after."""
        return copy.deepcopy((self.customers, self.orders, self.tickets))


# -- recording -------------------------------------------------------------------------------


def recorded(method):
    """Record the call on the sites, then fail it if a knob says so, then run it."""

    @functools.wraps(method)
    def wrapper(self: _FakePage, *args: Any, **kwargs: Any) -> Any:
        self.sites.enter(self.po, method.__name__, args, kwargs)
        return method(self, *args, **kwargs)

    return wrapper


class _FakePage:
    po = ""

    def __init__(self, sites: FakeSites) -> None:
        self.sites = sites
        self.world = sites.world

    def _forced(self, method: str) -> bool:
        return f"{self.po}.{method}" in self.sites.not_found


# -- Workfinity ------------------------------------------------------------------------------


class FakeOrderList(_FakePage):
    """``OrderListPage``: search the saved O.S., exact matches only."""

    po = "order_list"

    @recorded
    def search(self, *, number: str | None = None, pedido_de_venda: str | None = None,
               serial: str | None = None, cnpj: str | None = None) -> list[OrderSummary]:
        def same(a: str, b: str | None, norm=lambda s: s.strip().upper()) -> bool:
            return not b or not b.strip() or norm(a) == norm(b)

        return [OrderSummary(number=o.number, pedido_de_venda=o.pedido_de_venda, serial=o.serial,
                             cliente=o.cliente, cnpj=o.cnpj, status="Aberta", opened_at="", edit_url="")
                for o in self.world.orders
                if same(o.number, number) and same(o.pedido_de_venda, pedido_de_venda)
                and same(o.serial, serial) and same(o.cnpj, cnpj, norm=cnpj_clean)]


class FakeOrderForm(_FakePage):
    """``OrderFormPage``: one new-O.S. form at a time (the Workfinity tab)."""

    po = "order_form"

    def __init__(self, sites: FakeSites) -> None:
        super().__init__(sites)
        self.form: dict[str, Any] | None = None   # the open form's values; None: no form open
        self.forms_opened = 0

    def _open_form(self) -> dict[str, Any]:
        if self.form is None:
            raise UnexpectedPage("nenhum formulário de O.S. aberto")
        return self.form

    @recorded
    def open_new_order(self) -> None:
        self.forms_opened += 1
        self.form = {"id": self.forms_opened}

    @recorded
    def pick_customer(self, cnpj: str) -> CustomerInfo:
        form = self._open_form()
        info = self.world.customers.get(cnpj_clean(cnpj))
        if info is None or self._forced("pick_customer"):
            raise NotFoundOnSite(f"Cliente com CNPJ {cnpj} não encontrado no Workfinity.")
        form["customer"] = info
        form["address"] = info.address
        return info

    @recorded
    def read_customer(self) -> CustomerInfo:
        return self._open_form()["customer"]

    @recorded
    def change_address(self, address: SiteAddress) -> None:
        form = self._open_form()
        if "customer" not in form:
            raise UnexpectedPage("Alterar endereço sem cliente escolhido")
        form["address"] = address

    @recorded
    def lookup_equipment(self, serial: str) -> EquipmentInfo:
        form = self._open_form()
        info = self.world.equipment.get(serial.strip().upper())
        if info is None or self._forced("lookup_equipment"):
            raise NotFoundOnSite(f"Equipamento {serial} não encontrado no Workfinity.")
        form["serial"] = info.serial
        return info

    @recorded
    def set_group(self, group: str) -> None:
        form = self._open_form()
        form["group"] = group
        form.pop("service", None)  # the site reloads the Serviço list for the group

    @recorded
    def set_service(self, service: str) -> None:
        form = self._open_form()
        if "group" not in form:
            raise NotFoundOnSite(f"Serviço '{service}' não existe no Workfinity (sem Grupo Serviço).")
        form["service"] = service

    @recorded
    def set_pedido_de_venda(self, value: str) -> None:
        self._open_form()["pedido_de_venda"] = value

    @recorded
    def set_numero_referencia(self, value: str) -> None:
        self._open_form()["numero_referencia"] = value

    @recorded
    def set_observacoes_atendimento(self, value: str) -> None:
        self._open_form()["observacoes_atendimento"] = value

    @recorded
    def set_notes(self, value: str) -> None:
        self._open_form()["notes"] = value

    @recorded
    def save(self) -> str:
        form = self._open_form()
        missing = [name for name in ("customer", "serial", "group", "service", "pedido_de_venda")
                   if not form.get(name)]
        if missing:
            raise ValidationRejected(f"O Workfinity recusou a O.S.: faltam {missing}", errors=missing)
        customer: CustomerInfo = form["customer"]
        order = SavedOrder(number=str(self.world.next_order), pedido_de_venda=form["pedido_de_venda"],
                           serial=form["serial"], cnpj=customer.document, cliente=customer.razao_social,
                           group=form["group"], service=form["service"],
                           numero_referencia=form.get("numero_referencia", ""),
                           observacoes_atendimento=form.get("observacoes_atendimento", ""),
                           notes=form.get("notes", ""), address=form["address"])
        self.world.next_order += 1
        self.world.orders.append(order)
        if form["address"] != customer.address:  # "Alterar endereço" updates the registration
            self.world.customers[cnpj_clean(customer.document)] = dataclasses.replace(
                customer, address=form["address"])
        self.form = None  # the page now shows the saved O.S.
        return order.number


# -- Zendesk ---------------------------------------------------------------------------------


class FakeTicketPage(_FakePage):
    """``TicketPage``: one active pane (a saved ticket, a new-ticket draft, or none)."""

    po = "ticket"
    NEW = -1  # the pane of an unsaved new ticket

    def __init__(self, sites: FakeSites) -> None:
        super().__init__(sites)
        self.pane: int | None = None
        self.draft: dict[str, Any] = {}
        self.stay = False          # after-submit action "Permanecer no ticket"

    def _pane(self) -> int:
        if self.pane is None:
            raise UnexpectedPage("nenhum ticket aberto no Zendesk")
        return self.pane

    def _ticket(self) -> FakeTicket:
        pane = self._pane()
        if pane == self.NEW:
            raise UnexpectedPage("o ticket novo ainda não foi salvo")
        return self.world.tickets[pane]

    @recorded
    def open_new_ticket(self) -> None:
        self.pane, self.draft = self.NEW, {"fields": {}}

    @recorded
    def open_ticket(self, ticket_id: int) -> None:
        if ticket_id not in self.world.tickets or self._forced("open_ticket"):
            self.pane = None
            raise NotFoundOnSite(f"O ticket #{ticket_id} não existe no Zendesk")
        self.pane, self.draft = ticket_id, {"fields": {}}

    @recorded
    def ticket_id(self) -> int | None:
        return None if self.pane in (None, self.NEW) else self.pane

    @recorded
    def set_requester(self, email: str, name: str) -> None:
        self._pane()
        self.draft["requester"] = (email, name)

    def _set(self, key: str, value: str) -> None:
        self._pane()
        self.draft["fields"][key] = value

    @recorded
    def set_subject(self, text: str) -> None:
        self._set("subject", text)

    @recorded
    def set_brand(self, name: str) -> None:
        self._set("brand", name)

    @recorded
    def set_form(self, name: str) -> None:
        self._set("form", name)

    @recorded
    def set_type(self, name: str) -> None:
        self._set("type", name)

    @recorded
    def set_custom_dropdown(self, field_id: int, option: str) -> None:
        self._set(str(field_id), option)

    @recorded
    def set_custom_text(self, field_id: int, text: str) -> None:
        self._set(str(field_id), text)

    @recorded
    def add_comment(self, text: str, *, internal: bool) -> None:
        self._pane()
        self.draft["comment"] = Comment(public=not internal, body=text)  # replaces an unsent draft

    @recorded
    def stay_on_ticket_after_submit(self) -> None:
        self._pane()
        self.stay = True

    @recorded
    def submit_as(self, status: str) -> int:
        if status not in SUBMITTABLE:
            raise ValueError(f"status não enviável: {status!r}")
        pane = self._pane()
        if pane == self.NEW:
            requester = self.draft.get("requester")
            if not requester or not self.draft["fields"].get("subject"):
                raise ValidationRejected("Solicitante e Assunto são obrigatórios", errors=["requester", "subject"])
            ticket = FakeTicket(id=self.world.next_ticket, requester=requester)
            self.world.next_ticket += 1
            self.world.tickets[ticket.id] = ticket
        else:
            ticket = self.world.tickets[pane]
        ticket.fields.update(self.draft["fields"])
        if "comment" in self.draft:
            ticket.comments.append(self.draft["comment"])
        ticket.status = status
        ticket.submitted.append(status)
        self.draft = {"fields": {}}
        # Without "Permanecer no ticket" Zendesk closes the tab after the submit.
        self.pane = ticket.id if self.stay else None
        return ticket.id

    @recorded
    def read_status(self) -> str:
        return self._ticket().status

    @recorded
    def read_fields(self) -> dict[str, str]:
        return dict(self._ticket().fields)

    @recorded
    def read_comments(self) -> list[Comment]:
        return list(self._ticket().comments)


class FakeSearch(_FakePage):
    """``SearchPage``: ids of the tickets whose number, subject, requester or comments match."""

    po = "search"

    @recorded
    def search(self, query: str) -> list[int]:
        needle = query.strip().lower()
        found = []
        for t in self.world.tickets.values():
            texts = [str(t.id), t.fields.get("subject", ""), t.requester[0], *(c.body for c in t.comments)]
            if any(needle in text.lower() for text in texts):
                found.append(t.id)
        return found


# -- the sites -------------------------------------------------------------------------------


class FakeSites:
    """One attempt's page objects over ``world``; ``calls`` lists every call in order."""

    def __init__(self, world: World, *, not_found: set[str] | None = None) -> None:
        self.world = world
        self.not_found: set[str] = set(not_found or ())
        self.calls: list[Call] = []
        self._failures: dict[tuple[str, str], int] = {}
        self._seen: dict[tuple[str, str], int] = {}
        self.order_list = FakeOrderList(self)
        self.order_form = FakeOrderForm(self)
        self.ticket = FakeTicketPage(self)
        self.search = FakeSearch(self)

    def fail_at(self, po: str, method: str, nth: int = 1) -> None:
        """Raise ``SimulatedCrash`` the nth time ``po.method`` is called, before it does anything."""
        self._failures[(po, method)] = nth

    def enter(self, po: str, method: str, args: tuple, kwargs: dict) -> None:
        self.calls.append(Call(po, method, args, dict(kwargs)))
        key = (po, method)
        self._seen[key] = self._seen.get(key, 0) + 1
        if self._failures.get(key) == self._seen[key]:
            raise SimulatedCrash(f"{po}.{method} #{self._seen[key]}")

    # -- questions tests ask -------------------------------------------------------------

    def steps(self, *pos: str) -> list[tuple[str, str]]:
        """``(po, method)`` of every call, optionally only those of the given page objects."""
        return [(c.po, c.method) for c in self.calls if not pos or c.po in pos]

    def calls_to(self, po: str, method: str) -> list[Call]:
        return [c for c in self.calls if (c.po, c.method) == (po, method)]

    def changing_calls(self) -> list[Call]:
        """Calls other than reads and navigation."""
        return [c for c in self.calls if (c.po, c.method) not in READ_ONLY]
