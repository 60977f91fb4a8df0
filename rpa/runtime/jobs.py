"""The input spreadsheets of a run: each with its rows, requests, journal and result writer,
and what tells a row already done from a row still to do."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rpa.io.catalog_files import load_catalogs
from rpa.io.journal import Journal
from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.io.spreadsheet_out import ResultWriter, RowResult
from rpa.outcomes import Outcome
from rpa.procedure.columns import RESULT_COLUMNS
from rpa.procedure.requests import Request, group_requests
from rpa.procedure.sheet import Sheet, SheetRow
from rpa.runtime import crashpoints
from rpa.settings import Settings


def row_fingerprint(row: SheetRow) -> str:
    """Hash of a row's input cells: an operator's fix makes the row work again."""
    values = sorted((k, v.strip()) for k, v in row.values.items() if k not in RESULT_COLUMNS)
    return hashlib.sha1(repr(values).encode()).hexdigest()


def row_done(row: SheetRow, final: dict[int, tuple[str, str]]) -> bool:
    """Done: a final result in the journal, unless the operator changed the row's input since
    and that result touched no site; with no journal entry, a business outcome in the workbook."""
    if row.row_number in final:
        status, fp = final[row.row_number]
        outcome = Outcome.parse(status)
        return (outcome is not None and outcome.touched_site) or fp == row_fingerprint(row)
    outcome = Outcome.parse(row.values.get("Status RPA", ""))
    return outcome is not None and outcome.is_business


@dataclass
class InputJob:
    """One input spreadsheet: its rows, journal and result writer."""

    path: Path
    sheet: Sheet
    journal: Journal
    writer: ResultWriter
    requests: list[Request]
    lock: threading.Lock = field(default_factory=threading.Lock)
    dirty: bool = False

    def project(self) -> Path:
        """Write every result the journal holds into the workbook (single writer)."""
        with self.lock:
            self.dirty = False
            results = {n: RowResult.model_validate(r) for n, r in self.journal.results().items()}
            return self.writer.write(results)


def run_dir_for(settings: Settings, path: Path) -> Path:
    """The folder of one input file's journal, the same for every run on that file."""
    ident = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    return settings.runs_dir / f"{path.stem}-{ident}"


def load_job(settings: Settings, path: Path, sheet: str | None, output: Path | None) -> InputJob:
    data = read_spreadsheet(path, sheet)
    journal = Journal(run_dir_for(settings, path) / "journal.sqlite", checkpoint=crashpoints.reach)
    return InputJob(path=path, sheet=data, journal=journal,
                    writer=ResultWriter(path, output=output, sheet=data),
                    requests=group_requests(data, load_catalogs(settings)))
