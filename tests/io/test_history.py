"""``rpa historico``: numbers per night checked against the journals the runs left."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from rpa.io.history import load_runs, summarize, write_history
from rpa.io.journal import Journal
from rpa.io.run_summary import RequestRecord, RowFacts, RunSummary
from rpa.outcomes import Outcome

TODAY = dt.date.today()
NIGHT_1 = TODAY - dt.timedelta(days=3)
NIGHT_2 = TODAY - dt.timedelta(days=2)
BETA = ("33.445.566/0001-87", "BETA LTDA")
GAMA = ("22.333.444/0001-05", "GAMA LTDA")


def _row(n: int, outcome: Outcome, client: tuple[str, str] = ("11.222.333/0001-81", "ALFA LTDA"),
         message: str = "") -> RowFacts:
    return RowFacts(n, outcome, message or outcome.label, client[0], client[1])


def _run(journal: Journal, file: str, run_id: str, started: dt.datetime, seconds: float,
         requests: list[list[RowFacts]], ended: bool = True) -> None:
    """A run as the runner leaves it in the journal; its start moved to ``started``."""
    journal.start_run(run_id)
    records = []
    for i, rows in enumerate(requests):
        key = f"{run_id}:{i}"
        journal.begin_request(key, [r.row for r in rows], run_id)
        journal.finish_request(key, {f"{key}|{r.row}": {"status": r.outcome.value, "message": r.message}
                                     for r in rows}, final=True, rows={f"{key}|{r.row}": r.row for r in rows})
        records.append(RequestRecord(file, key, [r.row for r in rows], rows[0].outcome, "", 1.0, rows_detail=rows))
    if ended:
        counts: dict[str, int] = {}
        summary = RunSummary(run_id, records, counts, [], seconds=seconds, workers=2)
        journal.end_run(run_id, summary.journal_facts(file))
    db = sqlite3.connect(journal.path)
    db.execute("UPDATE runs SET started_at=? WHERE run_id=?", (started.isoformat(timespec="seconds"), run_id))
    if not ended:  # its results were written while it ran
        db.execute("UPDATE row_results SET at=? WHERE request_key LIKE ?",
                   ((started + dt.timedelta(seconds=seconds)).isoformat(timespec="seconds"), run_id + ":%"))
    db.commit()
    db.close()


@pytest.fixture()
def runs_dir(tmp_path: Path) -> Path:
    invalid_cnpj = "Linha {}, coluna CNPJ: dígitos verificadores não conferem. Corrija o CNPJ."
    a = Journal(tmp_path / "runs" / "a-1" / "journal.sqlite")
    # Night 1: a run at 22:00 and its rerun at 01:30 (same night), 4 + 1 requests in 600 s + 60 s.
    _run(a, "a.xlsx", "r1", dt.datetime.combine(NIGHT_1, dt.time(22, 0)), 600, [
        [_row(2, Outcome.OK), _row(3, Outcome.OK)],
        [_row(4, Outcome.DADOS_INVALIDOS, BETA, invalid_cnpj.format(4))],
        [_row(5, Outcome.DADOS_INVALIDOS, BETA, invalid_cnpj.format(5))],
        [_row(6, Outcome.ERRO_SISTEMA, message="Falha em zendesk.ticket.submit_as após 3 tentativas")],
    ])
    _run(a, "a.xlsx", "r2", dt.datetime.combine(NIGHT_2, dt.time(1, 30)), 60, [[_row(6, Outcome.OK)]])
    a.close()
    b = Journal(tmp_path / "runs" / "b-2" / "journal.sqlite")
    # Night 2: one run over another file, 3 requests in 120 s.
    _run(b, "b.xlsx", "r3", dt.datetime.combine(NIGHT_2, dt.time(23, 0)), 120, [
        [_row(2, Outcome.CADASTRO_PENDENTE)],
        [_row(3, Outcome.DADOS_INVALIDOS, GAMA, invalid_cnpj.format(3))],
        [_row(n, Outcome.ESCALADO_GESTOR) for n in range(4, 10)],
    ])
    # Long ago: outside --dias 30.
    _run(b, "b.xlsx", "r0", dt.datetime.combine(TODAY - dt.timedelta(days=60), dt.time(22, 0)), 60,
         [[_row(20, Outcome.DADOS_INVALIDOS, GAMA)]])
    b.close()
    return tmp_path / "runs"


class TestNumbers:
    def test_per_night(self, runs_dir: Path):
        history = summarize(load_runs(runs_dir), days=30, today=TODAY)
        assert [n.night for n in history.nights] == [NIGHT_1, NIGHT_2]
        first, second = history.nights
        assert (first.runs, first.requests, first.seconds) == (2, 5, 660)
        assert first.counts[Outcome.OK] == 3 and first.counts[Outcome.DADOS_INVALIDOS] == 2
        assert first.counts[Outcome.ERRO_SISTEMA] == 1
        assert first.requests_per_minute == pytest.approx(5 * 60 / 660)
        assert (second.runs, second.requests, second.seconds) == (1, 3, 120)
        assert second.counts[Outcome.ESCALADO_GESTOR] == 6 and second.counts[Outcome.CADASTRO_PENDENTE] == 1

    def test_frequent_errors_and_clients_with_invalid_data(self, runs_dir: Path):
        history = summarize(load_runs(runs_dir), days=30, today=TODAY)
        assert history.errors[0] == (Outcome.DADOS_INVALIDOS, "Linha …, coluna CNPJ: dígitos verificadores não "
                                     "conferem. Corrija o CNPJ.", 3)
        assert (Outcome.ERRO_SISTEMA, "Falha em zendesk.ticket.submit_as após 3 tentativas", 1) in history.errors
        assert history.invalid_clients == [(*BETA, 2), (*GAMA, 1)]  # GAMA's older row is outside the period

    def test_a_killed_run_counts_the_results_it_wrote(self, tmp_path: Path):
        journal = Journal(tmp_path / "runs" / "c-3" / "journal.sqlite")
        _run(journal, "c.xlsx", "r9", dt.datetime.combine(NIGHT_2, dt.time(22, 0)), 90,
             [[_row(2, Outcome.OK)], [_row(3, Outcome.OK), _row(4, Outcome.GARANTIA_EXPIRADA)]], ended=False)
        journal.close()
        (night,) = summarize(load_runs(tmp_path / "runs"), days=30, today=TODAY).nights
        assert (night.requests, night.seconds) == (2, 90)
        assert night.counts[Outcome.OK] == 2 and night.counts[Outcome.GARANTIA_EXPIRADA] == 1


class TestOutputs:
    def test_rpa_historico_writes_html_with_inline_charts_and_xlsx(self, runs_dir: Path, tmp_path: Path):
        out = tmp_path / "saida"
        env = {**os.environ, "RPA_RUNS_DIR": str(runs_dir)}
        done = subprocess.run([sys.executable, "-m", "rpa.cli", "historico", "--dias", "30", "--saida", str(out)],
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == [str(out / "historico.html"), str(out / "historico.xlsx")]
        page = (out / "historico.html").read_text(encoding="utf-8")
        assert "Plotly.newPlot" in page and "<script src=" not in page  # plotly.js inline: opens offline
        sheet = openpyxl.load_workbook(out / "historico.xlsx")["Por noite"]
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        got = [dict(zip(header, r, strict=True)) for r in rows]
        assert [(g["Solicitações"], g["OK"], g["DADOS_INVALIDOS"], g["ESCALADO_GESTOR"]) for g in got] == [
            (5, 3, 2, 0), (3, 0, 1, 6)]
        assert got[0]["Duração (min)"] == 11.0

    def test_no_run_in_the_period(self, tmp_path: Path):
        html, xlsx = write_history(summarize([], days=30, today=TODAY), tmp_path)
        assert "Nenhuma execução no período" in html.read_text(encoding="utf-8")
        assert openpyxl.load_workbook(xlsx)["Por noite"].max_row == 1

    def test_no_secret_reaches_the_outputs(self, tmp_path: Path):
        secret = "Sup3r&<Senha>"
        journal = Journal(tmp_path / "runs" / "d-4" / "journal.sqlite")
        _run(journal, "d.xlsx", "r5", dt.datetime.combine(NIGHT_2, dt.time(22, 0)), 30,
             [[_row(2, Outcome.ERRO_SISTEMA, message=f"login recusado com {secret}")]])
        journal.close()
        out = tmp_path / "saida"
        env = {**os.environ, "RPA_RUNS_DIR": str(tmp_path / "runs"), "RPA_ZENDESK_PASSWORD": secret}
        done = subprocess.run([sys.executable, "-m", "rpa.cli", "historico", "--saida", str(out)],
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        page = (out / "historico.html").read_text(encoding="utf-8")
        assert "login recusado com ***" in page
        cells = [c for row in openpyxl.load_workbook(out / "historico.xlsx")["Erros mais frequentes"].iter_rows(
            values_only=True) for c in row]
        assert "login recusado com ***" in cells
        for spelling in (secret, "Sup3r&amp;&lt;Senha&gt;", "Sup3r"):
            assert spelling not in page
            assert not any(spelling in str(c) for c in cells)
