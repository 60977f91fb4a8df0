"""Reading input spreadsheets: formats, header detection, cell text, clear errors."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from rpa.errors import SpreadsheetError
from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.outcomes import Outcome
from tests.corpus.builders import (
    CATALOGS,
    PADARIA_CNPJ,
    STANDARD_HEADERS,
    ZERO_CNPJ,
    good_row,
    messy_xlsx,
    with_fields,
    write_csv,
    write_xls,
    write_xlsx,
)


class TestMessyWorkbook:
    """The messy .xlsx of the corpus reads as the operator meant it."""

    @pytest.fixture()
    def sheet(self, tmp_path):
        return read_spreadsheet(messy_xlsx(tmp_path / "messy.xlsx"))

    def test_header_found_below_title_rows(self, sheet):
        """Title rows (one merged across columns) are skipped: the header is row 4."""
        assert sheet.header_row == 4
        assert sheet.fmt == "xlsx" and sheet.sheet_name == "Abertura"

    def test_headers_match_case_accent_space_insensitively_with_aliases(self, sheet):
        """'  nº ticket ', 'cnpj/cpf', 'RAZAO SOCIAL', 'Série', 'Descrição do Problema' map to canonical names."""
        assert sheet.columns["Ticket"] == "nº ticket"
        assert sheet.columns["CNPJ"] == "cnpj/cpf"
        assert sheet.columns["Razão Social"] == "RAZAO SOCIAL"
        assert sheet.columns["Número de Série"] == "Série"
        assert sheet.columns["Defeito"] == "Descrição do Problema"

    def test_canonical_header_beats_alias_for_same_column(self, sheet):
        """'Celular' and 'Telefone' both name Telefone: the canonical one is used, the other kept as extra."""
        assert sheet.columns["Telefone"] == "Telefone"
        assert "Celular" in sheet.extra_positions

    def test_blank_rows_skipped_and_row_numbers_are_excel_numbers(self, sheet):
        """Row 6 is blank and skipped; numbers count the header and title rows."""
        assert [r.row_number for r in sheet.rows] == [5, 7]

    def test_numeric_cnpj_is_left_padded_to_14(self, sheet):
        """Excel stored the CNPJ as a number and dropped its leading zero."""
        assert sheet.rows[0].values["CNPJ"] == ZERO_CNPJ

    def test_numeric_serial_never_scientific(self, sheet):
        """A serial stored as a number reads back as its digits."""
        assert sheet.rows[0].values["Número de Série"] == "123456789012"

    def test_excel_dates_read_as_dd_mm_yyyy(self, sheet):
        """Dates in cells read as dd/mm/aaaa (with hh:mm when there is a time)."""
        assert sheet.rows[0].extra["Data da Ligação"] == "27/11/2026"
        assert sheet.rows[1].extra["Data da Ligação"] == "26/11/2026 14:30"

    def test_trailing_spaces_stripped(self, sheet):
        """Cell text loses surrounding spaces."""
        assert sheet.rows[0].values["Razão Social"] == "SODEXO DO BRASIL COMERCIAL S.A."
        assert sheet.rows[1].values["CNPJ"] == PADARIA_CNPJ

    def test_unknown_columns_kept_by_original_header(self, sheet):
        """Unknown columns are kept with their header text."""
        assert sheet.rows[0].extra["Observações do atendente"] == "cliente VIP"


class TestHeaderDetection:
    """The header is the first row naming at least three known columns."""

    def test_two_known_columns_are_not_a_header(self, tmp_path):
        """A title row that happens to contain 'CNPJ' and 'Cliente' is not taken for the header."""
        path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, [good_row()],
                          title_rows=[["CNPJ", "Cliente", None], ["Relatório"]])
        assert read_spreadsheet(path).header_row == 3

    def test_vertically_merged_header_cells_make_a_two_row_header(self, tmp_path):
        """'Ticket' merged over rows 1-2 while row 2 holds the address columns: data starts on row 3."""
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        top = ["Ticket", "CNPJ", "Razão Social", "Nome do Cliente", "E-mail", "Telefone", "Número de Série",
               "Defeito", "Endereço", None]
        bottom = [None] * 8 + ["CEP", "Número"]
        for c, v in enumerate(top, start=1):
            ws.cell(1, c, v)
        for c, v in enumerate(bottom, start=1):
            ws.cell(2, c, v)
        for c in range(1, 9):
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        ws.merge_cells("I1:J1")
        values = ["41001", PADARIA_CNPJ, "Padaria", "João", "j@x.com.br", "(11) 3333-4444", "S1", "LED piscando",
                  "01310-100", "10"]
        for c, v in enumerate(values, start=1):
            ws.cell(3, c, v)
        wb.save(tmp_path / "m.xlsx")
        sheet = read_spreadsheet(tmp_path / "m.xlsx")
        assert sheet.header_row == 2
        assert sheet.positions["CEP"] == 9 and sheet.positions["Número"] == 10
        assert [r.row_number for r in sheet.rows] == [3]
        assert sheet.rows[0].values["CEP"] == "01310-100" and sheet.rows[0].values["Ticket"] == "41001"

    def test_result_columns_are_read_back(self, tmp_path):
        """On a rerun the result columns are known columns ('Status RPA', 'Nº O.S.')."""
        headers = [*STANDARD_HEADERS, "Status RPA", "Nº O.S.", "Mensagem RPA"]
        row = good_row(**{"Status RPA": Outcome.OK, "Nº O.S.": "2026000123", "Mensagem RPA": "feito"})
        sheet = read_spreadsheet(write_xlsx(tmp_path / "r.xlsx", headers, [row]))
        assert sheet.rows[0].values["Status RPA"] == Outcome.OK
        assert sheet.rows[0].values["Nº O.S."] == "2026000123"

    def test_data_under_no_header_is_kept_by_column_letter(self, tmp_path):
        """A value in a column without header is not lost."""
        rows = [[*("" for _ in STANDARD_HEADERS), "nota solta"]]
        rows[0][:len(STANDARD_HEADERS)] = [good_row()[h] for h in STANDARD_HEADERS]
        path = write_xlsx(tmp_path / "x.xlsx", STANDARD_HEADERS, rows, raw=True)
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(len(STANDARD_HEADERS) + 1)
        assert read_spreadsheet(path).rows[0].extra[f"Coluna {letter}"] == "nota solta"


class TestWideStyledRows:
    """Cells formatted far to the right but empty."""

    def test_styled_empty_cells_do_not_widen_the_sheet(self, tmp_path):
        """A fill on XFD3 (last Excel column) adds no column and no extra value."""
        import openpyxl
        from openpyxl.styles import PatternFill

        path = write_xlsx(tmp_path / "w.xlsx", STANDARD_HEADERS, [good_row()])
        wb = openpyxl.load_workbook(path)
        wb.active.cell(2, 16384).fill = PatternFill("solid", fgColor="FFFF00")
        wb.save(path)
        from rpa.io.spreadsheet_in import _read_xlsx

        assert max(len(r) for r in _read_xlsx(path, None).rows) == len(STANDARD_HEADERS)  # not 16,384 cells
        sheet = read_spreadsheet(path)
        assert len(sheet.rows) == 1 and sheet.rows[0].extra == {}


class TestSheets:
    """Which sheet is read."""

    def test_first_sheet_by_default_and_named_sheet_on_request(self, tmp_path):
        """Default is the first sheet; --sheet picks another (case-insensitive)."""
        other = [STANDARD_HEADERS, [good_row(**{"Número de Série": "OUTRA"})[h] for h in STANDARD_HEADERS]]
        path = write_xlsx(tmp_path / "s.xlsx", STANDARD_HEADERS, [good_row()], other_sheets={"Outra Aba": other})
        assert read_spreadsheet(path).rows[0].values["Número de Série"] == "BE4200TH000123"
        assert read_spreadsheet(path, "outra aba").rows[0].values["Número de Série"] == "OUTRA"

    def test_missing_sheet_lists_the_sheets(self, tmp_path):
        """A sheet name that does not exist: the error lists the sheets there are."""
        path = write_xlsx(tmp_path / "s.xlsx", STANDARD_HEADERS, [good_row()])
        with pytest.raises(SpreadsheetError, match="Abas: Chamados"):
            read_spreadsheet(path, "Nenhuma")


class TestCsv:
    """CSV as Excel in Brazil writes it."""

    def test_semicolon_windows_1252(self, tmp_path):
        """';' and Windows-1252 are detected; accents survive."""
        path = write_csv(tmp_path / "a.csv", STANDARD_HEADERS, [good_row(**{"Razão Social": "AÇOUGUE SÃO JOÃO"})])
        sheet = read_spreadsheet(path)
        assert (sheet.csv_delimiter, sheet.csv_encoding) == (";", "cp1252")
        assert sheet.rows[0].values["Razão Social"] == "AÇOUGUE SÃO JOÃO"
        assert sheet.fmt == "csv"

    def test_comma_utf8_with_bom(self, tmp_path):
        """',' and UTF-8 with BOM; values containing ';' do not confuse the detection."""
        path = write_csv(tmp_path / "b.csv", STANDARD_HEADERS, [good_row(Defeito="LED piscando; urgente")],
                         delimiter=",", encoding="utf-8-sig")
        sheet = read_spreadsheet(path)
        assert (sheet.csv_delimiter, sheet.csv_encoding) == (",", "utf-8-sig")
        assert sheet.rows[0].values["Defeito"] == "LED piscando; urgente"
        assert sheet.columns["Ticket"] == "Ticket"  # the BOM is not part of the first header

    def test_plain_utf8(self, tmp_path):
        """UTF-8 without BOM is recognised as UTF-8."""
        path = write_csv(tmp_path / "c.csv", STANDARD_HEADERS, [good_row(**{"Nome do Cliente": "José Ção"})],
                         encoding="utf-8")
        sheet = read_spreadsheet(path)
        assert sheet.csv_encoding == "utf-8" and sheet.rows[0].values["Nome do Cliente"] == "José Ção"

    def test_title_rows_and_numeric_cnpj_without_zero(self, tmp_path):
        """Title lines above the header are skipped; a CNPJ that lost its zero is padded by the row model."""
        from rpa.procedure.rows import Row, parse_row

        path = write_csv(tmp_path / "d.csv", STANDARD_HEADERS, [good_row(CNPJ=ZERO_CNPJ.lstrip("0"))],
                         title_rows=[["Planilha de chamados"], []])
        sheet = read_spreadsheet(path)
        assert sheet.header_row == 3
        row = parse_row(sheet.rows[0], CATALOGS)
        assert isinstance(row, Row) and row.cnpj == ZERO_CNPJ


class TestXls:
    """Excel 97-2003 files through xlrd."""

    def test_xls_reads_text_numbers_and_dates(self, tmp_path):
        """Numbers lose their '.0', dates read as dd/mm/aaaa."""
        headers = [*STANDARD_HEADERS, "Data"]
        row = with_fields(Ticket=41002.0, **{"Número de Série": 98765, "Data": dt.date(2026, 11, 27)})
        sheet = read_spreadsheet(write_xls(tmp_path / "a.xls", headers, [row], title_rows=[["Título"]]))
        assert sheet.fmt == "xls" and sheet.header_row == 2
        values = sheet.rows[0].values
        assert values["Ticket"] == "41002" and values["Número de Série"] == "98765"
        assert sheet.rows[0].extra["Data"] == "27/11/2026"


class TestErrors:
    """Unreadable files fail with a pt-BR message that says what to fix."""

    def test_missing_required_columns_are_named(self, tmp_path):
        """The message names every missing required column."""
        headers = ["Ticket", "CNPJ", "Razão Social", "Nome do Cliente", "E-mail"]
        path = write_xlsx(tmp_path / "m.xlsx", headers, [good_row()])
        with pytest.raises(SpreadsheetError) as info:
            read_spreadsheet(path)
        assert "Telefone, Número de Série, Defeito" in str(info.value)
        assert info.value.context["missing"] == ["Telefone", "Número de Série", "Defeito"]

    def test_empty_file(self, tmp_path):
        """A 0-byte file."""
        (tmp_path / "e.xlsx").write_bytes(b"")
        with pytest.raises(SpreadsheetError, match="vazia"):
            read_spreadsheet(tmp_path / "e.xlsx")

    def test_empty_workbook(self, tmp_path):
        """A workbook whose sheet has no cells."""
        import openpyxl

        openpyxl.Workbook().save(tmp_path / "e.xlsx")
        with pytest.raises(SpreadsheetError, match="vazia"):
            read_spreadsheet(tmp_path / "e.xlsx")

    def test_header_without_data_rows(self, tmp_path):
        """Only the header: nothing to do is an error too."""
        path = write_xlsx(tmp_path / "h.xlsx", STANDARD_HEADERS, [])
        with pytest.raises(SpreadsheetError, match="nenhuma linha de dados"):
            read_spreadsheet(path)

    def test_no_header(self, tmp_path):
        """No row names three known columns."""
        path = write_xlsx(tmp_path / "n.xlsx", ["a", "b", "c"], [{"a": 1}])
        with pytest.raises(SpreadsheetError, match="linha de cabeçalho"):
            read_spreadsheet(path)

    def test_corrupt_xlsx(self, tmp_path):
        """Random bytes with an .xlsx name, and a truncated zip."""
        (tmp_path / "c.xlsx").write_bytes(b"isto nao e um excel" * 10)
        with pytest.raises(SpreadsheetError, match="corrompida"):
            read_spreadsheet(tmp_path / "c.xlsx")
        good = write_xlsx(tmp_path / "g.xlsx", STANDARD_HEADERS, [good_row()])
        (tmp_path / "t.xlsx").write_bytes(good.read_bytes()[:400])
        with pytest.raises(SpreadsheetError, match="corrompida"):
            read_spreadsheet(tmp_path / "t.xlsx")

    def test_zip_that_is_not_a_workbook(self, tmp_path):
        """A zip without the workbook parts."""
        with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as z:
            z.writestr("hello.txt", "oi")
        with pytest.raises(SpreadsheetError, match="corrompida"):
            read_spreadsheet(tmp_path / "z.xlsx")

    def test_password_protected_xlsx(self, tmp_path):
        """An encrypted workbook (as Excel saves it with a password) is named as such."""
        import msoffcrypto.format.ooxml as ooxml

        plain = write_xlsx(tmp_path / "p.xlsx", STANDARD_HEADERS, [good_row()])
        with open(plain, "rb") as src, open(tmp_path / "secret.xlsx", "wb") as dst:
            ooxml.OOXMLFile(src).encrypt("senha123", dst)
        with pytest.raises(SpreadsheetError, match="protegida por senha"):
            read_spreadsheet(tmp_path / "secret.xlsx")

    def test_unsupported_format(self, tmp_path):
        """.ods / .pdf are refused with the formats that work."""
        (tmp_path / "a.ods").write_bytes(b"PK\x03\x04...")
        with pytest.raises(SpreadsheetError, match="Formato não suportado"):
            read_spreadsheet(tmp_path / "a.ods")

    def test_missing_file(self, tmp_path):
        """A path that does not exist."""
        with pytest.raises(SpreadsheetError, match="não encontrado"):
            read_spreadsheet(tmp_path / "nada.xlsx")

    def test_html_disguised_as_xls(self, tmp_path):
        """Systems that export an HTML table named .xls."""
        (tmp_path / "r.xls").write_text("<html><table><tr><td>CNPJ</td></tr></table></html>")
        with pytest.raises(SpreadsheetError, match="HTML"):
            read_spreadsheet(tmp_path / "r.xls")

