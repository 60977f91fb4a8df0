"""Group the rows of a sheet into client requests (the unit of work of procedure.md).

Rows sharing a ``Ticket`` are one request; rows without a ticket are grouped by
``Solicitação``; a row with neither is its own request. A row without a ticket whose
Solicitação appears, on other rows, with exactly one ticket joins that ticket's request:
otherwise one client request would get two tickets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rpa.procedure.catalogs import Catalogs
from rpa.procedure.normalize import clean_spaces
from rpa.procedure.rows import Row, RowError, parse_row, parse_ticket
from rpa.procedure.sheet import Sheet


@dataclass
class Request:
    key: str                                   # "ticket:41001" | "sol:<solicitação>" | "row:<row_number>"
    rows: list[Row] = field(default_factory=list)                   # valid rows, in spreadsheet order
    errors: dict[int, list[RowError]] = field(default_factory=dict)  # invalid rows of this request
    raw_serials: dict[int, str] = field(default_factory=dict)       # row -> serial as typed (R13 counts them all)

    @property
    def row_numbers(self) -> list[int]:
        """Every row of the request, valid and invalid, in spreadsheet order."""
        return sorted([r.row_number for r in self.rows] + list(self.errors))

    @property
    def ticket(self) -> str | None:
        if self.key.startswith("ticket:"):
            return self.key.removeprefix("ticket:")
        return next((r.ticket for r in self.rows if r.ticket), None)


def request_key(ticket: str | None, solicitacao: str, row_number: int) -> str:
    if ticket:
        return f"ticket:{ticket}"
    if solicitacao:
        return f"sol:{solicitacao}"
    return f"row:{row_number}"


def group_requests(sheet: Sheet, catalogs: Catalogs) -> list[Request]:
    """Requests in order of their first row; each row parsed (valid) or kept with its errors."""
    parsed = []
    sol_tickets: dict[str, set[str]] = {}
    for sr in sheet.rows:
        ticket = parse_ticket(sr.values.get("Ticket", "")) if sr.values.get("Ticket") else None
        sol = clean_spaces(sr.values.get("Solicitação", ""))
        if ticket and sol:
            sol_tickets.setdefault(sol, set()).add(ticket)
        parsed.append((sr, ticket, sol, parse_row(sr, catalogs)))

    requests: dict[str, Request] = {}
    for sr, ticket, sol, result in parsed:
        if not ticket and sol and len(sol_tickets.get(sol, ())) == 1:
            ticket = next(iter(sol_tickets[sol]))
        key = request_key(ticket, sol, sr.row_number)
        req = requests.setdefault(key, Request(key=key))
        req.raw_serials[sr.row_number] = sr.values.get("Número de Série", "")
        if isinstance(result, Row):
            if ticket and result.ticket != ticket:  # joined its solicitação's ticket
                result = result.model_copy(update={"ticket": ticket})
            req.rows.append(result)
        else:
            req.errors[sr.row_number] = result
    return list(requests.values())


def request_marker(request: Request) -> str:
    """A stable tag the bot writes into tickets it creates, to find them again after a crash."""
    rows = request.rows
    basis = "|".join([request.key, rows[0].cnpj if rows else "", *sorted(r.serial for r in rows)])
    return "RPA-" + hashlib.sha1(basis.encode()).hexdigest()[:12].upper()
