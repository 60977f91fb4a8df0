"""The workbook belongs to the operator: what someone else changed during the run is kept, a
symlink stays a link, a .xls never overwrites an unrelated file, a CSV of any extension gets
CSV back, a missing --output folder is created, a lock file appearing mid-run is honoured."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.io.spreadsheet_out import ResultWriter, RowResult, safe_sheet_title
from rpa.procedure.row_identity import sheet_identities
from rpa.runtime.recording import request_slug
from tests.corpus.builders import STANDARD_HEADERS, good_row, write_csv, write_xls, write_xlsx

OK = RowResult(status="OK", os_number="2026000200", processed_at=dt.datetime(2026, 11, 28, 14, 5))
LATER = RowResult(status="OK", os_number="2026000201", processed_at=dt.datetime(2026, 11, 28, 14, 6))


def two_rows() -> list[dict[str, object]]:
    return [good_row(**{"Solicitação": "S-1", "Número de Série": "A1"}),
            good_row(**{"Solicitação": "S-2", "Número de Série": "B2"})]


def ids(path: Path) -> list[str]:
    return list(sheet_identities(read_spreadsheet(path)).values())


def test_a_cell_changed_during_the_run_is_not_reverted(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, two_rows())
    first, second = ids(path)
    writer = ResultWriter(path)
    writer.write({first: OK})
    wb = openpyxl.load_workbook(path)  # someone edits the file between two writes
    ws = wb.worksheets[0]
    ws["P3"] = "Não liga (corrigido)"
    ws.insert_rows(2)                  # and inserts a row on top
    ws["B2"], ws["O2"], ws["P2"] = "S-9", "C3", "nova"
    wb.save(path)
    writer.write({second: LATER})
    rows = {r.values["Solicitação"]: r.values for r in read_spreadsheet(path).rows}
    assert rows["S-2"]["Defeito"] == "Não liga (corrigido)" and rows["S-2"]["Nº O.S."] == "2026000201"
    assert rows["S-1"]["Nº O.S."] == "2026000200" and rows["S-9"]["Nº O.S."] == ""


def test_a_lock_file_appearing_mid_run_is_honoured(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, two_rows())
    first, second = ids(path)
    writer = ResultWriter(path)
    assert writer.write({first: OK}) == path
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    before = path.read_bytes()
    out = writer.write({second: LATER})
    assert out != path and out.name.startswith("a.resultado-") and path.read_bytes() == before
    assert [r.values["Nº O.S."] for r in read_spreadsheet(out).rows] == ["2026000200", "2026000201"]


def test_a_symlink_is_written_through(tmp_path):
    real = write_xlsx(tmp_path / "real.xlsx", STANDARD_HEADERS, two_rows())
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    ResultWriter(link).write({ids(link)[0]: OK})
    assert link.is_symlink() and read_spreadsheet(real).rows[0].values["Nº O.S."] == "2026000200"


def test_xls_never_writes_into_an_unrelated_xlsx(tmp_path):
    xls = write_xls(tmp_path / "clientes.xls", STANDARD_HEADERS, two_rows())
    other = write_xlsx(tmp_path / "clientes.resultado-rpa.xlsx", ["Outra", "Coisa", "Qualquer"], [["1", "2", "3"]],
                       raw=True)
    untouched = other.read_bytes()
    out = ResultWriter(xls).write({ids(xls)[0]: OK})
    assert out not in (other, xls) and other.read_bytes() == untouched
    assert read_spreadsheet(out).rows[0].values["Nº O.S."] == "2026000200"


def test_xls_content_named_xlsx_gets_a_sibling(tmp_path):
    path = write_xls(tmp_path / "disfarce.xls", STANDARD_HEADERS, two_rows()).rename(tmp_path / "disfarce.xlsx")
    before = path.read_bytes()
    out = ResultWriter(path).write({ids(path)[0]: OK})
    assert out == tmp_path / "disfarce.resultado-rpa.xlsx" and path.read_bytes() == before


def test_txt_csv_gets_csv_back_with_its_delimiter_encoding_and_cr_endings(tmp_path):
    path = write_csv(tmp_path / "export.txt", STANDARD_HEADERS, two_rows(), delimiter="|", encoding="cp1252",
                     newline="\r")
    out = ResultWriter(path).write({ids(path)[1]: OK})
    data = out.read_bytes()
    assert out == path and not data.startswith(b"PK") and b"\n" not in data and data.count(b"\r") == 3
    assert "Razão".encode("cp1252") in data and b"|OK|2026000200|" in data


def test_output_into_a_missing_folder_is_created(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, two_rows())
    out = ResultWriter(path, output=tmp_path / "novo" / "pasta" / "saida.xlsx").write({ids(path)[0]: OK})
    assert out == tmp_path / "novo" / "pasta" / "saida.xlsx" and read_spreadsheet(out).rows[0].values["Status RPA"]


def test_sheet_titles():
    assert safe_sheet_title("clientes[1]") == "clientes_1_"
    assert safe_sheet_title("'") == "Planilha"
    assert len(safe_sheet_title("x" * 80)) == 31
    assert safe_sheet_title("Dados", taken={"dados"}) == "Dados (2)"


def test_recording_names_unique_and_bounded():
    names = {request_slug(k) for k in ("sol:SOL 1", "sol:SOL/1", "sol:SOL_1", "sol:SOL_1 ")}
    assert len(names) == 4
    assert all(len(n) <= 60 for n in names | {request_slug("sol:" + "x" * 500)})


def test_csv_with_an_unclosed_quote_is_not_rewritten(tmp_path):
    path = write_csv(tmp_path / "q.csv", STANDARD_HEADERS, two_rows(), encoding="utf-8")
    path.write_bytes(path.read_bytes().replace(b";S-2;", b';"S-2;'))
    before = path.read_bytes()
    sheet = read_spreadsheet(path)
    assert sheet.unclosed_quote
    out = ResultWriter(path).write({ids(path)[0]: OK})
    assert out != path and out.name.startswith("q.resultado-") and path.read_bytes() == before
