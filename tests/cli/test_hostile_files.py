"""Hostile operators' files, each generated here: `rpa validate` (a real subprocess, limited to
1.5 GB of address space and 60 s) never prints a traceback; a bad cell is that row's error
naming row, column and what to fix, and every other row still reads."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.corpus.builders import STANDARD_HEADERS, good_row, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 1536 * 1024 * 1024


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def validate(path: Path, *args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "rpa.cli", "validate", str(path), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, preexec_fn=_limits,
                          env={**os.environ, "COLUMNS": "250"})
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
    return proc.returncode, proc.stdout, proc.stderr


def items(path: Path, *args: str) -> dict[int, dict]:
    code, out, err = validate(path, "--json", *args)
    assert code == 0, err
    return {i["row"]: i for i in json.loads(out)}


def rows3(**middle: object) -> list[dict[str, object]]:
    """Three requests; the middle one (row 3) carries ``middle``."""
    return [good_row(**{"Solicitação": f"S-{i}", "Número de Série": f"SER{i}", **(middle if i == 2 else {})})
            for i in (1, 2, 3)]


def assert_only_row_3_fails(found: dict[int, dict], column: str, fragment: str) -> None:
    assert found[2]["status"] == found[4]["status"] == "PRONTO", found
    assert found[3]["status"] == "DADOS_INVALIDOS"
    assert found[3]["message"].startswith(f"Linha 3, coluna {column}: "), found[3]
    assert fragment in found[3]["message"], found[3]


class TestCells:
    def test_a_1mb_csv_cell_is_that_rows_error(self, tmp_path):
        path = write_csv(tmp_path / "big.csv", STANDARD_HEADERS, rows3(Defeito="x" * 1_048_576))
        assert_only_row_3_fails(items(path), "Defeito", "tem 1048576 caracteres; o máximo é 32767")

    def test_control_characters_wherever_they_are(self, tmp_path):
        path = write_csv(tmp_path / "ctl.csv", STANDARD_HEADERS, rows3(Defeito="ECF\x07 inoperante\x08"),
                         encoding="utf-8")
        assert_only_row_3_fails(items(path), "Defeito", "caracteres de controle invisíveis (U+0007, U+0008)")

    def test_a_nul_late_in_the_file_is_a_row_error_not_a_file_error(self, tmp_path):
        rows = [good_row(**{"Solicitação": f"S-{i}", "Número de Série": f"SER{i}"}) for i in range(1, 80)]
        rows[78]["Defeito"] = "ECF\x00 inoperante"
        found = items(write_csv(tmp_path / "nul.csv", STANDARD_HEADERS, rows))
        assert found[80]["status"] == "DADOS_INVALIDOS" and "U+0000" in found[80]["message"]
        assert all(found[n]["status"] == "PRONTO" for n in range(2, 80))

    def test_a_stray_byte_does_not_redecode_the_file(self, tmp_path):
        path = write_csv(tmp_path / "cp.csv", STANDARD_HEADERS, rows3(Defeito="ECF – “inoperante” @@"))
        path.write_bytes(path.read_bytes().replace(b"@@", b"\x81"))
        found = items(path)
        assert_only_row_3_fails(found, "Defeito", "não pôde ser lido")
        code, out, _ = validate(path, "--json")
        assert "–" not in out  # row 3's own text is reported, not re-decoded elsewhere
        assert found[2]["status"] == "PRONTO"

    def test_unterminated_quote_reported_on_its_row(self, tmp_path):
        path = write_csv(tmp_path / "q.csv", STANDARD_HEADERS, rows3(Defeito="@@ECF inoperante"), encoding="utf-8")
        path.write_bytes(path.read_bytes().replace(b"@@", b'"'))
        found = items(path)
        assert found[2]["status"] == "PRONTO"
        assert found[3]["status"] == "DADOS_INVALIDOS" and "aspa" in found[3]["message"]
        assert found[3]["message"].startswith("Linha 3, coluna Solicitação:")

    def test_excel_rounded_serial(self, tmp_path):
        path = write_xlsx(tmp_path / "n.xlsx", STANDARD_HEADERS, rows3(**{"Número de Série": 123456789012345678}))
        assert_only_row_3_fails(items(path), "Número de Série", "o Excel arredondou o número: formate a coluna "
                                                                "como Texto")

    def test_rows_under_a_merged_cell_take_its_value(self, tmp_path):
        import openpyxl

        path = write_xlsx(tmp_path / "merged.xlsx", STANDARD_HEADERS,
                          [good_row(**{"Solicitação": "S-1", "Número de Série": f"SER{i}"}) for i in range(3)])
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        for r in (3, 4):
            ws.cell(r, 3).value = None   # CNPJ typed once, merged over the request's rows
        ws.merge_cells("C2:C4")
        wb.save(path)
        found = items(path)
        assert [found[n]["status"] for n in (2, 3, 4)] == ["PRONTO"] * 3, found

    def test_zero_width_characters_stripped(self, tmp_path):
        rows = rows3(**{"Número de Série": "\u200bSER2\ufeff"}) + [good_row(**{"Solicitação": "\u200b"})]
        found = items(write_xlsx(tmp_path / "zw.xlsx", STANDARD_HEADERS, rows))
        assert [found[n]["status"] for n in (2, 3, 4)] == ["PRONTO"] * 3
        assert "\u200b" not in json.dumps(found, ensure_ascii=False)

    def test_markup_in_cells_is_printed_as_text(self, tmp_path):
        path = write_xlsx(tmp_path / "m.xlsx", STANDARD_HEADERS,
                          rows3(CNPJ="[/x] [link=http://evil.example]11.222.333/0001-81[/link]"))
        code, out, err = validate(path)
        assert code == 0, err
        assert "[/x]" in out and "[link=http://evil.example]" in out


class TestFiles:
    def test_zip_bomb_refused_before_parsing(self, tmp_path):
        path = write_xlsx(tmp_path / "bomb.xlsx", STANDARD_HEADERS, rows3())
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z, z.open("xl/media/pad.bin", "w") as f:
            chunk = b"\0" * (16 * 1024 * 1024)
            for _ in range(20):  # 320 MB inflated, well under 1 MB on disk
                f.write(chunk)
        assert path.stat().st_size < 2 * 1024 * 1024
        code, _, err = validate(path)
        assert code == 2 and "descompactada" in err and "bomb.xlsx" in err

    def test_fifo_refused_at_once(self, tmp_path):
        fifo = tmp_path / "x.csv"
        os.mkfifo(fifo)
        code, _, err = validate(fifo)
        assert code == 2 and "não é um arquivo comum" in err

    def test_hidden_first_sheet_is_not_the_default(self, tmp_path):
        import openpyxl

        path = write_xlsx(tmp_path / "h.xlsx", STANDARD_HEADERS, rows3(), sheet="Dados",
                          other_sheets={"Instruções": [["Preencha a aba Dados"]]})
        wb = openpyxl.load_workbook(path)
        wb.move_sheet("Instruções", offset=-1)
        wb["Instruções"].sheet_state = "hidden"
        wb.active = 1
        wb.save(path)
        assert set(items(path)) == {2, 3, 4}

    def test_instructions_first_names_the_visible_sheets_and_sheet_option(self, tmp_path):
        import openpyxl

        path = write_xlsx(tmp_path / "i.xlsx", STANDARD_HEADERS, rows3(), sheet="Dados",
                          other_sheets={"Leia-me": [["Preencha a aba Dados"]]})
        wb = openpyxl.load_workbook(path)
        wb.move_sheet("Leia-me", offset=-1)
        wb.save(path)
        code, _, err = validate(path)
        assert code == 2 and "Leia-me, Dados" in err and "--sheet" in err
        assert set(items(path, "--sheet", "Dados")) == {2, 3, 4}

    def test_duplicate_headers(self, tmp_path):
        headers = [*STANDARD_HEADERS, "CNPJ"]
        empty_first = [{**r, "CNPJ": ""} for r in rows3()]
        path = write_xlsx(tmp_path / "d.xlsx", headers, [[*[r[h] for h in STANDARD_HEADERS], "11.222.333/0001-81"]
                                                          for r in empty_first], raw=True)
        assert [i["status"] for i in items(path).values()] == ["PRONTO"] * 3
        both = write_xlsx(tmp_path / "d2.xlsx", headers, [[*[r[h] for h in STANDARD_HEADERS], "11.222.333/0001-81"]
                                                           for r in rows3()], raw=True)
        code, _, err = validate(both)
        assert code == 2 and 'C ("CNPJ") e W ("CNPJ")' in err

    def test_encrypted_workbook_named_xls(self, tmp_path):
        path = tmp_path / "senha.xls"
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
        path.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1024)
        code, _, err = validate(path)
        assert code == 2 and "protegida por senha" in err


@pytest.mark.parametrize("name", ["clientes[1].csv", "a:b*c?.csv", "'aspas'.csv", "x" * 60 + ".csv"])
def test_any_file_name_gives_a_valid_sheet_title(tmp_path, name):
    from rpa.io.spreadsheet_in import read_spreadsheet
    from rpa.io.spreadsheet_out import ResultWriter, RowResult
    from rpa.procedure.row_identity import sheet_identities

    path = write_csv(tmp_path / name, STANDARD_HEADERS, rows3(Defeito="tem \x07 controle"))
    ids = sheet_identities(read_spreadsheet(path))
    out = ResultWriter(path, output=tmp_path / "out.xlsx").write({ids[2]: RowResult(status="OK", os_number="1")})
    sheet = read_spreadsheet(out)
    assert sheet.rows[0].values["Nº O.S."] == "1" and sheet.rows[1].values["Defeito"] == "tem controle"


class TestLimits:
    def test_millions_of_tiny_csv_cells_refused_without_exhausting_memory(self, tmp_path):
        path = write_csv(tmp_path / "wide.csv", STANDARD_HEADERS, rows3())
        path.write_bytes(path.read_bytes() + b"a;" * 15_000_000)   # 30 MB of one-letter cells
        code, _, err = validate(path)
        assert code == 2 and "células" in err

    def test_too_many_rows(self, tmp_path):
        path = write_csv(tmp_path / "long.csv", STANDARD_HEADERS, rows3())
        path.write_bytes(path.read_bytes() + b"x\r\n" * 120_000)
        code, _, err = validate(path)
        assert code == 2 and "mais de 50000 linhas" in err
