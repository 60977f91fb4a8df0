"""Results belong to a row's identity (request and equipment), never to its row number: a
finished workbook the operator edits (rows inserted, deleted, sorted, cells changed) gets every
result back on its own row, and a journal of the previous version keeps working."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpa.io.journal import Journal
from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.io.spreadsheet_out import ResultWriter, RowResult
from rpa.procedure.row_identity import row_fingerprint, sheet_identities
from rpa.runtime.jobs import migrate_legacy, row_done, unique_files
from tests.corpus.builders import STANDARD_HEADERS, good_row, write_csv, write_xlsx

STAMP = dt.datetime(2026, 11, 28, 14, 5)


def request_row(i: int) -> dict[str, object]:
    return good_row(**{"Solicitação": f"SOL-{i}", "Número de Série": f"SER{i:04d}"})


def result_for(serial: str) -> RowResult:
    """A result that names its own equipment, so a misplaced one shows."""
    return RowResult(status="OK", os_number="OS-" + serial, ticket="T-" + serial, message=f"O.S. de {serial}.",
                     processed_at=STAMP)


def finish_all(path: Path, journal: Journal) -> dict[str, str]:
    """Journal an OK result for every row of ``path``; returns identity -> serial."""
    sheet = read_spreadsheet(path)
    ids = sheet_identities(sheet)
    serial_of = {}
    for row in sheet.rows:
        identity, serial = ids[row.row_number], row.values["Número de Série"]
        serial_of[identity] = serial
        result = result_for(serial).model_dump(mode="json")
        journal.finish_request(f"sol:{row.values['Solicitação']}", {identity: result}, final=True,
                               rows={identity: row.row_number}, fingerprints={identity: row_fingerprint(row)})
    return serial_of


def project(path: Path, journal: Journal) -> None:
    results = {i: RowResult.model_validate(r) for i, (_, r) in journal.results().items()}
    ResultWriter(path).write(results, fingerprints=journal.final_rows())


def sheet_rows(path: Path) -> tuple[list[str], list[list[object]]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return [str(h) for h in values[0]], values[1:]


edits = st.fixed_dictionaries({
    "delete": st.lists(st.integers(0, 5), max_size=3),
    "insert": st.lists(st.tuples(st.integers(0, 8), st.integers(100, 120)), max_size=3, unique_by=lambda t: t[1]),
    "order": st.sampled_from(["keep", "reverse", "shuffle", "by_serial_desc"]),
    "seed": st.integers(0, 10_000),
    "clear_results": st.lists(st.integers(0, 8), max_size=3),
    "defect_edits": st.lists(st.integers(0, 8), max_size=2),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=edits)
def test_edited_workbook_gets_every_result_on_its_own_row(tmp_path_factory, edit):
    tmp = tmp_path_factory.mktemp("prop")
    path = write_xlsx(tmp / "chamados.xlsx", STANDARD_HEADERS, [request_row(i) for i in range(6)])
    journal = Journal(tmp / "journal.sqlite")
    finish_all(path, journal)
    project(path, journal)

    headers, rows = sheet_rows(path)
    col = {h: i for i, h in enumerate(headers)}
    rows = [r for i, r in enumerate(rows) if i not in set(edit["delete"])]
    for at, n in edit["insert"]:
        new = request_row(n)
        rows.insert(min(at, len(rows)), [new.get(h, "") or None for h in headers])
    rng = random.Random(edit["seed"])
    if edit["order"] == "reverse":
        rows.reverse()
    elif edit["order"] == "shuffle":
        rng.shuffle(rows)
    elif edit["order"] == "by_serial_desc":
        rows.sort(key=lambda r: str(r[col["Número de Série"]]), reverse=True)
    for i in edit["clear_results"]:
        if i < len(rows):
            rows[i][col["Status RPA"]] = None
            rows[i][col["Nº O.S."]] = "9999"   # a wrong number typed over a result
    for i in edit["defect_edits"]:
        if i < len(rows):
            rows[i][col["Defeito"]] = "Não liga"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chamados"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)

    # The rerun: which rows are done, then the projection.
    sheet = read_spreadsheet(path)
    ids = sheet_identities(sheet)
    final = journal.final_rows()
    finished = set(final)
    for row in sheet.rows:
        done = row_done(row, ids[row.row_number], final)
        assert done == (ids[row.row_number] in finished), (row.row_number, ids[row.row_number])
    project(path, journal)
    for row in read_spreadsheet(path).rows:
        serial = row.values["Número de Série"]
        if f"SOL-{serial[3:].lstrip('0') or '0'}|{serial}" in finished:
            assert row.values["Nº O.S."] == "OS-" + serial, (row.row_number, row.values)
            assert row.values["Ticket"] == "T-" + serial
            assert row.values["Status RPA"] == "OK"
        else:  # a new request: nothing of another row's
            assert row.values["Status RPA"] == "" and row.values["Nº O.S."] in ("", "9999"), row.values
    journal.close()


class TestRowIdentity:
    def test_solicitacao_and_serial_not_row_number(self, tmp_path):
        a = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, [request_row(1), request_row(2)])
        b = write_xlsx(tmp_path / "b.xlsx", STANDARD_HEADERS, [request_row(9), request_row(2), request_row(1)])
        ia, ib = sheet_identities(read_spreadsheet(a)), sheet_identities(read_spreadsheet(b))
        assert ia[2] == ib[4] == "SOL-1|SER0001" and ia[3] == ib[3]

    def test_without_solicitacao_the_cnpj_and_duplicates_counted(self, tmp_path):
        rows = [good_row(), good_row(), good_row(**{"Número de Série": " be4200th 000999 "})]
        ids = sheet_identities(read_spreadsheet(write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, rows)))
        assert list(ids.values()) == ["cnpj:11222333000181|BE4200TH000123", "cnpj:11222333000181|BE4200TH000123#2",
                                      "cnpj:11222333000181|BE4200TH000999"]

    def test_a_deleted_row_is_listed_and_its_result_kept(self, tmp_path):
        path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, [request_row(1), request_row(2)])
        journal = Journal(tmp_path / "j.sqlite")
        finish_all(path, journal)
        write_xlsx(path, STANDARD_HEADERS, [request_row(2)])
        present = set(sheet_identities(read_spreadsheet(path)).values())
        assert {i: n for i, (n, _) in journal.results().items() if i not in present} == {"SOL-1|SER0001": 2}

    def test_edited_row_after_a_site_is_done_and_says_so(self, tmp_path):
        path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, [request_row(1)])
        journal = Journal(tmp_path / "j.sqlite")
        finish_all(path, journal)
        write_xlsx(path, STANDARD_HEADERS, [{**request_row(1), "Defeito": "Não liga"}])
        row = read_spreadsheet(path).rows[0]
        assert row_done(row, "SOL-1|SER0001", journal.final_rows())
        project(path, journal)
        message = read_spreadsheet(path).rows[0].values["Mensagem RPA"]
        assert message.startswith("O.S. de SER0001. | Atenção: os dados desta linha foram alterados")
        assert "não será refeita" in message


class TestLegacyJournal:
    """A journal written by the previous version (results by row number) keeps working."""

    def _legacy(self, db: Path, fingerprints: dict[int, str]) -> None:
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE results (row_number INTEGER PRIMARY KEY, request_key TEXT NOT NULL, "
                    "result TEXT NOT NULL, final INTEGER NOT NULL, fingerprint TEXT, at TEXT NOT NULL)")
        for n, fp in fingerprints.items():
            con.execute("INSERT INTO results VALUES (?,?,?,?,?,?)",
                        (n, f"sol:SOL-{n - 1}", result_for(f"SER{n - 1:04d}").model_dump_json(), 1, fp, "x"))
        con.commit()
        con.close()

    def test_rows_in_place_are_adopted_moved_ones_are_removed(self, tmp_path):
        path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, [request_row(1), request_row(2)])
        sheet = read_spreadsheet(path)
        self._legacy(tmp_path / "j.sqlite", {2: row_fingerprint(sheet.rows[0]), 3: "another row was here"})
        journal = Journal(tmp_path / "j.sqlite")
        migrate_legacy(journal, sheet, sheet_identities(sheet))
        assert set(journal.final_rows()) == {"SOL-1|SER0001", "linha:3"}
        assert journal.legacy_rows() == {}
        migrate_legacy(journal, sheet, sheet_identities(sheet))  # a second open changes nothing
        assert set(journal.results()) == {"SOL-1|SER0001", "linha:3"}
        project(path, journal)
        assert [r.values["Nº O.S."] for r in read_spreadsheet(path).rows] == ["OS-SER0001", ""]


class TestSameFile:
    def test_one_file_by_several_paths_is_one_job(self, tmp_path, monkeypatch):
        path = write_csv(tmp_path / "dup.csv", STANDARD_HEADERS, [request_row(1)])
        (tmp_path / "link.csv").symlink_to(path)
        monkeypatch.chdir(tmp_path)
        files = [Path("dup.csv"), Path("./dup.csv"), tmp_path / "link.csv", tmp_path / "sub" / ".." / "dup.csv",
                 path]
        (tmp_path / "sub").mkdir()
        assert unique_files(files) == [Path("dup.csv")]


def test_a_row_copied_with_its_ok_is_not_taken_for_done(tmp_path):
    """The operator copies a finished row, status and O.S. included, and changes the serial."""
    path = write_xlsx(tmp_path / "a.xlsx", STANDARD_HEADERS, [request_row(1)])
    journal = Journal(tmp_path / "j.sqlite")
    finish_all(path, journal)
    project(path, journal)
    headers, rows = sheet_rows(path)
    copy = list(rows[0])
    copy[headers.index("Número de Série")] = "SER0777"
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].append(copy)
    wb.save(path)
    sheet = read_spreadsheet(path)
    ids = sheet_identities(sheet)
    assert sheet.rows[1].values["Status RPA"] == "OK"
    done = [row_done(r, ids[r.row_number], journal.final_rows(), trust_workbook=not journal.results())
            for r in sheet.rows]
    assert done == [True, False]
    # a file the journal knows nothing of: results typed in the workbook stand
    assert row_done(sheet.rows[1], ids[3], {}, trust_workbook=True)
