"""Read the input spreadsheet (.xlsx, .csv, .xls) into text rows keyed by canonical column.

Every cell becomes the text a person sees in Excel: numbers without ``.0`` or scientific
notation, a numeric CNPJ left-padded to 14 digits (Excel drops the leading zeros), Excel dates
as dd/mm/aaaa. The header is the first row naming at least three known columns (title rows
above it are skipped); unknown columns are kept by their original header.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from rpa.errors import SpreadsheetError
from rpa.io.input_guards import (
    IDENTIFIER_COLUMNS,
    MAX_ROWS,
    check_csv_shape,
    check_regular_file,
    check_xlsx_size,
    clean_cell,
    decode_text,
    rounded_number,
    too_many_rows,
    unterminated_quote,
)
from rpa.procedure.columns import ALL_COLUMNS, INPUT_COLUMNS, REQUIRED, assign_columns, canonical, known_count
from rpa.procedure.normalize import cell_text, clean_spaces, number_text
from rpa.procedure.sheet import Sheet, SheetRow

HEADER_SCAN_ROWS = 30      # the header must be within the first rows
MIN_KNOWN_HEADERS = 3
CSV_DELIMITERS = (";", ",", "\t", "|")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_XLSX_EXT = {".xlsx", ".xlsm"}
_CSV_EXT = {".csv", ".txt"}
# Columns whose numeric cells lost their leading zeros in Excel: pad back to this width.
_PAD_NUMERIC = {"CNPJ": 14, "CEP": 8}


@dataclass
class _Grid:
    """Raw cells of one sheet, before the header is known."""

    rows: list[list[object]]
    sheet_name: str | None
    sheet_names: list[str]
    visible: list[str] = field(default_factory=list)   # sheets not hidden, in order
    # min_row, min_col, max_row, max_col (1-based)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    delimiter: str | None = None
    encoding: str | None = None
    broken_quote: set[int] = field(default_factory=set)   # CSV records holding an unclosed quote


def read_spreadsheet(path: Path, sheet: str | None = None) -> Sheet:
    """Read and map the sheet; raises ``SpreadsheetError`` with a pt-BR message saying what to fix."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise SpreadsheetError(f"Arquivo não encontrado: {path}", path=str(path))
    if path.is_dir():
        raise SpreadsheetError(f"{path} é uma pasta, não uma planilha.", path=str(path))
    check_regular_file(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise SpreadsheetError(f"Não foi possível abrir {name}: {exc.strerror or exc}.", path=str(path)) from exc
    if not head:
        raise SpreadsheetError(f"A planilha {name} está vazia (0 bytes).", path=str(path))

    fmt = _detect_format(path, head)
    if fmt == "xlsx":
        grid = _read_xlsx(path, sheet)
    elif fmt == "xls":
        grid = _read_xls(path, sheet)
    else:
        grid = _read_csv(path)
    return _map_grid(path, fmt, grid)


# -- format detection -----------------------------------------------------------------


def _detect_format(path: Path, head: bytes) -> str:
    ext = path.suffix.lower()
    name = path.name
    if ext not in _XLSX_EXT | _CSV_EXT | {".xls"}:
        raise SpreadsheetError(
            f"Formato não suportado: {name}. Use .xlsx, .csv ou .xls (no Excel: Arquivo › Salvar como › "
            "Pasta de Trabalho do Excel).", path=str(path))
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in path.read_bytes():  # an encrypted .xlsx is an OLE file, whatever its name
            raise SpreadsheetError(
                f"A planilha {name} está protegida por senha. Abra no Excel, remova a senha "
                "(Arquivo › Informações › Proteger Pasta de Trabalho) e salve de novo.", path=str(path))
        return "xls"  # a real .xls, whatever its extension
    if head.startswith(_ZIP_MAGIC):
        if ext in _CSV_EXT:
            raise SpreadsheetError(f"{name} tem extensão .csv mas é uma pasta de trabalho do Excel: "
                                   "renomeie para .xlsx.", path=str(path))
        return "xlsx"
    if ext in _XLSX_EXT:
        raise SpreadsheetError(f"A planilha {name} está corrompida ou não é um arquivo do Excel (.xlsx).",
                               path=str(path))
    if ext == ".xls":
        sample = path.read_bytes()[:2048].lower()
        if b"<html" in sample or b"<table" in sample or b"<?xml" in sample:
            raise SpreadsheetError(
                f"{name} não é um .xls de verdade (é uma página HTML/XML exportada por outro sistema). "
                "Abra no Excel e salve como .xlsx.", path=str(path))
        return "csv"  # systems that export "xls" which is really delimited text
    return "csv"


# -- xlsx ---------------------------------------------------------------------------------


def _pick_sheet(names: list[str], wanted: str | None, path: Path, visible: list[str] | None = None) -> str:
    """The sheet asked for, else the first *visible* one (a hidden first sheet is not the data)."""
    if not names:
        raise SpreadsheetError(f"A planilha {path.name} não tem nenhuma aba de dados.", path=str(path))
    if wanted is None:
        return (visible or names)[0]
    for n in names:
        if n == wanted:
            return n
    for n in names:
        if n.strip().lower() == wanted.strip().lower():
            return n
    raise SpreadsheetError(f"A aba \"{wanted}\" não existe em {path.name}. Abas: {', '.join(visible or names)}. "
                           "Use --sheet com um desses nomes.", path=str(path))


_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def _xlsx_merged(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges, read straight from the sheet XML (read-only mode does not expose them)."""
    from openpyxl.utils.cell import range_boundaries

    try:
        data = archive.read(member)
    except KeyError:
        return []
    start = data.rfind(b"<mergeCells")
    if start < 0:
        start = data.rfind(b":mergeCells")
    if start < 0:
        return []
    out = []
    for ref in _MERGE_REF.findall(data, start):
        # Cell references only ("B2:C3", "B2"): every bound is a number.
        min_col, min_row, max_col, max_row = cast(tuple[int, int, int, int], range_boundaries(ref.decode()))
        out.append((min_row, min_col, max_row, max_col))
    return out


def _read_xlsx(path: Path, sheet: str | None) -> _Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx_size(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise SpreadsheetError(f"A planilha {path.name} está corrompida ou não pôde ser lida ({exc}). "
                               "Abra no Excel e salve de novo como .xlsx.", path=str(path)) from exc
    try:
        names = [ws.title for ws in wb.worksheets]
        visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
        chosen = _pick_sheet(names, sheet, path, visible)
        ws = wb[chosen]
        ws.reset_dimensions()  # some writers declare a wrong sheet size: read every row
        try:
            rows: list[list[object]] = []
            for r in ws.iter_rows(values_only=True):
                if len(rows) > MAX_ROWS:
                    raise too_many_rows(path)
                rows.append(_trim(r))
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
            raise SpreadsheetError(f"A aba \"{chosen}\" de {path.name} está corrompida ({exc}).",
                                   path=str(path)) from exc
        member = getattr(ws, "_worksheet_path", None)
        archive = getattr(wb, "_archive", None)
        merged = _xlsx_merged(archive, member) if member and archive else []
    finally:
        wb.close()
    return _Grid(rows=rows, sheet_name=chosen, sheet_names=names, merged=merged, visible=visible)


def _trim(values: tuple) -> list[object]:
    """A row without its trailing empty cells (styled-but-empty cells can run to column XFD)."""
    row = list(values)
    while row and row[-1] is None:
        row.pop()
    return row


# -- xls ----------------------------------------------------------------------------------


def _read_xls(path: Path, sheet: str | None) -> _Grid:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise SpreadsheetError(
                f"A planilha {path.name} está protegida por senha. Abra no Excel, remova a senha e salve de "
                "novo.", path=str(path)) from exc
        raise SpreadsheetError(f"A planilha {path.name} está corrompida ou não pôde ser lida ({exc}).",
                               path=str(path)) from exc
    except Exception as exc:  # xlrd raises bare struct/assertion errors on damaged files
        raise SpreadsheetError(f"A planilha {path.name} está corrompida ou não pôde ser lida ({exc}).",
                               path=str(path)) from exc
    names = book.sheet_names()
    visible = [sh.name for sh in book.sheets() if not sh.visibility]
    chosen = _pick_sheet(names, sheet, path, visible)
    sh = book.sheet_by_name(chosen)
    if sh.nrows > MAX_ROWS:
        raise too_many_rows(path)
    rows: list[list[object]] = []
    for r in range(sh.nrows):
        row: list[object] = []
        for cell in sh.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    row.append(cell.value)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(cell.value))
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                row.append(xlrd.error_text_from_code.get(cell.value, "#ERRO"))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell.value)
        rows.append(row)
    merged = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sh.merged_cells]
    book.release_resources()
    return _Grid(rows=rows, sheet_name=chosen, sheet_names=names, merged=merged, visible=visible)


# -- csv ----------------------------------------------------------------------------------


def _parse_csv(text: str, delimiter: str) -> list[list[str]]:
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def detect_delimiter(text: str, *, candidates: tuple[str, ...] = CSV_DELIMITERS,
                     scan_rows: int = HEADER_SCAN_ROWS,
                     header_score: Callable[[list[str]], int] | None = known_count,
                     min_score: int = MIN_KNOWN_HEADERS) -> str:
    """The delimiter of a delimited text (the input spreadsheet by default, or a catalogue file).

    The one under which some of the first ``scan_rows`` rows scores best by ``header_score``
    (the known columns it names), when that reaches ``min_score``; else the most frequent
    candidate in those rows (ties: the first candidate)."""
    sample = "\n".join(text.splitlines()[:scan_rows])
    if header_score is not None:
        best, best_score = candidates[0], -1
        for delim in candidates:
            rows = _parse_csv(sample, delim)
            score = max((header_score(r) for r in rows), default=0)
            if score > best_score:
                best, best_score = delim, score
        if best_score >= min_score:
            return best
    # No header recognised under any delimiter: the most frequent one (for the error message).
    counts = {d: sample.count(d) for d in candidates}
    return max(counts, key=lambda d: counts[d])


def _read_csv(path: Path) -> _Grid:
    data = path.read_bytes()
    # Mostly NULs: a binary file or UTF-16 without its BOM. A few NULs are cell problems (clean_cell).
    if data[:4096].count(0) > len(data[:4096]) // 10 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(f"{path.name} não é um arquivo de texto CSV (conteúdo binário).",
                               path=str(path))
    text, encoding = decode_text(data)
    check_csv_shape(path, text)  # before parsing: millions of tiny cells would not fit in memory
    try:
        delimiter = detect_delimiter(text)
        rows = _parse_csv(text, delimiter)
    except csv.Error as exc:
        raise SpreadsheetError(f"O CSV {path.name} está malformado ({exc}).", path=str(path)) from exc
    if len(rows) > MAX_ROWS:
        raise too_many_rows(path)
    broken = {i + 1 for i, r in enumerate(rows) if unterminated_quote(r, delimiter)}
    return _Grid(rows=cast(list[list[object]], rows), sheet_name=None, sheet_names=[], delimiter=delimiter,
                 encoding=encoding, broken_quote=broken)


# -- header and rows ----------------------------------------------------------------------


def _cell(value: object) -> tuple[str, str | None]:
    """A cell's text without invisible or control characters, and the problem to report if any."""
    if isinstance(value, str):
        text, problem = clean_cell(value)
        return clean_spaces(text), problem
    return cell_text(value), None


def _text(value: object) -> str:
    return _cell(value)[0]


def _text_rows(grid: _Grid, limit: int) -> list[list[str]]:
    return [[_text(v) for v in row] for row in grid.rows[:limit]]


def _header_block(grid: _Grid, path: Path) -> tuple[int, int, list[str]]:
    """``(first, last, headers)``: header rows (1-based) and the header text of each column.

    A header cell merged downwards (a two-row header) makes the block span those rows; each
    column takes its lowest text that names a known column, else its lowest text.
    """
    texts = _text_rows(grid, HEADER_SCAN_ROWS + 5)
    for rng in grid.merged:  # a vertically merged cell shows its value on every row it covers
        r0, c0, r1, _ = rng
        if r0 <= len(texts):
            value = texts[r0 - 1][c0 - 1] if c0 - 1 < len(texts[r0 - 1]) else ""
            for r in range(r0 + 1, min(r1, len(texts)) + 1):
                row = texts[r - 1]
                row.extend([""] * (c0 - len(row)))
                row[c0 - 1] = row[c0 - 1] or value
    first = next((i + 1 for i, r in enumerate(texts[:HEADER_SCAN_ROWS]) if known_count(r) >= MIN_KNOWN_HEADERS),
                 None)
    if first is None:
        if not any(any(r) for r in texts):
            raise SpreadsheetError(f"A planilha {path.name} está vazia.", path=str(path))
        where = ""
        if grid.sheet_name is not None:
            where = (f" (aba \"{grid.sheet_name}\"; abas visíveis: {', '.join(grid.visible or grid.sheet_names)}. "
                     "Se os dados estão em outra aba, use --sheet NOME)")
        raise SpreadsheetError(
            f"Não encontrei a linha de cabeçalho em {path.name}{where}: nenhuma das primeiras {HEADER_SCAN_ROWS} "
            "linhas tem pelo menos três colunas conhecidas (por exemplo CNPJ, Razão Social, Número de Série, "
            "Defeito).", path=str(path))
    last = first
    for r0, _, r1, _ in grid.merged:
        if r0 <= first < r1:
            last = max(last, min(r1, len(texts)))
    width = max(len(texts[r - 1]) for r in range(first, last + 1))
    headers = []
    for c in range(width):
        cells = [texts[r - 1][c] if c < len(texts[r - 1]) else "" for r in range(first, last + 1)]
        known = [t for t in cells if t and known_count([t])]
        filled = [t for t in cells if t]
        headers.append(known[-1] if known else (filled[-1] if filled else ""))
    return first, last, headers


def _map_grid(path: Path, fmt: str, grid: _Grid) -> Sheet:
    if not any(any(v not in (None, "") for v in row) for row in grid.rows):
        raise SpreadsheetError(f"A planilha {path.name} está vazia.", path=str(path))
    _, header_row, headers = _header_block(grid, path)
    known, extra = assign_columns(headers)
    known, extra = _resolve_duplicates(path, grid, header_row, headers, known, extra)
    missing = [c for c in REQUIRED if c not in known]
    if missing:
        found = ", ".join(h for h in headers if h) or "nenhuma"
        raise SpreadsheetError(
            f"Faltam colunas obrigatórias em {path.name}: {', '.join(missing)}. "
            f"Colunas encontradas na linha {header_row}: {found}.", path=str(path), missing=missing)
    input_known = [c for c in known if c in INPUT_COLUMNS]
    _spread_merged(grid, header_row)
    rows = list(_sheet_rows(grid.rows[header_row:], header_row + 1, known, extra, headers, input_known))
    for row in rows:
        if row.row_number in grid.broken_quote:
            row.problems.append(("Solicitação" if "Solicitação" in known else REQUIRED[0],
                                 "uma aspa (\") foi aberta e nunca fechada, e as linhas seguintes foram lidas como "
                                 "parte desta. Feche ou apague a aspa no arquivo e rode de novo."))
    if not rows:
        raise SpreadsheetError(f"A planilha {path.name} não tem nenhuma linha de dados abaixo do cabeçalho "
                               f"(linha {header_row}).", path=str(path))
    order = [c for c in ALL_COLUMNS if c in known]
    return Sheet(
        path=path, sheet_name=grid.sheet_name, header_row=header_row,
        columns={c: headers[known[c]] for c in order}, rows=rows, fmt=fmt,
        csv_delimiter=grid.delimiter, csv_encoding=grid.encoding,
        positions={c: known[c] + 1 for c in order}, extra_positions={k: i + 1 for k, i in extra.items()},
        sheet_names=grid.sheet_names, unclosed_quote=bool(grid.broken_quote),
    )


def _spread_merged(grid: _Grid, header_row: int) -> None:
    """A merged cell below the header (a Solicitação or CNPJ spanning its rows) holds its value
    only in its first cell: every row it covers shows it, so every row gets it."""
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= header_row or r0 > len(grid.rows):
            continue
        top = grid.rows[r0 - 1]
        value = top[c0 - 1] if c0 - 1 < len(top) else None
        if value in (None, ""):
            continue
        for r in range(r0, min(r1, len(grid.rows)) + 1):
            row = grid.rows[r - 1]
            row.extend([None] * (c1 - len(row)))
            for c in range(c0, c1 + 1):
                if row[c - 1] in (None, ""):
                    row[c - 1] = value


def _resolve_duplicates(path: Path, grid: _Grid, header_row: int, headers: list[str], known: dict[str, int],
                        extra: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Two headers naming one column: the one with data is used; both with data is an error
    naming both columns (which is the real one only the operator knows)."""
    from openpyxl.utils import get_column_letter

    data = grid.rows[header_row:]
    filled = lambda i: any(i < len(r) and r[i] not in (None, "") for r in data)  # noqa: E731
    for name in list(known):
        same = [i for i, h in enumerate(headers) if h and canonical(h) == name]
        if len(same) < 2:
            continue
        with_data = [i for i in same if filled(i)]
        if len(with_data) > 1:
            cols = " e ".join(f"{get_column_letter(i + 1)} (\"{headers[i]}\")" for i in with_data)
            raise SpreadsheetError(
                f"{path.name}: as colunas {cols} são as duas a coluna {name}, e as duas têm dados. Apague ou "
                "renomeie uma delas.", path=str(path))
        if with_data and with_data[0] != known[name]:
            old = known[name]
            known[name] = with_data[0]
            extra = {k: (old if i == with_data[0] else i) for k, i in extra.items()}
    return known, extra


def _sheet_rows(raw_rows: Iterable[list[object]], first_number: int, known: dict[str, int],
                extra: dict[str, int], headers: list[str], input_known: list[str]) -> Iterator[SheetRow]:
    from openpyxl.utils import get_column_letter

    known_items = list(known.items())
    extra_items = list(extra.items())
    width = len(headers)
    unnamed = [i for i, h in enumerate(headers) if not h]
    for offset, raw in enumerate(raw_rows):
        n = len(raw)
        values = {}
        problems: list[tuple[str, str]] = []
        for name, i in known_items:
            v = raw[i] if i < n else None
            rounded = rounded_number(v) if name in IDENTIFIER_COLUMNS else None
            if rounded:
                problems.append((name, rounded))
                values[name] = ""
            elif name in _PAD_NUMERIC and isinstance(v, (int, float)) and not isinstance(v, bool):
                text = number_text(v)
                values[name] = text.zfill(_PAD_NUMERIC[name]) if text.isdigit() else text
            else:
                values[name], problem = _cell(v)
                if problem and name in INPUT_COLUMNS:
                    problems.append((name, problem))
        # Unknown columns go nowhere but back into the file: cleaned, never an error.
        extras = {k: _text(raw[i]) if i < n else "" for k, i in extra_items}
        # data under no header: keep it, named by its column letter
        for i in [*unnamed, *range(width, n)]:
            if i < n and raw[i] not in (None, ""):
                extras[f"Coluna {get_column_letter(i + 1)}"] = _text(raw[i])
        if not any(values[c] for c in input_known) and not any(extras.values()) and not problems:
            continue
        yield SheetRow(row_number=first_number + offset, values=values, extra=extras, problems=problems)
