"""Writing results back: round trips keep the workbook, reruns update in place, writes are safe."""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.io.spreadsheet_out import ResultWriter, RowResult
from rpa.procedure.columns import RESULT_COLUMNS
from rpa.procedure.row_identity import sheet_identities
from tests.corpus.builders import STANDARD_HEADERS, good_row, write_csv, write_xls, write_xlsx

OK = RowResult(status="OK", os_number="2026000200", ticket_status="Em espera", message="O.S. aberta.",
               processed_at=dt.datetime(2026, 11, 28, 14, 5))
PENDING = RowResult(status="CADASTRO_PENDENTE", ticket="41077", ticket_status="Em espera", message="Book enviado.",
                    deadline=dt.date(2026, 12, 1), processed_at=dt.datetime(2026, 11, 28, 14, 6),
                    recording="rec/3.webm")


def styled_workbook(path: Path) -> Path:
    """Title row, styled header, 2 data rows, a formula, a second sheet, a custom width."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chamados"
    ws["A1"] = "Abertura de O.S."
    ws["A1"].font = Font(size=16, bold=True)
    ws.merge_cells("A1:D1")
    for c, h in enumerate(STANDARD_HEADERS, start=1):
        cell = ws.cell(2, c, h)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
    for r, serial in ((3, "S1"), (4, "S2")):
        values = good_row(**{"Número de Série": serial, "Ticket": 41001 if r == 3 else ""})
        for c, h in enumerate(STANDARD_HEADERS, start=1):
            if values[h] != "":
                ws.cell(r, c, values[h])
    ws["B3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["D"].width = 42
    ws.cell(6, 1, "Total")
    ws.cell(6, 2, "=COUNTA(O3:O4)")
    other = wb.create_sheet("Resumo")
    other["A1"] = "Gerado em"
    other["B1"] = "=TODAY()"
    wb.save(path)
    return path


def by_row(path: Path, results: dict[int, RowResult]) -> dict[str, RowResult]:
    """Results keyed by the identity of the rows at these numbers in the file as it is now."""
    ids = sheet_identities(read_spreadsheet(path))
    return {ids[n]: r for n, r in results.items()}


def header_map(ws, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value}


class TestXlsxRoundTrip:
    """Everything else in the workbook survives."""

    @pytest.fixture()
    def written(self, tmp_path):
        path = styled_workbook(tmp_path / "chamados.xlsx")
        out = ResultWriter(path).write(by_row(path, {3: OK, 4: PENDING}))
        return path, out

    def test_results_appended_once_after_last_column(self, written):
        """Result columns after the input's last column; 'Ticket' reuses the input's Ticket column."""
        path, out = written
        assert out == path
        ws = openpyxl.load_workbook(path)["Chamados"]
        headers = header_map(ws, 2)
        assert headers["Ticket"] == 1 and list(headers).count("Ticket") == 1
        first_new = len(STANDARD_HEADERS) + 1
        assert [headers[c] for c in RESULT_COLUMNS if c != "Ticket"] == list(range(first_new, first_new + 7))
        assert ws.cell(3, headers["Status RPA"]).value == "OK"
        assert ws.cell(3, headers["Nº O.S."]).value == "2026000200"
        assert ws.cell(3, headers["Processado em"]).value == "28/11/2026 14:05"
        assert ws.cell(4, headers["Prazo Retorno"]).value == "01/12/2026"
        assert ws.cell(4, headers["Gravação"]).value == "rec/3.webm"
        assert ws.cell(4, 1).value == "41077"          # ticket the bot created
        assert ws.cell(3, 1).value == 41001            # input ticket untouched

    def test_styles_widths_formulas_sheets_merges_kept(self, written):
        """Fonts, fills, widths, formulas in other cells, other sheets, merged title."""
        path, _ = written
        wb = openpyxl.load_workbook(path)
        ws = wb["Chamados"]
        assert ws["A1"].font.size == 16 and "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
        assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("1F4E78")
        assert ws["B3"].fill.fgColor.rgb.endswith("FFFF00")
        assert ws.column_dimensions["D"].width == 42
        assert ws["B6"].value == "=COUNTA(O3:O4)"
        assert wb["Resumo"]["B1"].value == "=TODAY()"
        new_header = ws.cell(2, len(STANDARD_HEADERS) + 1)
        assert new_header.font.bold and new_header.fill.fgColor.rgb.endswith("1F4E78")

    def test_backup_made_once_before_first_write(self, tmp_path):
        """The original is copied beside it once; later writes do not make more copies."""
        path = styled_workbook(tmp_path / "chamados.xlsx")
        original = path.read_bytes()
        writer = ResultWriter(path)
        writer.write(by_row(path, {3: OK}))
        writer.write(by_row(path, {4: PENDING}))
        backups = list(tmp_path.glob("chamados.backup-*.xlsx"))
        assert len(backups) == 1 and backups[0].read_bytes() == original
        assert writer.backup_path == backups[0]

    def test_writes_accumulate(self, tmp_path):
        """Rows finished at different times all end up in the file."""
        path = styled_workbook(tmp_path / "chamados.xlsx")
        writer = ResultWriter(path)
        writer.write(by_row(path, {3: OK}))
        writer.write(by_row(path, {4: PENDING}))
        sheet = read_spreadsheet(path)
        assert [r.values["Status RPA"] for r in sheet.rows[:2]] == ["OK", "CADASTRO_PENDENTE"]

    def test_rerun_updates_in_place(self, written):
        """A second run (new writer on the written file) finds the columns and does not duplicate them."""
        path, _ = written
        retry = RowResult(status="ERRO_SISTEMA", message="Workfinity fora do ar")
        ResultWriter(path).write(by_row(path, {3: retry}))
        ws = openpyxl.load_workbook(path)["Chamados"]
        headers = [c.value for c in ws[2] if c.value]
        assert all(headers.count(c) == 1 for c in RESULT_COLUMNS)
        h = header_map(ws, 2)
        assert ws.cell(3, h["Status RPA"]).value == "ERRO_SISTEMA"
        assert ws.cell(3, h["Nº O.S."]).value is None          # cleared: this run's result has none
        assert ws.cell(4, h["Status RPA"]).value == "CADASTRO_PENDENTE"  # untouched row kept

    def test_no_ticket_column_gets_one(self, tmp_path):
        """Input without Ticket: 'Ticket' is appended with the other result columns."""
        headers = [h for h in STANDARD_HEADERS if h != "Ticket"]
        path = write_xlsx(tmp_path / "t.xlsx", headers, [good_row()])
        ResultWriter(path).write(by_row(path, {2: PENDING}))
        sheet = read_spreadsheet(path)
        assert sheet.rows[0].values["Ticket"] == "41077" and sheet.positions["Ticket"] > len(headers)


class TestFormulaInjection:
    """Text that looks like a formula is stored as text."""

    @pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"clique\")", "+5511999", "-1", "@SUM(A1)"])
    def test_xlsx(self, tmp_path, text):
        """The cell is a string cell (quote prefix), never a formula."""
        path = write_xlsx(tmp_path / "f.xlsx", STANDARD_HEADERS, [good_row()])
        ResultWriter(path).write(by_row(path, {2: RowResult(status="DADOS_INVALIDOS", message=text)}))
        ws = openpyxl.load_workbook(path).active
        cell = ws.cell(2, header_map(ws, 1)["Mensagem RPA"])
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
        with zipfile.ZipFile(path) as z:
            assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")

    def test_csv(self, tmp_path):
        """CSV cells get an apostrophe so Excel does not evaluate them."""
        path = write_csv(tmp_path / "f.csv", STANDARD_HEADERS, [good_row()])
        ResultWriter(path).write(by_row(path, {2: RowResult(status="DADOS_INVALIDOS", message="=1+1")}))
        assert ";'=1+1;" in path.read_text(encoding="cp1252")


class TestCsv:
    """CSV rewritten with its own delimiter, encoding, BOM and line endings."""

    def test_semicolon_cp1252_crlf(self, tmp_path):
        """Accents in cp1252 survive, ';' kept, CRLF kept, title row kept."""
        path = write_csv(tmp_path / "a.csv", STANDARD_HEADERS, [good_row(**{"Razão Social": "AÇOUGUE SÃO JOÃO"})],
                         title_rows=[["Planilha"]])
        ResultWriter(path).write(by_row(path, {3: PENDING}))
        raw = path.read_bytes()
        text = raw.decode("cp1252")
        assert text.startswith("Planilha\r\n") and "\r\n" in text and "\n" not in text.replace("\r\n", "")
        assert "AÇOUGUE SÃO JOÃO" in text and "Prazo Retorno" in text and "01/12/2026" in text
        sheet = read_spreadsheet(path)
        assert (sheet.csv_delimiter, sheet.csv_encoding) == (";", "cp1252")
        assert sheet.rows[0].values["Status RPA"] == "CADASTRO_PENDENTE" and sheet.rows[0].values["Ticket"] == "41077"

    def test_comma_utf8_bom_lf_and_rerun(self, tmp_path):
        """',' UTF-8 with BOM and LF; a rerun does not add columns."""
        path = write_csv(tmp_path / "b.csv", STANDARD_HEADERS, [good_row()], delimiter=",", encoding="utf-8-sig",
                         newline="\n")
        ResultWriter(path).write(by_row(path, {2: OK}))
        ResultWriter(path).write(by_row(path, {2: OK}))
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        header = raw.decode("utf-8-sig").splitlines()[0].split(",")
        assert header.count("Status RPA") == 1 and len(header) == len(STANDARD_HEADERS) + 7


class TestTargets:
    """Where the results go."""

    def test_output_copy_leaves_source_alone(self, tmp_path):
        """--output: the source is untouched and no backup is made."""
        path = styled_workbook(tmp_path / "in.xlsx")
        before = path.read_bytes()
        out = ResultWriter(path, output=tmp_path / "out.xlsx").write(by_row(path, {3: OK}))
        assert out == tmp_path / "out.xlsx" and path.read_bytes() == before
        assert not list(tmp_path.glob("*.backup-*"))
        assert read_spreadsheet(out).rows[0].values["Status RPA"] == "OK"

    def test_read_only_target_goes_to_sibling(self, tmp_path, caplog):
        """A read-only file is not replaced: a sibling copy gets the results and a pt-BR warning is logged."""
        path = styled_workbook(tmp_path / "ro.xlsx")
        before = path.read_bytes()
        os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        try:
            out = ResultWriter(path).write(by_row(path, {3: OK}))
        finally:
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        assert out != path and out.name.startswith("ro.resultado-") and out.suffix == ".xlsx"
        assert path.read_bytes() == before
        assert "somente leitura" in caplog.text
        assert read_spreadsheet(out).rows[0].values["Status RPA"] == "OK"

    def test_file_open_in_excel_goes_to_sibling(self, tmp_path):
        """Excel's lock file '~$name' beside the workbook means it is open: write a sibling."""
        path = styled_workbook(tmp_path / "aberto.xlsx")
        (tmp_path / "~$aberto.xlsx").write_bytes(b"lock")
        out = ResultWriter(path).write(by_row(path, {3: OK}))
        assert out.name.startswith("aberto.resultado-")

    def test_xls_results_go_to_xlsx_beside_it(self, tmp_path):
        """.xls cannot be written: '<name>.xlsx' with every value, the results appended; rerun keeps them."""
        path = write_xls(tmp_path / "antigo.xls", STANDARD_HEADERS, [good_row(), good_row(**{"Número de Série": "S9"})])
        out = ResultWriter(path).write(by_row(path, {2: OK}))
        assert out == tmp_path / "antigo.resultado-rpa.xlsx"
        sheet = read_spreadsheet(out)
        assert sheet.rows[0].values["Status RPA"] == "OK" and sheet.rows[1].values["Número de Série"] == "S9"
        ResultWriter(path).write(by_row(path, {3: PENDING}))
        sheet = read_spreadsheet(out)
        assert [r.values["Status RPA"] for r in sheet.rows] == ["OK", "CADASTRO_PENDENTE"]


class TestAtomicity:
    """A failed save leaves the previous file whole and no temporary file behind."""

    def test_failure_mid_save(self, tmp_path, monkeypatch):
        """The workbook save blows up halfway: the original is intact."""
        path = styled_workbook(tmp_path / "a.xlsx")
        writer = ResultWriter(path)
        writer.write(by_row(path, {3: OK}))
        good = path.read_bytes()

        def broken_save(self, target):
            Path(target).write_bytes(b"half a file")
            raise OSError("disco cheio")

        monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
        with pytest.raises(OSError):
            writer.write(by_row(path, {4: PENDING}))
        assert path.read_bytes() == good
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("a.backup-")) == ["a.xlsx"]
