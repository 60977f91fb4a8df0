"""`rpa validate FILE [--json]`: through typer's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rpa.cli import app
from rpa.outcomes import Outcome
from tests.corpus.builders import (
    NEXTEL_CNPJ,
    SODEXO_CNPJ,
    STANDARD_HEADERS,
    good_row,
    messy_xlsx,
    write_csv,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[2]


def serial(n: int) -> dict[str, str]:
    return {"Número de Série": f"BE4200TH{n:06d}"}


@pytest.fixture()
def mixed(tmp_path) -> Path:
    """One file with every outcome `validate` can decide."""
    rows = [
        good_row(Ticket="41001", **serial(1)),                                            # 2 PRONTO
        good_row(Ticket="41001", **serial(2), Defeito="LED piscando", Cortesia="Sim"),    # 3 PRONTO
        good_row(CNPJ="11.222.333/0001-80", **serial(3)),                                 # 4 CNPJ
        good_row(CNPJ=SODEXO_CNPJ, **{"Razão Social": "SODEXO DO BRASIL COMERCIAL S.A."}, **serial(4)),  # 5 R14
        *[good_row(**{"Solicitação": "S-6"}, CNPJ=NEXTEL_CNPJ, **{"Razão Social": "NEXTEL"}, **serial(10 + i))
          for i in range(6)],                                                             # 6-11 R13
        good_row(Defeito="pedido de bobinas", **serial(30)),                              # 12 R3
    ]
    return write_xlsx(tmp_path / "mixed.xlsx", STANDARD_HEADERS, rows, title_rows=[["Chamados de novembro"]])


def by_row(items: list[dict]) -> dict[int, dict]:
    return {i["row"]: i for i in items}


class TestJson:
    """--json prints one array with row, request, status, message."""

    def test_every_row_reported(self, mixed):
        """Planned outcome or the error for each row, keyed by spreadsheet row number."""
        result = CliRunner().invoke(app, ["validate", str(mixed), "--json"])
        assert result.exit_code == 0, result.output
        items = json.loads(result.stdout)
        assert all(set(i) == {"row", "request", "status", "message"} for i in items)
        rows = by_row(items)
        assert sorted(rows) == [3, 4, 5, 6, *range(7, 13), 13]
        assert rows[3]["status"] == "PRONTO" and rows[3]["request"] == "ticket:41001"
        assert "Manutenção on site › Corretiva" in rows[3]["message"]
        assert rows[4]["status"] == "PRONTO" and "Cortesia" in rows[4]["message"]
        assert rows[5]["status"] == Outcome.DADOS_INVALIDOS and rows[5]["message"].startswith("Linha 5, coluna CNPJ:")
        assert rows[6]["status"] == Outcome.DADOS_INVALIDOS and "Número Referência" in rows[6]["message"]
        assert {rows[n]["status"] for n in range(7, 13)} == {Outcome.ESCALADO_GESTOR}
        assert {rows[n]["request"] for n in range(7, 13)} == {"sol:S-6"}
        assert rows[13]["status"] == Outcome.DADOS_INVALIDOS and "catálogo de defeitos" in rows[13]["message"]

    def test_messy_corpus_file(self, tmp_path):
        """The messy workbook validates; its SODEXO row lacks Número Referência."""
        result = CliRunner().invoke(app, ["validate", str(messy_xlsx(tmp_path / "m.xlsx")), "--json"])
        rows = by_row(json.loads(result.stdout))
        assert result.exit_code == 0 and sorted(rows) == [5, 7]
        assert rows[5]["status"] == Outcome.DADOS_INVALIDOS and "Número Referência" in rows[5]["message"]
        assert rows[7]["status"] == "PRONTO"

    def test_csv(self, tmp_path):
        """A ';' Windows-1252 CSV works the same."""
        path = write_csv(tmp_path / "a.csv", STANDARD_HEADERS, [good_row(**{"Razão Social": "AÇOUGUE SÃO JOÃO"})])
        result = CliRunner().invoke(app, ["validate", str(path), "--json"])
        assert json.loads(result.stdout)[0]["status"] == "PRONTO"


class TestTable:
    """Without --json: a table and a summary."""

    def test_table_and_summary(self, mixed):
        """Rows, statuses and the count per outcome."""
        result = CliRunner().invoke(app, ["validate", str(mixed)])
        assert result.exit_code == 0
        assert Outcome.ESCALADO_GESTOR in result.stdout and "PRONTO" in result.stdout
        assert "11 linha(s) em 5 solicitação(ões): 2 pronta(s), 3 DADOS_INVALIDOS, 6 ESCALADO_GESTOR." in \
            " ".join(result.stdout.split())


class TestErrors:
    """Exit 2 with a pt-BR message when the file cannot be read."""

    def test_unreadable(self, tmp_path):
        """Missing columns: exit 2, the message names them, nothing on stdout."""
        path = write_xlsx(tmp_path / "bad.xlsx", ["Ticket", "CNPJ", "Razão Social"], [good_row()])
        result = CliRunner().invoke(app, ["validate", str(path), "--json"])
        assert result.exit_code == 2
        assert "Faltam colunas obrigatórias" in result.stderr and "Defeito" in result.stderr
        assert result.stdout == ""

    def test_sheet_option(self, tmp_path):
        """--sheet names the sheet to read."""
        other = [STANDARD_HEADERS, [good_row(**serial(7))[h] for h in STANDARD_HEADERS]]
        path = write_xlsx(tmp_path / "s.xlsx", ["x", "y"], [["a", "b"]], raw=True, other_sheets={"Dados": other})
        assert CliRunner().invoke(app, ["validate", str(path), "--json"]).exit_code == 2
        result = CliRunner().invoke(app, ["validate", str(path), "--json", "--sheet", "Dados"])
        assert result.exit_code == 0 and json.loads(result.stdout)[0]["row"] == 2


class TestSubprocess:
    """The installed entry point, as a scheduler would call it."""

    def test_rpa_validate_json(self, mixed):
        """`python -m rpa.cli validate FILE --json` prints valid JSON and exits 0."""
        proc = subprocess.run([sys.executable, "-m", "rpa.cli", "validate", str(mixed), "--json"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert len(json.loads(proc.stdout)) == 11

    def test_missing_file_exit_2(self, tmp_path):
        """A file that does not exist: exit 2, message on stderr."""
        proc = subprocess.run([sys.executable, "-m", "rpa.cli", "validate", str(tmp_path / "nada.xlsx")], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and "não encontrado" in proc.stderr


class TestLargeFile:
    """10,000 rows (generated here, not committed) are read and validated completely."""

    def test_ten_thousand_rows(self, tmp_path):
        """Every row gets a status; the generated invalid CNPJs are reported."""
        from bench.validate_bench import make_workbook

        path = make_workbook(tmp_path / "big.xlsx", 10_000)
        result = CliRunner().invoke(app, ["validate", str(path), "--json"])
        items = json.loads(result.stdout)
        assert result.exit_code == 0 and len(items) == 10_000
        assert items[0]["row"] == 3 and items[-1]["row"] == 10_002
        invalid = [i for i in items if i["status"] != "PRONTO"]
        assert invalid and all("coluna CNPJ" in i["message"] for i in invalid)
