"""``rpa historico``: the nights' history from the runs' journals (``runs/*/journal.sqlite``).

Per night (a run started before noon belongs to the night before): requests, rows per
outcome, requests/min, duration; across the period the most frequent error messages and the
clients with most ``DADOS_INVALIDOS``. Written as ``historico.html`` (plotly charts with their
JavaScript inline: opens offline) and ``historico.xlsx`` (pandas) for the managers.

A run's facts come from what it left in the journal when it ended (``RunSummary.journal_facts``);
a run killed before its end has none, so its rows are the results written while it ran.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from rpa.outcomes import Outcome

NIGHT_CUTOFF = dt.timedelta(hours=12)  # a run started at 02:00 belongs to the night before
TOP = 10
ERROR_OUTCOMES = (Outcome.ERRO_SISTEMA, Outcome.DADOS_INVALIDOS)
TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class RunFacts:
    run_id: str
    started_at: dt.datetime
    seconds: float = 0.0
    requests: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)  # RowFacts.as_json()
    ended: bool = True

    @property
    def night(self) -> dt.date:
        return (self.started_at - NIGHT_CUTOFF).date()


@dataclass
class Night:
    night: dt.date
    runs: int
    requests: int
    seconds: float
    counts: dict[Outcome, int]

    @property
    def requests_per_minute(self) -> float:
        return self.requests * 60 / self.seconds if self.seconds > 0 else 0.0


@dataclass
class History:
    nights: list[Night]
    errors: list[tuple[str, str, int]]        # (outcome, message, rows)
    invalid_clients: list[tuple[str, str, int]]  # (CNPJ, razão social, rows)
    since: dt.date


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _read_journal(path: Path) -> list[RunFacts]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        runs = db.execute("SELECT run_id, started_at, ended_at, summary FROM runs ORDER BY started_at").fetchall()
        results = db.execute("SELECT request_key, result, at FROM results").fetchall()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "row_results" in tables:  # results by row identity (a journal opened by this version)
            results += db.execute("SELECT request_key, result, at FROM row_results").fetchall()
    finally:
        db.close()
    facts = []
    for i, (run_id, started, ended, summary) in enumerate(runs):
        data = json.loads(summary) if summary else {}
        if "rows" in data:
            facts.append(RunFacts(run_id, _time(started), float(data.get("seconds", 0)), int(data.get("requests", 0)),
                                  list(data["rows"])))
            continue
        # Killed (or written by an older bot): the results stamped while it ran.
        until = _time(runs[i + 1][1]) if i + 1 < len(runs) else dt.datetime.max
        mine = [(k, json.loads(r), _time(at)) for k, r, at in results if _time(started) <= _time(at) < until]
        last = max((at for _, _, at in mine), default=_time(ended or started))
        rows = [{"outcome": r.get("status", ""), "message": r.get("message", ""), "cnpj": "", "client": ""}
                for _, r, _ in mine]
        facts.append(RunFacts(run_id, _time(started), (last - _time(started)).total_seconds(),
                              len({k for k, _, _ in mine}), rows, ended=bool(summary)))
    return facts


def load_runs(runs_dir: Path) -> list[RunFacts]:
    """Every run of every journal under ``runs_dir``; one run over several files counted once."""
    merged: dict[str, RunFacts] = {}
    for path in sorted(Path(runs_dir).glob("*/journal.sqlite")):
        try:
            found = _read_journal(path)
        except sqlite3.DatabaseError:
            continue  # not a journal (or a damaged one): the others still count
        for run in found:
            if run.run_id in merged:
                seen = merged[run.run_id]
                seen.requests += run.requests
                seen.rows += run.rows
                seen.seconds = max(seen.seconds, run.seconds)
            else:
                merged[run.run_id] = run
    return sorted(merged.values(), key=lambda r: r.started_at)


def _general(message: str) -> str:
    """The same error on other rows reads the same ("Linha 7, coluna CNPJ" -> "Linha …, coluna CNPJ")."""
    return re.sub(r"\bLinha \d+", "Linha …", message)


def summarize(runs: list[RunFacts], days: int, today: dt.date | None = None) -> History:
    today = today or dt.date.today()
    since = today - dt.timedelta(days=days)
    kept = [r for r in runs if r.night >= since]
    nights = []
    for night in sorted({r.night for r in kept}):
        these = [r for r in kept if r.night == night]
        codes = Counter(o for r in these for row in r.rows if (o := Outcome.parse(str(row.get("outcome", "")))))
        nights.append(Night(night, len(these), sum(r.requests for r in these), sum(r.seconds for r in these),
                            {o: codes.get(o, 0) for o in Outcome}))
    rows = [row for r in kept for row in r.rows]
    errors = Counter((str(row["outcome"]), _general(str(row.get("message", "")))) for row in rows
                     if row.get("outcome") in ERROR_OUTCOMES)
    clients = Counter((str(row.get("cnpj", "")), str(row.get("client", ""))) for row in rows
                      if row.get("outcome") == Outcome.DADOS_INVALIDOS and (row.get("cnpj") or row.get("client")))
    return History(nights, [(o, m, n) for (o, m), n in errors.most_common(TOP)],
                   [(c, name, n) for (c, name), n in clients.most_common(TOP)], since)


def _frames(history: History) -> dict[str, pd.DataFrame]:
    nights = pd.DataFrame([{
        "Noite": n.night, "Execuções": n.runs, "Solicitações": n.requests,
        **{o.value: n.counts[o] for o in Outcome},
        "Solicitações/min": round(n.requests_per_minute, 1), "Duração (min)": round(n.seconds / 60, 1),
    } for n in history.nights], columns=["Noite", "Execuções", "Solicitações", *[o.value for o in Outcome],
                                          "Solicitações/min", "Duração (min)"])
    errors = pd.DataFrame(history.errors, columns=["Resultado", "Mensagem", "Linhas"])
    clients = pd.DataFrame(history.invalid_clients, columns=["CNPJ", "Razão Social", "Linhas DADOS_INVALIDOS"])
    return {"Por noite": nights, "Erros mais frequentes": errors, "Clientes com dados inválidos": clients}


def _charts(history: History) -> Markup:
    labels = [n.night.strftime("%d/%m") for n in history.nights]
    outcomes = go.Figure([go.Bar(name=o.label, x=labels, y=[n.counts[o] for n in history.nights],
                                 marker_color=o.color) for o in Outcome])
    outcomes.update_layout(barmode="stack", title="Linhas por resultado, por noite", height=380,
                           margin={"t": 50, "b": 40}, xaxis_type="category")
    speed = go.Figure([go.Scatter(x=labels, y=[round(n.requests_per_minute, 1) for n in history.nights],
                                  mode="lines+markers", name="Solicitações/min")])
    speed.update_layout(title="Solicitações por minuto, por noite", height=300, margin={"t": 50, "b": 40},
                        xaxis_type="category")
    # plotly.js once, inline: the page opens with no network at all.
    return Markup(outcomes.to_html(full_html=False, include_plotlyjs=True)
                  + speed.to_html(full_html=False, include_plotlyjs=False))


def _as_is(text: str) -> str:
    return text


def write_history(history: History, out_dir: Path, scrub: Callable[[str], str] = _as_is) -> tuple[Path, Path]:
    """``historico.html`` and ``historico.xlsx`` in ``out_dir``; every text from the journals
    (messages, clients) through ``scrub`` first."""
    history = replace(history, errors=[(o, scrub(m), n) for o, m, n in history.errors],
                      invalid_clients=[(scrub(c), scrub(name), n) for c, name, n in history.invalid_clients])
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = _frames(history)
    xlsx = out_dir / "historico.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            frame.to_excel(writer, sheet_name=sheet, index=False)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    page = env.get_template("history.html.j2").render(
        history=history, outcomes=list(Outcome), charts=_charts(history) if history.nights else Markup(""),
        today=dt.date.today())
    html = out_dir / "historico.html"
    html.write_text(page, encoding="utf-8")
    return html, xlsx
