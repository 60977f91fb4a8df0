"""Write the results back into the workbook (interfaces.md, "Output").

- The result columns are appended once after the last used column; a rerun finds them by
  their headers and updates them in place. "Ticket" reuses the input's Ticket column.
- Everything else is kept: other cells, sheets, styles, widths, formulas (openpyxl loads the
  whole workbook; charts and images are the one thing openpyxl does not carry over). A CSV is
  rewritten with its own delimiter, encoding, BOM and line endings.
- Text can never run as a formula: a value starting with ``= + - @`` is stored as a text cell
  (xlsx, with Excel's quote prefix) or behind an apostrophe (csv).
- Each write goes to a temporary file beside the target and replaces it atomically; before the
  first in-place write a backup ``<name>.backup-<timestamp><ext>`` is made beside the original.
- A target that is read-only or open in Excel/LibreOffice (lock file beside it) is left alone:
  a warning is logged and the results go to a sibling copy ``<name>.resultado-<timestamp><ext>``.
- ``.xls`` cannot be written: the results go to ``<name>.xlsx`` beside it (values of every sheet
  copied).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import logging
import os
import shutil
import stat
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from rpa.errors import SpreadsheetError
from rpa.io.atomic import replace_with, write_bytes
from rpa.io.spreadsheet_in import decode_text, read_spreadsheet
from rpa.outcomes import Outcome
from rpa.procedure.columns import RESULT_COLUMNS
from rpa.procedure.sheet import Sheet

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTHS = {"Status RPA": 20, "Nº O.S.": 14, "Ticket": 10, "Status Ticket": 14, "Mensagem RPA": 70,
                 "Prazo Retorno": 14, "Processado em": 17, "Gravação": 40}


class RowResult(BaseModel):
    status: Outcome
    os_number: str = ""
    ticket: str = ""
    ticket_status: str = ""
    message: str = ""
    deadline: dt.date | None = None
    processed_at: dt.datetime | None = None
    recording: str = ""


def result_cells(result: RowResult) -> dict[str, str]:
    """Column -> text. "Ticket" only when the bot has one to write (an input ticket is never blanked)."""
    cells = {
        "Status RPA": result.status.value,
        "Nº O.S.": result.os_number,
        "Status Ticket": result.ticket_status,
        "Mensagem RPA": result.message,
        "Prazo Retorno": result.deadline.strftime("%d/%m/%Y") if result.deadline else "",
        "Processado em": result.processed_at.strftime("%d/%m/%Y %H:%M") if result.processed_at else "",
        "Gravação": result.recording,
    }
    if result.ticket:
        cells["Ticket"] = result.ticket
    return cells


def csv_safe(value: str) -> str:
    """A CSV cell Excel will not evaluate."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def is_locked(path: Path) -> bool:
    """Read-only (mode bits: root ignores them) or open in Excel / LibreOffice."""
    if not path.exists():
        return False
    try:
        mode = path.stat().st_mode
    except OSError:
        return True
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return True
    return (path.with_name("~$" + path.name).exists()
            or path.with_name(f".~lock.{path.name}#").exists())


class ResultWriter:
    def __init__(self, source: Path, *, output: Path | None = None, sheet: Sheet | None = None) -> None:
        self.source = Path(source)
        self.output = Path(output) if output else None
        self._sheet = sheet
        self._results: dict[int, RowResult] = {}
        self._target: Path | None = None
        self._backup: Path | None = None
        self._lock = threading.Lock()
        self._wb: Workbook | None = None      # openpyxl workbook kept in memory between writes
        self._ws: Worksheet | None = None
        self._csv_records: list[list[str]] | None = None
        self._columns: dict[str, int] = {}    # result column -> 1-based position

    # -- public ---------------------------------------------------------------------------

    @property
    def sheet(self) -> Sheet:
        if self._sheet is None:
            self._sheet = read_spreadsheet(self.source)
        return self._sheet

    @property
    def backup_path(self) -> Path | None:
        return self._backup

    @property
    def target(self) -> Path | None:
        """Where the results went (``None`` before the first write)."""
        return self._target

    def write(self, results: Mapping[int, RowResult]) -> Path:
        """Add ``results`` (row number -> result) and save every result so far; returns the path written."""
        with self._lock:
            self._results.update(results)
            if self._target is None:
                self._start()
            self._apply(results)
            return self._save()

    # -- first write: choose the target, back up, load ----------------------------------------

    def _start(self) -> None:
        sheet = self.sheet
        fmt = sheet.fmt
        if self.output:
            target = self.output
            if target.suffix.lower() == ".csv" and fmt != "csv":
                raise SpreadsheetError(f"--output {target.name}: uma planilha {fmt} só pode ser gravada como "
                                       ".xlsx.")
            if target.suffix.lower() == ".xls":
                target = target.with_suffix(".xlsx")
        elif fmt == "xls":
            target = self.source.with_suffix(".xlsx")
            log.warning("O formato .xls não pode ser atualizado: os resultados serão gravados em %s", target.name)
        else:
            target = self.source
        self._out_fmt = "csv" if target.suffix.lower() == ".csv" else "xlsx"

        if is_locked(target):
            sibling = target.with_name(f"{target.stem}.resultado-{_timestamp()}{target.suffix}")
            log.warning("A planilha %s está somente leitura ou aberta em outro programa: os resultados serão "
                        "gravados em %s", target.name, sibling.name)
            target = sibling
        if target == self.source and target.exists():
            self._backup = target.with_name(f"{target.stem}.backup-{_timestamp()}{target.suffix}")
            shutil.copy2(self.source, self._backup)
        self._target = target

        if self._out_fmt == "csv":
            self._load_csv()
        elif fmt == "xlsx":
            self._load_xlsx(self.source)
        elif fmt == "xls" and target == self.source.with_suffix(".xlsx") and target.exists():
            self._load_xlsx(target, reread=True)  # a rerun: keep what the earlier run wrote
        else:
            self._build_xlsx()

    def _load_xlsx(self, path: Path, *, reread: bool = False) -> None:
        import openpyxl

        keep_vba = path.suffix.lower() == ".xlsm"
        try:
            wb = openpyxl.load_workbook(path, keep_vba=keep_vba, rich_text=True)
        except Exception as exc:
            raise SpreadsheetError(f"Não foi possível abrir {path.name} para gravar os resultados: {exc}") from exc
        sheet = read_spreadsheet(path, self.sheet.sheet_name) if reread else self.sheet
        self._wb = wb
        self._ws = wb[sheet.sheet_name] if sheet.sheet_name else wb.worksheets[0]
        self._place_xlsx_columns(self._ws, sheet)

    def _build_xlsx(self) -> None:
        """A new workbook with the values of every sheet of a .xls or .csv source."""
        import openpyxl

        from rpa.io.spreadsheet_in import _read_csv, _read_xls

        wb = openpyxl.Workbook()
        wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
        names = self.sheet.sheet_names or [self.sheet.sheet_name or self.source.stem[:31]]
        for name in names:
            grid = _read_xls(self.source, name) if self.sheet.fmt == "xls" else _read_csv(self.source)
            ws = wb.create_sheet(title=name[:31])
            for r, row in enumerate(grid.rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value in (None, ""):
                        continue
                    cell = ws.cell(r, c)
                    if isinstance(value, str):
                        _set_text(cell, value)
                    else:
                        cell.value = value
                        if isinstance(value, (dt.date, dt.datetime)):
                            cell.number_format = "DD/MM/YYYY"
            for r0, c0, r1, c1 in grid.merged:
                ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        self._wb = wb
        self._ws = wb[(self.sheet.sheet_name or names[0])[:31]]
        self._place_xlsx_columns(self._ws, self.sheet)

    def _place_xlsx_columns(self, ws: Worksheet, sheet: Sheet) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        last_used = 0
        for row in ws.iter_rows():
            for cell in reversed(row):
                if cell.value not in (None, ""):
                    last_used = max(last_used, cell.column)
                    break
        header = sheet.header_row
        style_from = ws.cell(header, max(1, min(last_used, ws.max_column)))
        for name in RESULT_COLUMNS:
            if name in sheet.positions:
                self._columns[name] = sheet.positions[name]
                continue
            last_used += 1
            self._columns[name] = last_used
            cell = ws.cell(header, last_used)
            cell.value = name
            if style_from.has_style:
                # The cell's whole style at once (openpyxl's StyleArray; the type stubs leave it out).
                cell._style = copy.copy(style_from._style)  # type: ignore[union-attr]
            else:
                cell.font = Font(bold=True)
            ws.column_dimensions[get_column_letter(last_used)].width = COLUMN_WIDTHS.get(name, 16)

    def _load_csv(self) -> None:
        data = self.source.read_bytes()
        text, encoding = decode_text(data)
        self._csv_encoding = self.sheet.csv_encoding or encoding
        self._csv_delimiter = self.sheet.csv_delimiter or ";"
        self._csv_newline = "\r\n" if "\r\n" in text else "\n"
        self._csv_records = [list(r) for r in csv.reader(io.StringIO(text, newline=""),
                                                         delimiter=self._csv_delimiter)]
        header = self._csv_records[self.sheet.header_row - 1]
        width = len(header)
        for name in RESULT_COLUMNS:
            if name in self.sheet.positions:
                self._columns[name] = self.sheet.positions[name]
            else:
                width += 1
                self._columns[name] = width
        header.extend([""] * (width - len(header)))
        for name, col in self._columns.items():
            if name not in self.sheet.positions:
                header[col - 1] = name

    # -- every write -----------------------------------------------------------------------

    def _apply(self, results: Mapping[int, RowResult]) -> None:
        for row_number, result in results.items():
            for name, value in result_cells(result).items():
                col = self._columns[name]
                if self._csv_records is not None:
                    records = self._csv_records
                    while len(records) < row_number:
                        records.append([])
                    record = records[row_number - 1]
                    record.extend([""] * (col - len(record)))
                    record[col - 1] = csv_safe(value)
                else:
                    assert self._ws is not None, "loaded by _start"
                    _set_text(self._ws.cell(row_number, col), value)

    def _save(self) -> Path:
        target = self._target
        assert target is not None, "chosen by _start"
        try:
            self._save_to(target)
        except PermissionError:
            sibling = target.with_name(f"{target.stem}.resultado-{_timestamp()}{target.suffix}")
            log.warning("Sem permissão para gravar %s: os resultados serão gravados em %s", target.name,
                        sibling.name)
            self._target = target = sibling
            try:
                self._save_to(target)
            except OSError as exc:
                raise SpreadsheetError(f"Não foi possível gravar os resultados em {target.parent}: {exc}") from exc
        return target

    def _save_to(self, target: Path) -> None:
        if self._csv_records is not None:
            buf = io.StringIO(newline="")
            writer = csv.writer(buf, delimiter=self._csv_delimiter, lineterminator=self._csv_newline)
            writer.writerows(self._csv_records)
            encoding = self._csv_encoding
            data = buf.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding, errors="replace")
            if encoding == "utf-8-sig":
                data = b"\xef\xbb\xbf" + data
            write_bytes(target, data)
        else:
            assert self._wb is not None, "loaded by _start"
            replace_with(target, self._wb.save)


def _set_text(cell, value: str) -> None:
    if not value:
        cell.value = None
        return
    cell.value = value
    if value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"        # openpyxl took it for a formula: store as text
        cell.quotePrefix = True     # and Excel keeps it text when the cell is edited
