"""Spreadsheets made from the seed: the demo's sample (every outcome and rule) and bulk files
for the benchmark. ``python -m fakesite.sample`` rewrites ``input/exemplo-solicitacoes.xlsx``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

HEADERS = ["Ticket", "Solicitação", "CNPJ", "Razão Social", "Nome do Cliente", "E-mail", "Telefone", "CEP",
           "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF", "Número de Série", "Defeito",
           "Grupo Serviço", "Serviço", "Tipo", "Número Referência", "Gera Orçamento", "Cortesia",
           "Observação interna do time"]

REFERENCE_DAY = dt.date(2026, 11, 28)


def _customer(seed: dict, predicate) -> dict:
    return next(c for c in seed["workfinity"]["customers"] if predicate(c))


def _equipment(seed: dict, customer: dict, *, in_warranty: bool | None = None, skip: int = 0) -> list[str]:
    found = []
    for e in seed["workfinity"]["equipment"]:
        if e["customer_document"] != customer["document"]:
            continue
        end = dt.date.fromisoformat(e["warranty_end"]) if e.get("warranty_end") else None
        if in_warranty is not None and (end is not None and end >= REFERENCE_DAY) != in_warranty:
            continue
        found.append(e["serial"])
    return found[skip:]


def _other_cep(seed: dict, customer: dict, *, same_uf: bool) -> tuple[str, dict]:
    uf = customer["address"]["uf"]
    used = {c["address"]["cep"] for c in seed["workfinity"]["customers"]}
    for cep, info in seed["workfinity"]["ceps"].items():
        if cep not in used and (info["uf"] == uf) == same_uf:
            return cep, info
    raise LookupError(f"no spare CEP {'in' if same_uf else 'outside'} {uf}")


def row(customer: dict, serial: str, defeito: str, **extra: Any) -> dict[str, str]:
    values = {"CNPJ": customer["document"], "Razão Social": customer["razao_social"],
              "Nome do Cliente": customer["contato"], "E-mail": customer["email"],
              "Telefone": customer["telefone"], "Número de Série": serial, "Defeito": defeito}
    values.update({k: str(v) for k, v in extra.items()})
    return values


def address_of(cep: str, info: dict, numero: str = "100") -> dict[str, str]:
    return {"CEP": cep, "Logradouro": info["logradouro"], "Número": numero, "Bairro": info["bairro"],
            "Cidade": info["cidade"], "UF": info["uf"]}


def registered_address(customer: dict) -> dict[str, str]:
    a = customer["address"]
    return {"CEP": a["cep"], "Logradouro": a["logradouro"], "Número": a["numero"], "Complemento": a["complemento"],
            "Bairro": a["bairro"], "Cidade": a["cidade"], "UF": a["uf"]}


def sample_rows(seed: dict) -> list[dict[str, str]]:
    """The demo's rows: one case per outcome code and rule (see the last column)."""
    wf = seed
    sodexo = _customer(wf, lambda c: "SODEXO" in c["razao_social"] and c["address"]["uf"] == "SP")
    nextel = _customer(wf, lambda c: "NEXTEL" in c["razao_social"])
    viacao = _customer(wf, lambda c: "VIAÇÃO" in c["razao_social"])
    others = [c for c in wf["workfinity"]["customers"]
              if not any(k in c["razao_social"] for k in ("SODEXO", "NEXTEL", "VIAÇÃO"))
              and c["document"][:2].isdigit() and c["document"][3:6].isdigit()]
    alnum = _customer(wf, lambda c: c["document"] == "12.ABC.345/01DE-35")
    three = next(c for c in others if len(_equipment(wf, c)) >= 3)
    in_warranty = next(c for c in others if c is not three and _equipment(wf, c, in_warranty=True))
    expired = [c for c in others if c not in (three, in_warranty) and _equipment(wf, c, in_warranty=False)]
    not_authorized = next(c for c in others if c not in (three, in_warranty, *expired[:2]))
    many = next(c for c in others if c not in (three, in_warranty, not_authorized, *expired[:2]))

    sodexo_cep, sodexo_info = _other_cep(wf, sodexo, same_uf=True)
    far_cep, far_info = _other_cep(wf, viacao, same_uf=False)
    rows = [
        row(sodexo, _equipment(wf, sodexo)[0], "Impressora fiscal com LED piscando", Ticket="41001",
            **{"Número Referência": "SDX-2026-0042"}, **address_of(sodexo_cep, sodexo_info, "250"),
            **{"Observação interna do time": "SODEXO: troca de endereço autorizada no mesmo estado"}),
        row(sodexo, _equipment(wf, sodexo)[1], "ECF inoperante", Solicitação="SOL-2001",
            **{"Observação interna do time": "SODEXO sem Número Referência (R14)"}),
        row(nextel, _equipment(wf, nextel)[0], "ECF inoperante após queda de energia", Solicitação="SOL-2002",
            **{"Observação interna do time": "NEXTEL sem ticket: o robô cria"}),
        row(viacao, _equipment(wf, viacao)[0], "Leitor de código de barras não lê", Solicitação="SOL-2003",
            **{"Grupo Serviço": "Manutenção on site", "Serviço": "Corretiva"}, **address_of(far_cep, far_info, "77"),
            **{"Observação interna do time": "Viação com endereço em outro estado (R7b)"}),
        row(viacao, _equipment(wf, viacao)[1], "LED piscando", Solicitação="SOL-2004",
            **{"Observação interna do time": "Viação, mesmo endereço"}),
        row(not_authorized, _equipment(wf, not_authorized)[0], "ECF inoperante", Solicitação="SOL-2005",
            **{**registered_address(not_authorized), "Número": "999"},
            **{"Observação interna do time": "Cliente não autorizado com endereço diferente (R8)"}),
    ]
    for i, serial in enumerate(_equipment(wf, three)[:3]):
        rows.append(row(three, serial, "LED piscando" if i else "ECF inoperante", Ticket="41002",
                        **{"Observação interna do time": "3 equipamentos no mesmo ticket"}))
    for i in range(6):
        rows.append(row(many, f"BE4200TH9{i:05d}", "ECF inoperante", Solicitação="SOL-2006",
                        **{"Observação interna do time": "Mais de 5 equipamentos (R13)"}))
    rows += [
        row(in_warranty, _equipment(wf, in_warranty, in_warranty=True)[0], "ECF inoperante", Ticket="41007",
            **{"Gera Orçamento": "Sim", "Observação interna do time": "Orçamento dentro da garantia (R9)"}),
        row(expired[0], _equipment(wf, expired[0], in_warranty=False)[0], "LED piscando", Solicitação="SOL-2007",
            **{"Gera Orçamento": "Sim", "Observação interna do time": "Orçamento com garantia expirada (R9)"}),
        row(expired[1], _equipment(wf, expired[1], in_warranty=False)[0], "ECF inoperante", Ticket="41004",
            **{"Gera Orçamento": "Sim", "Cortesia": "Sim", "Observação interna do time": "Cortesia (R10)"}),
        row(alnum, _equipment(wf, alnum)[0], "LED piscando", Solicitação="SOL-2008",
            **{"Observação interna do time": "CNPJ alfanumérico"}),
        row(nextel, _equipment(wf, nextel)[1], "ECF inoperante", Solicitação="SOL-2009",
            **{"CNPJ": nextel["document"][:-1] + str((int(nextel["document"][-1]) + 1) % 10),
               "Observação interna do time": "Dígito verificador errado"}),
        row(viacao, _equipment(wf, viacao)[0], "", Solicitação="SOL-2010",
            **{"E-mail": "jorge.prado(arroba)viacao", "Observação interna do time": "E-mail inválido e defeito vazio"}),
    ]
    return rows


def bulk_rows(seed: dict, requests: int) -> list[dict[str, str]]:
    """``requests`` one-equipment requests that all end OK (existing customer, same address)."""
    pairs = [(c, s) for c in seed["workfinity"]["customers"] for s in _equipment(seed, c)]
    # Every row carries a Número Referência: required for SODEXO (R14), typed for the others.
    return [row(c, s, "ECF inoperante", Solicitação=f"B{i:06d}", **{"Número Referência": f"REF-{i:06d}"})
            for i, (c, s) in ((i, pairs[i % len(pairs)]) for i in range(requests))]


def write_xlsx(rows: list[dict[str, str]], path: Path, *, title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Solicitações"
    if title:
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADERS)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
    for r in rows:
        ws.append([r.get(h, "") for h in HEADERS])
    for col, width in zip("ABCDEFGHIJKLMNOPQRSTUVW", (9, 12, 20, 34, 24, 34, 16, 11, 30, 8, 12, 16, 16, 5, 18, 36,
                                                       20, 12, 10, 16, 10, 9, 44), strict=True):
        ws.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


if __name__ == "__main__":
    from fakesite.seed import default_seed

    target = Path(__file__).resolve().parent.parent / "input" / "exemplo-solicitacoes.xlsx"
    write_xlsx(sample_rows(default_seed()), target, title="Solicitações de O.S. – clientes corporativos")
    print(target)
