"""Between a stopped run and its rerun the operator inserts, deletes and sorts rows: every
result lands on its own row, finished rows are not redone, new rows are processed, and the
sites end with one ticket per request and one O.S. per equipment."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from fakesite.sample import bulk_rows, write_xlsx
from fakesite.seed import default_seed
from rpa.io.report import render
from rpa.runtime.jobs import load_job
from rpa.runtime.runner import Runner
from tests.e2e.harness import read_results

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def rewrite(path: Path, rows: list[list[object]]) -> None:
    """Keep the title/header rows of ``path`` and replace its data rows with ``rows``."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "CNPJ")
    ws.delete_rows(header + 1, ws.max_row)
    for row in rows:
        ws.append(row)
    wb.save(path)


def data_rows(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(values) if "CNPJ" in r)
    return [r for r in values[header + 1:] if any(c not in (None, "") for c in r)]


def test_insert_delete_sort_between_runs(bot, fake):
    seed = default_seed()
    before = {o["number"] for o in fake.state()["workfinity"]["service_orders"]}
    rows = bulk_rows(seed, 8)
    assert len({r["Número de Série"] for r in rows}) == 8, "the test needs one equipment per request"
    book = write_xlsx(rows[:6], bot.workdir / "identidade.xlsx")
    settings = bot.settings()

    # Night 1: stopped after three requests.
    stop = threading.Event()
    ended: list[str] = []

    def on_event(name: str, data: dict) -> None:
        if name == "end":
            ended.append(data["key"])
            if len(ended) == 3:
                stop.set()

    job = load_job(settings, book, None, None)
    Runner(settings, [job], "night-1", stop=stop, on_event=on_event).run()
    job.journal.close()
    first = read_results(book)
    assert [r["Status RPA"] for r in first] == ["OK"] * 3 + [""] * 3

    # The operator: two new requests on top, a finished row deleted, the rest sorted the other way.
    headers = [c.value for c in openpyxl.load_workbook(book).worksheets[0][1]]
    new = [[r.get(h, "") for h in headers] for r in rows[6:]]
    old = data_rows(book)
    deleted_sol = old[1][headers.index("Solicitação")]
    kept = [r for i, r in enumerate(old) if i != 1]
    rewrite(book, new + list(reversed(kept)))

    job = load_job(settings, book, None, None)
    summary = Runner(settings, [job], "night-2").run()
    removed = job.removed_rows()
    job.journal.close()

    assert summary.exit_code == 0
    # Only the new and the unfinished requests were worked: 2 new + 3 never done.
    assert len(summary.records) == 5
    state = fake.state()
    new_orders = [o for o in state["workfinity"]["service_orders"] if o["number"] not in before]
    os_of_serial = {o["serial"]: o["number"] for o in new_orders}
    assert Counter(o["serial"] for o in new_orders) == Counter(r["Número de Série"] for r in rows)  # one each
    final = read_results(book)
    assert len(final) == 7
    for r in final:
        assert r["Status RPA"] == "OK", r
        assert r["Nº O.S."] == os_of_serial[r["Número de Série"]], r
    tickets = {r["Ticket"] for r in final}
    assert len(tickets) == 7 and all(tickets)  # one ticket per request, each row its own
    created = [t for t in state["zendesk"]["tickets"] if str(t["id"]) in tickets]
    assert len(created) == 7
    deleted = f"{deleted_sol}|{old[1][headers.index('Número de Série')]}"
    assert list(removed) == [deleted]
    assert [(r.identity, r.status) for r in summary.removed] == [(deleted, "OK")]
    report = render(summary, bot.workdir / "relatorio.html").read_text(encoding="utf-8")
    assert "Linhas removidas da planilha" in report and deleted in report
    # the two inserted requests are on top, with their own results
    assert [r["Solicitação"] for r in final[:2]] == [r["Solicitação"] for r in rows[6:]]
