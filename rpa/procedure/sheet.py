"""A spreadsheet as the procedure sees it: text rows keyed by canonical column.

``rpa.io.spreadsheet_in`` reads the file into these; rows and requests are built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SheetRow:
    row_number: int            # spreadsheet row number (Excel numbering, header counted)
    values: dict[str, str]     # canonical column name -> cell text ("" when empty), known columns only
    extra: dict[str, str]      # unknown columns, by their original header
    # (column, what to fix) the reader found in a cell: control characters, a rounded number...
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Sheet:
    path: Path
    sheet_name: str | None
    header_row: int
    columns: dict[str, str]    # canonical name -> original header text as found
    rows: list[SheetRow]       # blank rows skipped
    fmt: str                   # "xlsx" | "csv" | "xls"
    csv_delimiter: str | None = None
    csv_encoding: str | None = None
    positions: dict[str, int] = field(default_factory=dict)        # canonical name -> 1-based column
    extra_positions: dict[str, int] = field(default_factory=dict)  # extra header -> 1-based column
    sheet_names: list[str] = field(default_factory=list)
    unclosed_quote: bool = False   # a CSV quote never closed: rewriting it would change its rows
