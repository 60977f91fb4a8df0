"""The input spreadsheets of a run: each with its rows, requests, journal and result writer,
and what tells a row already done from a row still to do."""

from __future__ import annotations

import hashlib
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rpa.io.catalog_files import load_catalogs
from rpa.io.journal import Journal
from rpa.io.journal_store import JournalStore
from rpa.io.run_summary import RemovedRow
from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.io.spreadsheet_out import ResultWriter, RowResult
from rpa.outcomes import Outcome
from rpa.procedure.requests import Request, group_requests
from rpa.procedure.row_identity import row_fingerprint, sheet_identities
from rpa.procedure.sheet import Sheet, SheetRow
from rpa.runtime import crashpoints
from rpa.settings import Settings


def row_done(row: SheetRow, identity: str, final: dict[str, tuple[str, str]], *,
             trust_workbook: bool = False) -> bool:
    """Done: a final result in the journal for this row's identity, unless the operator changed
    the row's input since and that result touched no site. Only for a file the journal has no
    result of (results written by hand, or on another machine), a business outcome in the
    workbook: otherwise a row copied with its "OK" would be taken for done."""
    if identity in final:
        status, fp = final[identity]
        outcome = Outcome.parse(status)
        return (outcome is not None and outcome.touched_site) or fp == row_fingerprint(row)
    if not trust_workbook:
        return False
    outcome = Outcome.parse(row.values.get("Status RPA", ""))
    return outcome is not None and outcome.is_business


def edited_after_site(row: SheetRow, identity: str, final: dict[str, tuple[str, str]]) -> bool:
    """The operator changed a row whose result already touched a site: it is not redone."""
    if identity not in final:
        return False
    status, fp = final[identity]
    outcome = Outcome.parse(status)
    return outcome is not None and outcome.touched_site and fp != row_fingerprint(row)


@dataclass
class InputJob:
    """One input spreadsheet: its rows, journal and result writer."""

    path: Path
    sheet: Sheet
    journal: JournalStore
    writer: ResultWriter
    requests: list[Request]
    lock: threading.Lock = field(default_factory=threading.Lock)
    dirty: bool = False

    identities: dict[int, str] = field(default_factory=dict)   # row number -> row identity

    def project(self) -> Path:
        """Write every result the journal holds into the workbook (single writer): each onto the
        row that has its identity now, wherever the operator moved it."""
        with self.lock:
            self.dirty = False
            results = {i: RowResult.model_validate(r) for i, (_, r) in self.journal.results().items()}
            return self.writer.write(results, fingerprints=self.journal.final_rows())

    def removed_rows(self) -> dict[str, int]:
        """Results whose row is no longer in the spreadsheet: identity -> its row when processed."""
        return {r.identity: r.row for r in self.removed_records()}

    def removed_records(self) -> list[RemovedRow]:
        present = set(self.identities.values())
        return [RemovedRow(str(self.path), i, n, str(r.get("status", "")), str(r.get("os_number", "")),
                           str(r.get("ticket", "")))
                for i, (n, r) in sorted(self.journal.results().items(), key=lambda kv: kv[1][0])
                if i not in present]


def requests_to_do(job: InputJob) -> list[Request]:
    """Requests still to do. A request is done when each of its rows has a final result in the
    journal under its identity, wherever the row is now (or, for a file the journal has no
    result of, a business outcome in the workbook), unless the operator changed a row's input
    since and that row's outcome touched no site."""
    final = job.journal.final_rows()
    trust = not job.journal.has_results()
    by_number = {r.row_number: r for r in job.sheet.rows}
    return [request for request in job.requests
            if not all(row_done(by_number[n], job.identities[n], final, trust_workbook=trust)
                       for n in request.row_numbers)]


def run_dir_for(settings: Settings, path: Path) -> Path:
    """The folder of one input file's journal, the same for every run on that file."""
    # resolve(): a symlink, ``./`` or ``..`` in the path reach the same journal
    ident = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    return settings.runs_dir / f"{path.stem}-{ident}"


def file_key(path: Path) -> str:
    """The name of an input file in the shared database: its machine and real path, so that
    the same path on two machines is two files and the same file by two paths is one."""
    where = f"{socket.gethostname()}:{path.resolve()}"
    return f"{path.stem}-{hashlib.sha1(where.encode()).hexdigest()[:8]}"


def open_journal(settings: Settings, path: Path) -> JournalStore:
    """The one place that chooses the store: PostgreSQL when ``database_url`` is set, else the
    SQLite file next to the runs."""
    if settings.database_url is not None:
        from rpa.io.journal_pg import PgJournal

        return PgJournal(settings.database_url.get_secret_value(), file_key(path), checkpoint=crashpoints.reach)
    return Journal(run_dir_for(settings, path) / "journal.sqlite", checkpoint=crashpoints.reach)


def same_file(a: Path, b: Path) -> bool:
    """One file reached by two paths (``./``, a symlink, another spelling)."""
    try:
        return Path(a).samefile(b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def unique_files(files: list[Path]) -> list[Path]:
    """The input files, each once however it was spelt (one job, one journal, one writer)."""
    out: list[Path] = []
    for f in files:
        if not any(same_file(f, seen) for seen in out):
            out.append(f)
    return out


def migrate_legacy(journal: JournalStore, sheet: Sheet, identities: dict[int, str]) -> None:
    """A journal of the previous version kept results by row number: a row still where it was
    (same input) takes its result; any other is kept as a removed row."""
    legacy = journal.legacy_rows()
    if not legacy:
        return
    by_number = {r.row_number: r for r in sheet.rows}
    matched = {n: identities[n] for n, fp in legacy.items()
               if n in by_number and fp and fp == row_fingerprint(by_number[n])}
    journal.adopt_legacy(matched)


def load_job(settings: Settings, path: Path, sheet: str | None, output: Path | None) -> InputJob:
    data = read_spreadsheet(path, sheet)
    journal = open_journal(settings, path)
    identities = sheet_identities(data)
    migrate_legacy(journal, data, identities)
    return InputJob(path=path, sheet=data, journal=journal,
                    writer=ResultWriter(path, output=output, sheet=data),
                    requests=group_requests(data, load_catalogs(settings)), identities=identities)
