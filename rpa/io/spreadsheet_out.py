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
- ``.xls`` cannot be written: the results go to ``<name>.resultado-rpa.xlsx`` beside it (values of
  every sheet copied); an unrelated file of that name is never touched.
- Results are placed by row identity (``rpa.procedure.row_identity``), never by row number, and
  every write re-reads the file first: rows the operator moved get their own results, cells
  changed by someone else during the run are kept. A symlink is written through.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import logging
import os
import re
import shutil
import stat
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from rpa.errors import SpreadsheetError
from rpa.io.atomic import replace_with, write_bytes
from rpa.io.input_guards import decode_text
from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.outcomes import Outcome
from rpa.procedure.columns import RESULT_COLUMNS
from rpa.procedure.row_identity import row_fingerprint, sheet_identities
from rpa.procedure.sheet import Sheet

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
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
    """Writes results by row identity. Every write re-reads the file it updates, finds each
    result's row by identity (the operator may have inserted, deleted or sorted rows) and sets
    only the result columns: a cell someone else changed during the run is never reverted."""

    def __init__(self, source: Path, *, output: Path | None = None, sheet: Sheet | None = None) -> None:
        self.source = Path(source)
        self.output = Path(output) if output else None
        self._sheet = sheet
        self._results: dict[str, RowResult] = {}
        self._target: Path | None = None
        self._backup: Path | None = None
        self._written = False                 # the target holds a write of this run: reload from it
        self._lock = threading.Lock()
        self._wb: Workbook | None = None
        self._ws: Worksheet | None = None
        self._csv_records: list[list[str]] | None = None
        self._columns: dict[str, int] = {}    # result column -> 1-based position
        self._rows: dict[str, int] = {}       # identity -> row number in the file as loaded
        self._current: Sheet | None = None

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

    def write(self, results: Mapping[str, RowResult],
              fingerprints: Mapping[str, tuple[str, str]] | None = None) -> Path:
        """Add ``results`` (row identity -> result) and save every result so far onto the row that
        has that identity now; returns the path written. ``fingerprints`` (identity -> status and
        input fingerprint when processed) let a row edited after a site was touched say so."""
        with self._lock:
            self._results.update(results)
            if self._target is None:
                self._start()
            for _ in range(3):  # the file changed while we worked on it: start over from it
                base = self._base()
                before = _stamp(base)
                self._load(base)
                self._apply(fingerprints or {})
                if _stamp(base) == before:
                    break
            return self._save()

    # -- first write: choose the target, back up ------------------------------------------

    def _start(self) -> None:
        sheet = self.sheet
        fmt = sheet.fmt
        if self.output:
            target = self.output
            if target.suffix.lower() in CSV_SUFFIXES and fmt != "csv":
                raise SpreadsheetError(f"--output {target.name}: uma planilha {fmt} só pode ser gravada como "
                                       ".xlsx.")
            if target.suffix.lower() not in CSV_SUFFIXES | XLSX_SUFFIXES:
                target = target.with_name(target.name + ".xlsx")
            if not target.parent.exists():
                log.warning("A pasta %s não existia e foi criada para gravar os resultados.", target.parent)
                target.parent.mkdir(parents=True, exist_ok=True)
            self._out_fmt = "csv" if target.suffix.lower() in CSV_SUFFIXES else "xlsx"
        elif fmt == "xls":
            target = xls_results_path(self.source)
            log.warning("O formato .xls não pode ser atualizado: os resultados serão gravados em %s", target.name)
            self._out_fmt = "xlsx"
        else:
            target = self.source
            self._out_fmt = "csv" if fmt == "csv" else "xlsx"
        # A symlink is written through: the real file is updated and the link stays a link.
        target = Path(os.path.realpath(target))
        self._real_source = Path(os.path.realpath(self.source))

        if is_locked(target):
            target = self._sibling(target, "está somente leitura ou aberta em outro programa")
        elif target == self._real_source and sheet.unclosed_quote:
            target = self._sibling(target, "tem uma aspa sem fechamento (regravá-la mudaria suas linhas)")
        if target == self._real_source and target.exists():
            self._backup = target.with_name(f"{target.stem}.backup-{_timestamp()}{target.suffix}")
            shutil.copy2(target, self._backup)
        self._target = target

    def _sibling(self, target: Path, why: str) -> Path:
        sibling = target.with_name(f"{target.stem}.resultado-{_timestamp()}{target.suffix}")
        log.warning("A planilha %s %s: os resultados serão gravados em %s", target.name, why, sibling.name)
        self._written = False
        return sibling

    def _base(self) -> Path:
        """The file a write starts from: the target once it holds this run's results (or an
        earlier run's, for a .xls or an --output copy), else the source."""
        target = self._target
        assert target is not None, "chosen by _start"
        if self._written and target.exists():
            return target
        if target != self._real_source and target.exists() and self._out_fmt == "xlsx" \
                and self.sheet.fmt != "xlsx" and _has_results(target, self.sheet.sheet_name):
            return target  # a rerun on a .xls or .csv: keep what the earlier run wrote
        return self._real_source

    # -- every write: load, find the rows, apply ---------------------------------------------

    def _load(self, base: Path) -> None:
        self._columns = {}
        self._wb = self._ws = None
        self._csv_records = None
        # Read again at every write: the operator may have moved rows since the last one.
        if base == self._real_source or self.sheet.fmt == "xlsx":
            current = read_spreadsheet(base, self.sheet.sheet_name)
        else:  # the .xlsx this bot built from a .xls or .csv
            current = read_spreadsheet(base, _sheet_title(self.sheet))
        self._current = current
        self._rows = {i: n for n, i in sheet_identities(current).items()}
        if self._out_fmt == "csv":
            self._load_csv(base, current)
        elif current.fmt == "xlsx":
            self._load_xlsx(base, current)
        else:
            self._build_xlsx(base, current)

    def _load_xlsx(self, path: Path, sheet: Sheet) -> None:
        import openpyxl

        keep_vba = path.suffix.lower() == ".xlsm"
        try:
            wb = openpyxl.load_workbook(path, keep_vba=keep_vba, rich_text=True)
        except Exception as exc:
            raise SpreadsheetError(f"Não foi possível abrir {path.name} para gravar os resultados: {exc}") from exc
        self._wb = wb
        self._ws = wb[sheet.sheet_name] if sheet.sheet_name else wb.worksheets[0]
        self._place_xlsx_columns(self._ws, sheet)

    def _build_xlsx(self, path: Path, sheet: Sheet) -> None:
        """A new workbook with the values of every sheet of a .xls or .csv source."""
        import openpyxl

        from rpa.io.spreadsheet_in import _read_csv, _read_xls

        wb = openpyxl.Workbook()
        wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
        names = sheet.sheet_names or [sheet.sheet_name or ""]
        titles: dict[str, str] = {}
        for name in names:
            grid = _read_xls(path, name) if sheet.fmt == "xls" else _read_csv(path)
            title = safe_sheet_title(name or self.source.stem, taken=set(titles.values()))
            titles[name] = title
            ws = wb.create_sheet(title=title)
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
        self._ws = wb[titles[sheet.sheet_name or names[0]]]
        self._place_xlsx_columns(self._ws, sheet)

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

    def _load_csv(self, path: Path, sheet: Sheet) -> None:
        data = path.read_bytes()
        text, encoding = decode_text(data)
        self._csv_encoding = sheet.csv_encoding or encoding
        self._csv_delimiter = sheet.csv_delimiter or ";"
        self._csv_newline = line_ending(text)
        self._csv_records = [list(r) for r in csv.reader(io.StringIO(text, newline=""),
                                                         delimiter=self._csv_delimiter)]
        header = self._csv_records[sheet.header_row - 1]
        width = len(header)
        for name in RESULT_COLUMNS:
            if name in sheet.positions:
                self._columns[name] = sheet.positions[name]
            else:
                width += 1
                self._columns[name] = width
        header.extend([""] * (width - len(header)))
        for name, col in self._columns.items():
            if name not in sheet.positions:
                header[col - 1] = name

    def _apply(self, fingerprints: Mapping[str, tuple[str, str]]) -> None:
        current = self._current
        assert current is not None, "loaded by _load"
        by_number = {r.row_number: r for r in current.rows}
        for identity, result in self._results.items():
            row_number = self._rows.get(identity)
            if row_number is None:
                continue  # the operator removed the row: its result stays in the journal
            if identity in fingerprints:
                status, fp = fingerprints[identity]
                if result.status.touched_site and fp and fp != row_fingerprint(by_number[row_number]):
                    result = result.model_copy(update={"message": edited_note(result.message)})
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
                    assert self._ws is not None, "loaded by _load"
                    _set_text(self._ws.cell(row_number, col), value)

    def _save(self) -> Path:
        target = self._target
        assert target is not None, "chosen by _start"
        if is_locked(target):  # opened in Excel since the last write: leave it alone
            self._target = target = self._sibling(target, "foi aberta em outro programa durante a execução")
        try:
            self._save_to(target)
        except PermissionError:
            self._target = target = self._sibling(target, "não pode ser gravada (sem permissão)")
            try:
                self._save_to(target)
            except OSError as exc:
                raise SpreadsheetError(f"Não foi possível gravar os resultados em {target.parent}: {exc}") from exc
        self._written = True
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
            assert self._wb is not None, "loaded by _load"
            replace_with(target, self._wb.save)


def edited_note(message: str) -> str:
    note = ("Atenção: os dados desta linha foram alterados depois do processamento; a solicitação já foi "
            "registrada nos sites e não será refeita. Para uma nova solicitação, use uma nova linha com outra "
            "Solicitação.")
    return f"{message} | {note}" if message else note


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def line_ending(text: str) -> str:
    """The line ending a text uses: CRLF, LF or a lone CR (old Mac exports)."""
    if "\r\n" in text:
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_title(name: str, *, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A valid Excel sheet title from any name: no ``[]:*?/`` nor backslash, not quoted, 1-31 characters, unique."""
    title = _BAD_TITLE.sub("_", name).strip("'").strip()[:31] or "Planilha"
    n = 2
    base = title
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    return title


def _sheet_title(sheet: Sheet) -> str:
    return safe_sheet_title(sheet.sheet_name or sheet.path.stem)


def _has_results(path: Path, sheet_name: str | None) -> bool:
    try:
        found = read_spreadsheet(path, None)
    except SpreadsheetError:
        return False
    return "Status RPA" in found.positions


def xls_results_path(source: Path) -> Path:
    """Where the results of a ``.xls`` go: ``<name>.resultado-rpa.xlsx`` beside it, unless an
    unrelated file already has that name (then a timestamped one)."""
    target = source.with_name(f"{source.stem}.resultado-rpa.xlsx")
    if target.exists() and not _has_results(target, None):
        target = source.with_name(f"{source.stem}.resultado-rpa-{_timestamp()}.xlsx")
    return target


def _set_text(cell, value: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters (a .csv or .xls cell may hold them) are not allowed in an xlsx.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value:
        cell.value = None
        return
    cell.value = value
    if value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"        # openpyxl took it for a formula: store as text
        cell.quotePrefix = True     # and Excel keeps it text when the cell is edited
