"""Messy spreadsheets as operators really send them, built on demand in a test's tmp_path.

Each builder writes one file and returns its path; ``good_row`` gives a valid row (canonical
column -> value) that a test changes field by field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from rpa.io.catalog_files import load_catalogs
from rpa.procedure.cnpj import complete, mask
from rpa.procedure.rows import Address, Row, parse_row
from rpa.procedure.sheet import Sheet, SheetRow

CATALOGS = load_catalogs()                             # the catalogue the rows below are valid under

SODEXO_CNPJ = mask(complete("123456780001"))          # 12.345.678/0001-95
SODEXO_RJ_CNPJ = mask(complete("123456780002"))
NEXTEL_CNPJ = mask(complete("223344550001"))
VIACAO_CNPJ = mask(complete("334455660001"))
PADARIA_CNPJ = "11.222.333/0001-81"
ALNUM_CNPJ = "12.ABC.345/01DE-35"
ZERO_CNPJ = complete("012345670001")                   # numeric, leading zero: Excel drops it

# An address typed in the sheet (columns) and the one Workfinity has registered: they differ (R7, R8).
INFORMED_ADDRESS = {"CEP": "04538-133", "Logradouro": "Av. Brigadeiro Faria Lima", "Número": "3477",
                    "Bairro": "Itaim Bibi", "Cidade": "São Paulo", "UF": "SP"}
REGISTERED_ADDRESS = Address(cep="01310-100", logradouro="Avenida Paulista", numero="1000", bairro="Bela Vista",
                             cidade="São Paulo", uf="SP")

STANDARD_HEADERS = ["Ticket", "Solicitação", "CNPJ", "Razão Social", "Nome do Cliente", "E-mail", "Telefone",
                    "CEP", "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF", "Número de Série",
                    "Defeito", "Grupo Serviço", "Serviço", "Tipo", "Número Referência", "Gera Orçamento",
                    "Cortesia"]


def good_row(**overrides: object) -> dict[str, object]:
    """A valid, non-SODEXO row without an address (canonical names; keys with spaces via dict update)."""
    row: dict[str, object] = {
        "Ticket": "", "Solicitação": "", "CNPJ": PADARIA_CNPJ, "Razão Social": "PADARIA PÃO QUENTE LTDA",
        "Nome do Cliente": "João Silva", "E-mail": "joao@paoquente.com.br", "Telefone": "(11) 3333-4444",
        "CEP": "", "Logradouro": "", "Número": "", "Complemento": "", "Bairro": "", "Cidade": "", "UF": "",
        "Número de Série": "BE4200TH000123", "Defeito": "ECF inoperante", "Grupo Serviço": "", "Serviço": "",
        "Tipo": "", "Número Referência": "", "Gera Orçamento": "", "Cortesia": "",
    }
    row.update(overrides)
    return row


def valid_row(number: int = 2, **fields: object) -> Row:
    """``good_row`` with ``fields``, parsed as row ``number`` (it must be valid)."""
    result = parse_row(SheetRow(row_number=number, values={k: str(v) for k, v in good_row(**fields).items()},
                                extra={}), CATALOGS)
    assert isinstance(result, Row), result
    return result


def sheet_of(*rows: dict[str, object], first: int = 2) -> Sheet:
    """The rows as read from a spreadsheet (first data row ``first``), without a file."""
    sheet_rows = [SheetRow(row_number=first + i, values={k: str(v) for k, v in r.items()}, extra={})
                  for i, r in enumerate(rows)]
    return Sheet(path=Path("x.xlsx"), sheet_name="s", header_row=first - 1, columns={}, rows=sheet_rows, fmt="xlsx")


def with_fields(base: dict[str, object] | None = None, **fields: object) -> dict[str, object]:
    """``good_row`` with fields given by canonical name (``with_fields(**{"Número de Série": "X"})``)."""
    row = dict(base or good_row())
    row.update(fields)
    return row


def _matrix(headers: Sequence[str], rows: Iterable[dict[str, object]]) -> list[list[object]]:
    return [[r.get(h, "") for h in headers] for r in rows]


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[dict[str, object]] | Sequence[Sequence[object]], *,
               title_rows: Sequence[Sequence[object]] = (), sheet: str = "Chamados",
               other_sheets: dict[str, list[list[object]]] | None = None, raw: bool = False) -> Path:
    """An .xlsx: optional title rows, the header, the rows (dicts by header, or raw lists)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for t in title_rows:
        ws.append(list(t))
    ws.append(list(headers))
    for values in (rows if raw else _matrix(headers, rows)):  # type: ignore[arg-type]
        ws.append([None if v == "" else v for v in values])
    for name, data in (other_sheets or {}).items():
        other = wb.create_sheet(name)
        for values in data:
            other.append(values)
    wb.save(path)
    return path


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[dict[str, object]], *, delimiter: str = ";",
              encoding: str = "cp1252", title_rows: Sequence[Sequence[object]] = (), newline: str = "\r\n") -> Path:
    """A CSV as Excel in Brazil saves it: ``;`` and Windows-1252 by default."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    for t in title_rows:
        w.writerow(t)
    w.writerow(headers)
    w.writerows(_matrix(headers, rows))
    data = buf.getvalue()
    path.write_bytes(data.encode(encoding))  # "utf-8-sig" writes the BOM
    return path


def write_xls(path: Path, headers: Sequence[str], rows: Iterable[dict[str, object]], *,
              title_rows: Sequence[Sequence[object]] = (), sheet: str = "Chamados") -> Path:
    """An Excel 97-2003 .xls (xlwt); dates get a date format so xlrd sees them as dates."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    r = 0
    for t in title_rows:
        for c, v in enumerate(t):
            ws.write(r, c, v)
        r += 1
    for c, h in enumerate(headers):
        ws.write(r, c, h)
    r += 1
    for values in _matrix(headers, rows):
        for c, v in enumerate(values):
            if isinstance(v, (dt.date, dt.datetime)):
                ws.write(r, c, v, date_style)
            elif v != "":
                ws.write(r, c, v)
        r += 1
    wb.save(str(path))
    return path


def messy_xlsx(path: Path) -> Path:
    """Title rows (one merged), accented/mixed-case/aliased headers with stray spaces, a merged header
    cell, numeric CNPJ and serial, an Excel date in an extra column, blank rows, trailing spaces."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Abertura"
    ws["A1"] = "RELATÓRIO DE ABERTURA DE O.S. — NOVEMBRO/2026"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Gerado pelo time de atendimento"
    headers = ["  nº ticket ", "cnpj/cpf", "RAZAO SOCIAL", "Contato", "EMAIL", "Celular", "Série",
               "Descrição do Problema", "Data da Ligação", "Observações do atendente", "Telefone"]
    # "Telefone" header merged over two columns (K:L): the value lives in K
    for c, h in enumerate(headers, start=1):
        ws.cell(4, c, h)
    ws.merge_cells("K4:L4")
    data = [
        [41001, int(ZERO_CNPJ), "SODEXO DO BRASIL COMERCIAL S.A. ", " Maria Souza", "maria@sodexo.com",
         None, 123456789012, "ECF inoperante  ", dt.datetime(2026, 11, 27), "cliente VIP", 11988887777],
        [None, None, None, None, None, None, None, None, None, None, None],
        [None, PADARIA_CNPJ + "  ", "Padaria Pão Quente", "João", "joao@paoquente.com.br", None, "be4200th000999 ",
         "LED piscando", dt.datetime(2026, 11, 26, 14, 30), None, "(11) 3333-4444"],
    ]
    for r, values in enumerate(data, start=5):
        for c, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(r, c, v)
    ws.cell(8, 1, None)  # trailing blank row
    wb.save(path)
    return path
