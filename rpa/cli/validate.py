"""``rpa validate FILE [--json]``: read, group and apply the rules that need no site.

Per row: the planned outcome ("PRONTO" = goes on to the sites) or the outcome already
decided (``DADOS_INVALIDOS``, ``ESCALADO_GESTOR``) with the message saying what to fix.
Exit 0 whenever the file could be read; 2 with a pt-BR message when it could not.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from rpa.errors import InputError
from rpa.procedure.requests import group_requests
from rpa.procedure.rules import Plan, PlannedRow, RuleConfig, plan_request
from rpa.io.spreadsheet_in import Sheet, read_spreadsheet

READY = "PRONTO"


def _rule_config() -> RuleConfig:
    try:
        from rpa.settings import Settings

        return RuleConfig.from_settings(Settings())
    except Exception:  # a bad rpa.toml must not stop a dry validation: use the defaults
        return RuleConfig()


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


def plan_sheet(sheet: Sheet, config: RuleConfig | None = None) -> list[Plan]:
    config = config or _rule_config()
    return [plan_request(req, config) for req in group_requests(sheet)]


def validation_rows(sheet: Sheet, config: RuleConfig | None = None) -> list[dict[str, object]]:
    """``[{"row", "request", "status", "message"}]`` in spreadsheet order."""
    out = []
    for plan in plan_sheet(sheet, config):
        key = plan.request.key
        for p in plan.rows:
            out.append({"row": p.row.row_number, "request": key, "status": READY,
                        "message": ready_message(p, plan.request.ticket)})
        for number, (code, message) in plan.outcomes.items():
            out.append({"row": number, "request": key, "status": code, "message": message})
    out.sort(key=lambda item: item["row"])
    return out


def summary(items: list[dict[str, object]]) -> str:
    counts = Counter(str(i["status"]) for i in items)
    requests = len({i["request"] for i in items})
    parts = [f"{counts.pop(READY, 0)} pronta(s)"] + [f"{n} {code}" for code, n in sorted(counts.items())]
    return f"{len(items)} linha(s) em {requests} solicitação(ões): " + ", ".join(parts) + "."


def _print_table(sheet: Sheet, items: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    where = f" (aba {sheet.sheet_name})" if sheet.sheet_name else ""
    table = Table(title=f"{sheet.path.name}{where} — cabeçalho na linha {sheet.header_row}", show_lines=False)
    table.add_column("Linha", justify="right", no_wrap=True)
    table.add_column("Solicitação", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Mensagem")
    styles = {READY: "green", "DADOS_INVALIDOS": "red", "ESCALADO_GESTOR": "yellow"}
    for item in items:
        status = str(item["status"])
        table.add_row(str(item["row"]), str(item["request"]), f"[{styles.get(status, 'white')}]{status}[/]",
                      str(item["message"]))
    console.print(table)
    console.print(summary(items))


def validate_command(file: Path, *, json_out: bool, sheet: str | None) -> int:
    try:
        data = read_spreadsheet(Path(file), sheet)
        items = validation_rows(data)
    except InputError as exc:
        print(f"Erro: {exc}", file=sys.stderr)
        return 2
    if json_out:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(data, items)
    return 0
