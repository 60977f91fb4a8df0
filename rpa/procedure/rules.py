"""The procedure's rules (procedure.md R3, R7, R9, R10, R13, R14, R15) as code over data.

The values a business analyst may change (defect catalogue, authorized clients, Categoria/
Motivo per outcome, texts) live in ``input/catalog/``; ``rpa.io.catalog_files`` reads them into
the ``Catalogs`` passed here (in ``RuleConfig``, then in each ``Plan``). The limit of equipment
per request comes from the settings.

Decisions taken where the procedure is silent:
- A request whose valid rows carry different CNPJs is not processed (every row
  ``DADOS_INVALIDOS``): one request is one establishment, and the ticket note names one CNPJ.
- The same serial twice in one request: the first row goes on, the repeats are
  ``DADOS_INVALIDOS`` (one O.S. per equipment).
- R13 counts the distinct serials of all rows of the request, valid or not, and wins over
  every other problem: such a request goes to the manager whatever is wrong in it.
- Invalid rows do not stop the valid rows of the same request; they are reported and a rerun
  after the fix carries them on under the same ticket.
- ``Gera Orçamento`` with ``Cortesia``: the courtesy (decided by a person) skips R9.
  ``Gera Orçamento`` without a warranty date in Workfinity: ``DADOS_INVALIDOS`` (a person
  must check the warranty).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from rpa.outcomes import Outcome
from rpa.procedure.catalogs import Catalogs
from rpa.procedure.normalize import digits, house_number_key, streets_equal
from rpa.procedure.requests import Request
from rpa.procedure.rows import Address, Row
from rpa.procedure.templates import subject

BRAND = "Bematech Hardware"
FORM = "0800"
FAMILY = "hardware"


@dataclass
class RuleConfig:
    catalogs: Catalogs
    max_equipment: int = 5                 # R13


@dataclass
class PlannedRow:
    row: Row
    group: str
    service: str
    numero_referencia: str | None
    observacoes_atendimento: str           # "Cortesia" (R10) or "" (R9 note added later)


@dataclass
class Plan:
    request: Request
    catalogs: Catalogs                     # what the site steps still decide with (R7, R15, texts)
    rows: list[PlannedRow] = field(default_factory=list)                  # rows to carry on to the sites
    outcomes: dict[int, tuple[Outcome, str]] = field(default_factory=dict)  # row -> (code, pt-BR message)


# -- planning (rules that need no site) ----------------------------------------------------


def _serial_key(text: str) -> str:
    return "".join(text.split()).upper()


def plan_request(request: Request, config: RuleConfig) -> Plan:
    catalogs = config.catalogs
    plan = Plan(request=request, catalogs=catalogs)

    # R13: more than N distinct equipment -> the whole request goes to the manager.
    serials = {_serial_key(s) for s in request.raw_serials.values() if s.strip()}
    serials |= {r.serial for r in request.rows}
    if len(serials) > config.max_equipment:
        message = (f"Mais de {config.max_equipment} equipamentos ({len(serials)} números de série nesta "
                   "solicitação): o cliente deve contatar o gestor responsável pelo estabelecimento.")
        plan.outcomes = {n: (Outcome.ESCALADO_GESTOR, message) for n in request.row_numbers}
        return plan

    for number, errors in request.errors.items():
        plan.outcomes[number] = (Outcome.DADOS_INVALIDOS, " ".join(e.message for e in errors))

    cnpjs = list(dict.fromkeys(r.cnpj_masked for r in request.rows))
    if len(cnpjs) > 1:
        for r in request.rows:
            plan.outcomes[r.row_number] = (Outcome.DADOS_INVALIDOS, (
                f"Linha {r.row_number}, coluna CNPJ: as linhas desta solicitação têm CNPJs diferentes "
                f"({', '.join(cnpjs)}). Uma solicitação é de um só estabelecimento: corrija o CNPJ ou separe as "
                "linhas em solicitações (Ticket/Solicitação) diferentes."))
        return plan

    first_row_of: dict[str, int] = {}
    for row in request.rows:
        outcome = _row_outcome(row, first_row_of, catalogs)
        if isinstance(outcome, tuple):
            plan.outcomes[row.row_number] = outcome
        else:
            plan.rows.append(outcome)
    return plan


def _row_outcome(row: Row, first_row_of: dict[str, int], catalogs: Catalogs) -> PlannedRow | tuple[Outcome, str]:
    n = row.row_number
    if row.serial in first_row_of:
        return (Outcome.DADOS_INVALIDOS, (
            f"Linha {n}, coluna Número de Série: o equipamento {row.serial} já está na linha "
            f"{first_row_of[row.serial]} desta solicitação (uma O.S. por equipamento). Remova a linha repetida."))
    first_row_of[row.serial] = n

    client = catalogs.client_rule(row.razao_social)
    if client and client.requires_reference and not row.numero_referencia:  # R14
        return (Outcome.DADOS_INVALIDOS, (
            f"Linha {n}, coluna Número Referência: obrigatório para {client.name} (número do chamado interno "
            "do cliente). Informe o Número Referência."))

    resolved = resolve_service(row, catalogs)  # R3
    if isinstance(resolved, str):
        return (Outcome.DADOS_INVALIDOS, resolved)
    group, service = resolved
    return PlannedRow(row=row, group=group, service=service, numero_referencia=row.numero_referencia,
                      observacoes_atendimento="Cortesia" if row.cortesia else "")


def resolve_service(row: Row, catalogs: Catalogs) -> tuple[str, str] | str:
    """R3: ``(group, service)`` from the row, completed by the defect catalogue; else the pt-BR error."""
    n = row.row_number
    group, service = row.grupo_servico, row.servico
    if group and service:
        return group, service
    match = catalogs.defect_rule(row.defeito)
    if group:
        if match and match.group == group:
            return group, match.service
        options = catalogs.services.get(group, [])
        if len(options) == 1:
            return group, options[0]
        return (f"Linha {n}, coluna Serviço: vazio e o Grupo Serviço \"{group}\" tem mais de um serviço"
                f"{' (' + ', '.join(options) + ')' if options else ''}. Informe o Serviço.")
    if service:
        groups = [g for g, ss in catalogs.services.items() if service in ss]
        if match and match.service == service:
            return match.group, service
        if len(groups) == 1:
            return groups[0], service
        return (f"Linha {n}, coluna Grupo Serviço: vazio e o serviço \"{service}\" não identifica o grupo. "
                "Informe o Grupo Serviço.")
    if match:
        return match.group, match.service
    return (f"Linha {n}, coluna Defeito: \"{row.defeito}\" não corresponde a nenhuma palavra-chave do catálogo de "
            "defeitos. Preencha Grupo Serviço e Serviço (por exemplo Manutenção on site / Corretiva) ou inclua a "
            "palavra-chave em input/catalog/defects.csv.")


# -- R7: address ---------------------------------------------------------------------------


class AddressDecision(StrEnum):
    SAME = "same"            # no address informed, or the registered one
    EDIT = "edit"            # authorized client, same UF: the bot changes it
    OTHER_UF = "other_uf"    # authorized client, another state: another CNPJ is needed
    BOOK = "book"            # not authorized: R8, the registration department changes it


def is_authorized_client(razao_social: str, catalogs: Catalogs) -> bool:
    """R7: address changes by the bot are authorized for the clients of the list (data)."""
    return catalogs.client_rule(razao_social) is not None


def addresses_equal(a: Address, b: Address) -> bool:
    """Same CEP digits, same house number, same street once abbreviations and accents are folded."""
    return (digits(a.cep) == digits(b.cep)
            and house_number_key(a.numero) == house_number_key(b.numero)
            and streets_equal(a.logradouro, b.logradouro))


def address_decision(row: Row, registered: Address, catalogs: Catalogs) -> AddressDecision:
    """R7: ``same`` (or no address informed), ``edit`` (authorized, same UF), ``other_uf``, ``book`` (R8)."""
    informed = row.address
    if informed.is_empty() or addresses_equal(informed, registered):
        return AddressDecision.SAME
    if not is_authorized_client(row.razao_social, catalogs):
        return AddressDecision.BOOK
    if informed.uf and registered.uf and informed.uf.upper() != registered.uf.upper():
        return AddressDecision.OTHER_UF
    return AddressDecision.EDIT


def other_uf_message(registered_uf: str, informed_uf: str) -> str:
    """The DADOS_INVALIDOS text of R7(b)."""
    return (f"CNPJ registrado em {registered_uf.upper()}; endereço informado em {informed_uf.upper()}: "
            "use o CNPJ do estabelecimento desse estado")


# -- R9: warranty --------------------------------------------------------------------------


def warranty_check(row: Row, warranty_end: dt.date | None, today: dt.date) -> tuple[Outcome, str] | None:
    """R9: ``None`` = go on; else ``(code, message)``. Only rows with Gera Orçamento = Sim are checked."""
    if not row.gera_orcamento or row.cortesia:
        return None
    if warranty_end is None:
        return (Outcome.DADOS_INVALIDOS, (
            f"Linha {row.row_number}, coluna Gera Orçamento: o Workfinity não informa o fim da garantia do "
            f"equipamento {row.serial}. Verifique a garantia manualmente (processo Garantias Expiradas)."))
    if warranty_end >= today:
        return None
    return (Outcome.GARANTIA_EXPIRADA,
            f"Garantia expirada em {warranty_end:%d/%m/%Y}: seguir o processo Garantias Expiradas")


def warranty_note(warranty_end: dt.date) -> str:
    return f"Em garantia até {warranty_end:%d/%m/%Y}"


# -- R15: Zendesk fields --------------------------------------------------------------------


def zendesk_fields(code: str, row: Row, catalogs: Catalogs) -> dict[str, str]:
    """Ticket fields for an outcome; Categoria/Motivo from the outcome table unless the row overrides."""
    categoria, motivo = catalogs.outcome_fields.get(code.upper(), ("", ""))
    return {
        "subject": row.assunto or subject(row, catalogs),
        "brand": BRAND,
        "form": FORM,
        "type": row.tipo or "Incidente",
        "familia": FAMILY,
        "categoria": row.categoria or categoria,
        "motivo": row.motivo or motivo,
    }
