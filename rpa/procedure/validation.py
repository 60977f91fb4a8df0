"""What ``rpa validate`` reports: each row's planned outcome from the rules that need no site.

Per row: ``READY`` (goes on to the sites) with what the run will do, or the outcome already
decided (``Outcome.DADOS_INVALIDOS``, ``Outcome.ESCALADO_GESTOR``) with what to fix.
"""

from __future__ import annotations

from collections import Counter
from typing import TypedDict

from rpa.procedure.requests import group_requests
from rpa.procedure.rules import Plan, PlannedRow, RuleConfig, plan_request
from rpa.procedure.sheet import Sheet

READY = "PRONTO"   # not an outcome: the row passed every rule checked without the sites


class ValidationItem(TypedDict):
    """One row of the report (the ``--json`` output)."""

    row: int
    request: str       # the request key ("ticket:41001", "sol:S-9", "row:7")
    status: str        # READY or an outcome code
    message: str


def ready_message(p: PlannedRow, ticket: str | None) -> str:
    """What the run will do with a row that passed every rule checked here."""
    row = p.row
    parts = [f"{p.group} › {p.service}"]
    if p.numero_referencia:
        parts.append(f"Número Referência {p.numero_referencia}")
    if row.cortesia:
        parts.append("Cortesia (Book ao departamento de cortesia)")
    elif row.gera_orcamento:
        parts.append("gera orçamento: a garantia será verificada no Workfinity")
    if not row.address.is_empty():
        parts.append("endereço será conferido com o cadastro")
    parts.append(f"ticket {ticket}" if ticket else "ticket será criado")
    return "; ".join(parts)


def plan_sheet(sheet: Sheet, config: RuleConfig) -> list[Plan]:
    return [plan_request(req, config) for req in group_requests(sheet, config.catalogs)]


def validation_rows(sheet: Sheet, config: RuleConfig) -> list[ValidationItem]:
    """``[{"row", "request", "status", "message"}]`` in spreadsheet order."""
    out: list[ValidationItem] = []
    for plan in plan_sheet(sheet, config):
        key = plan.request.key
        for p in plan.rows:
            out.append({"row": p.row.row_number, "request": key, "status": READY,
                        "message": ready_message(p, plan.request.ticket)})
        for number, (code, message) in plan.outcomes.items():
            out.append({"row": number, "request": key, "status": code, "message": message})
    out.sort(key=lambda item: item["row"])
    return out


def summary(items: list[ValidationItem]) -> str:
    counts = Counter(str(i["status"]) for i in items)
    requests = len({i["request"] for i in items})
    parts = [f"{counts.pop(READY, 0)} pronta(s)"] + [f"{n} {code}" for code, n in sorted(counts.items())]
    return f"{len(items)} linha(s) em {requests} solicitação(ões): " + ", ".join(parts) + "."
