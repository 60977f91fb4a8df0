"""A run with every outcome, built directly (summary, flow files, a real screenshot and trace)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from playwright.sync_api import Browser

from rpa.io.run_summary import RequestRecord, RowFacts, RunSummary, StopReason
from rpa.outcomes import Outcome

SECRET = "s3nh@&<forte>"
FAILED_KEY = "ticket:41009"
FAILED_SLUG = "ticket_41009"
OS_NUMBER = "2026004417"
CNPJ = "11.222.333/0001-81"
# Rows that need a person, by outcome (what "Precisa de você" must list, exactly).
NEEDS = {
    Outcome.DADOS_INVALIDOS: [6],
    Outcome.ESCALADO_GESTOR: [12, 13],
    Outcome.GARANTIA_EXPIRADA: [19],
    Outcome.CADASTRO_PENDENTE: [8],
    Outcome.ERRO_SISTEMA: [20],
}


def _record(key: str, rows: list[RowFacts], seconds: float = 2.0, **kw) -> RequestRecord:
    outcome = rows[0].outcome
    return RequestRecord("/dados/solicitacoes.xlsx", key, [r.row for r in rows], outcome,
                         " | ".join(dict.fromkeys(r.message for r in rows if r.message)), seconds,
                         rows_detail=rows, **kw)


def _flow(run_dir: Path, slug: str, key: str, steps: list[dict]) -> None:
    (run_dir / "flows").mkdir(parents=True, exist_ok=True)
    (run_dir / "flows" / f"{slug}.json").write_text(json.dumps({"version": 1, "request": key, "steps": steps}))


def record_trace(browser: Browser, folder: Path) -> tuple[Path, Path]:
    """A real Playwright trace with a click on ``#salvar-os``, and a real failure screenshot."""
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context()
    context.tracing.start(screenshots=True, snapshots=True, title=FAILED_KEY)
    page = context.new_page()
    page.set_content("<h1>Nova Ordem de Serviço</h1><button id='salvar-os'>Salvar</button>")
    page.click("#salvar-os")
    shot = folder / "failure-1.png"
    page.screenshot(path=str(shot))
    trace = folder / "trace-1.zip"
    context.tracing.stop(path=str(trace))
    context.close()
    return trace, shot


def every_outcome_run(run_dir: Path, browser: Browser) -> RunSummary:
    _, shot = record_trace(browser, run_dir / FAILED_SLUG)
    records = [
        _record("ticket:41001", [RowFacts(3, Outcome.OK, "O.S. aberta", CNPJ, "ALFA COMÉRCIO LTDA", OS_NUMBER,
                                          "41001")]),
        _record("sol:SOL-2003", [RowFacts(6, Outcome.DADOS_INVALIDOS,
                                          "Linha 6, coluna CNPJ: dígitos verificadores não conferem. Corrija o CNPJ.",
                                          "33.445.566/0001-87", "BETA LTDA",
                                          problems=[("CNPJ", "Linha 6, coluna CNPJ: dígitos verificadores não "
                                                             "conferem. Corrija o CNPJ.")])], seconds=0.1),
        _record("sol:SOL-2006", [RowFacts(n, Outcome.ESCALADO_GESTOR, "Mais de 5 equipamentos", "22.333.444/0001-05",
                                          "PADARIA GAMA") for n in (12, 13)], seconds=0.1),
        _record("sol:SOL-2008", [RowFacts(19, Outcome.GARANTIA_EXPIRADA, "Garantia expirada em 30/04/2026",
                                          "44.555.666/0001-77", "LANCHONETE DELTA")]),
        _record("sol:SOL-2005", [RowFacts(8, Outcome.CADASTRO_PENDENTE, "Book enviado ao Cadastro",
                                          "55.666.777/0001-88", "EMPÓRIO ÉPSILON", ticket="41005",
                                          deadline=dt.date(2026, 12, 7))]),
        _record(FAILED_KEY, [RowFacts(20, Outcome.ERRO_SISTEMA, f"Falha em workfinity.form.save (senha {SECRET})",
                                      "66.777.888/0001-99", "ZETA LTDA", ticket="41009")], seconds=31.5,
                recording=str(run_dir / FAILED_SLUG), attempts=3, screenshots=[str(shot)]),
    ]
    _flow(run_dir, FAILED_SLUG, FAILED_KEY, [
        {"attempt": 1, "po": "workfinity.form", "call": "open_new_order", "args": [], "seconds": 0.41},
        {"attempt": 1, "po": "workfinity.form", "call": "pick_customer", "args": ["66.777.888/0001-99"],
         "seconds": 0.93},
        {"attempt": 1, "po": "workfinity.form", "call": "save", "args": [], "seconds": 15.0,
         "error": "VerificationFailed"},
    ])
    _flow(run_dir, "ticket_41001", "ticket:41001", [
        {"attempt": 1, "po": "workfinity.form", "call": "save", "args": [], "seconds": 1.2,
         "result": OS_NUMBER}])
    counts: dict[str, int] = {}
    for rec in records:
        for row in rec.rows_detail:
            counts[row.outcome] = counts.get(row.outcome, 0) + 1
    return RunSummary("20261203-020000-1", records, counts, [Path("/dados/solicitacoes.xlsx")],
                      StopReason.UNTIL, 125.0, 2, workers=2, started_at=dt.datetime(2026, 12, 3, 2, 0))


def scrub(text: str) -> str:
    return text.replace(SECRET, "***")
