"""``python -m bench.validate_bench [ROWS]``: how long ``rpa validate`` takes on a big sheet.

Generates an .xlsx of 10,000 rows (realistic values: numeric and masked CNPJs, phones,
addresses, defects from the catalogue, a few invalid rows and multi-equipment requests) and
times the validate logic (read, parse, group, plan) and the JSON rendering. Prints numbers;
asserts nothing. Target: under 5 s for 10,000 rows.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from rpa.procedure.cnpj import complete, mask

HEADERS = ["Ticket", "Solicitação", "CNPJ", "Razão Social", "Nome do Cliente", "E-mail", "Telefone", "CEP",
           "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF", "Número de Série", "Defeito",
           "Grupo Serviço", "Serviço", "Número Referência", "Gera Orçamento", "Cortesia"]
DEFECTS = ["ECF inoperante", "LED piscando", "Impressora não imprime", "Papel atolado na guilhotina",
           "Erro de comunicação com o PDV", "Solicita manutenção preventiva", "Tela quebrada"]
CLIENTS = ["SUPERMERCADO BOA COMPRA LTDA", "FARMÁCIA SAÚDE TOTAL S.A.", "RESTAURANTE SABOR MINEIRO LTDA",
           "SODEXO DO BRASIL COMERCIAL S.A.", "VIAÇÃO COMETA S.A.", "NEXTEL TELECOMUNICAÇÕES LTDA"]


def make_rows(n: int) -> list[list[object]]:
    """``n`` data rows; requests of 1-3 equipment, about 2% of rows with a wrong CNPJ."""
    rows: list[list[object]] = []
    i = 0
    request = 0
    while len(rows) < n:
        request += 1
        body = f"{10_000_000 + request:08d}0001"
        cnpj = complete(body)
        if request % 50 == 0:
            cnpj = cnpj[:-1] + str((int(cnpj[-1]) + 1) % 10)  # wrong check digit
        client = CLIENTS[request % len(CLIENTS)]
        for _ in range(1 + request % 3):
            if len(rows) >= n:
                break
            i += 1
            rows.append([
                41000 + request if request % 2 else None,
                f"SOL-{request:05d}",
                int(cnpj) if request % 3 == 0 and cnpj.isdigit() else mask(cnpj),
                client,
                f"Contato {request}",
                f"contato{request}@cliente{request % 97}.com.br",
                f"(11) 9{8000 + request % 1000:04d}-{i % 10000:04d}",
                "01310-100", "Av. Paulista", str(1000 + request % 900), "", "Bela Vista", "São Paulo", "SP",
                f"BE4200TH{i:06d}",
                DEFECTS[i % len(DEFECTS)],
                "", "",
                f"CH-{request}" if "SODEXO" in client else "",
                "Sim" if i % 11 == 0 else "Não",
                "X" if i % 37 == 0 else "",
            ])
    return rows


def make_workbook(path: Path, n: int = 10_000) -> Path:
    import openpyxl

    # Not write_only: that mode stores inline strings, Excel writes shared strings.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chamados"
    ws.append(["Abertura de O.S. — clientes corporativos"])
    ws.append(HEADERS)
    for row in make_rows(n):
        ws.append(row)
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> None:
    from rpa.cli.validate import validate_command
    from rpa.io.catalog_files import rule_config
    from rpa.io.spreadsheet_in import read_spreadsheet
    from rpa.procedure.validation import READY, validation_rows
    from rpa.settings import Settings

    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = make_workbook(Path(tmp) / "bench.xlsx", n)
        config = rule_config(Settings())  # the catalogue, loaded once as `rpa validate` does
        validation_rows(read_spreadsheet(make_workbook(Path(tmp) / "warm.xlsx", 50)), config)  # imports

        t0, c0 = time.perf_counter(), time.process_time()
        sheet = read_spreadsheet(path)
        t1, c1 = time.perf_counter(), time.process_time()
        items = validation_rows(sheet, config)
        t2, c2 = time.perf_counter(), time.process_time()
        with redirect_stdout(io.StringIO()):
            validate_command(path, json_out=True, sheet=None)
        t3, c3 = time.perf_counter(), time.process_time()

    ready = sum(1 for i in items if i["status"] == READY)
    rows = len(sheet.rows)
    # CPU seconds as well: on a busy machine the wall clock measures the neighbours too.
    print(f"linhas: {rows} (prontas {ready}, com outcome {len(items) - ready})")
    print(f"leitura da planilha:          {t1 - t0:6.2f} s  (CPU {c1 - c0:5.2f} s)")
    print(f"validação + regras:           {t2 - t1:6.2f} s  (CPU {c2 - c1:5.2f} s)")
    print(f"rpa validate --json (total):  {t3 - t2:6.2f} s  (CPU {c3 - c2:5.2f} s)  ->  "
          f"{rows / (t3 - t2):,.0f} linhas/s  (alvo: < 5 s)")


if __name__ == "__main__":
    main()
