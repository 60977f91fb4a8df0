"""What a run did, as the report and the console show it: per request a record, the counts
per outcome, the workbooks written, and why the run stopped early (if it did)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rpa.outcomes import Outcome


class StopReason(StrEnum):
    """Why a run stopped before its queue was empty."""

    SIGNAL = "signal"
    UNTIL = "until"
    CIRCUIT_BREAKER = "circuit-breaker"
    DRIFT = "drift"

    @property
    def note(self) -> str:
        """pt-BR line of the report."""
        return _NOTES[self]

    @property
    def cause(self) -> str:
        """pt-BR ending of the console's "Execução interrompida ..."."""
        return _CAUSES[self]


_NOTES = {
    StopReason.SIGNAL: "interrompida pelo operador",
    StopReason.UNTIL: "horário limite (--until) atingido",
    StopReason.CIRCUIT_BREAKER: "interrompida: erros de sistema consecutivos (site fora do ar?)",
    StopReason.DRIFT: "interrompida: uma tela do site mudou (rode `rpa doctor`)",
}
_CAUSES = {
    StopReason.SIGNAL: "pelo operador",
    StopReason.UNTIL: "pelo horário limite (--until)",
    StopReason.CIRCUIT_BREAKER: "por erros de sistema consecutivos (site fora do ar?)",
    StopReason.DRIFT: "porque uma tela do site mudou",
}


@dataclass
class RowFacts:
    """One spreadsheet row as the report and the history show it."""

    row: int
    outcome: Outcome
    message: str = ""
    cnpj: str = ""
    client: str = ""            # Razão Social as typed
    os_number: str = ""
    ticket: str = ""
    deadline: dt.date | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, what to fix) of invalid data

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        return data


def row_facts(results: Mapping[int, Any], cells: Mapping[int, Mapping[str, str]],
              problems: Mapping[int, list[tuple[str, str]]]) -> list[RowFacts]:
    """Per row of a request: its result (``RowResult``), input cells (canonical column -> text)
    and invalid-data problems."""
    facts = []
    for number in sorted(results):
        result, values = results[number], cells.get(number, {})
        facts.append(RowFacts(number, result.status, result.message, values.get("CNPJ", ""),
                              values.get("Razão Social", ""), result.os_number, result.ticket, result.deadline,
                              list(problems.get(number, []))))
    return facts


def request_outcome(outcomes: list[Outcome]) -> Outcome:
    """A request is as bad as its worst row: one retryable row makes it a system error; else
    its most frequent outcome."""
    if any(o.retryable for o in outcomes):
        return Outcome.ERRO_SISTEMA
    return max(set(outcomes), key=outcomes.count)


@dataclass
class RequestRecord:
    """What the report shows of one request."""

    file: str
    key: str
    rows: list[int]
    outcome: Outcome           # the request's: its worst row's, else its most frequent
    message: str
    seconds: float
    recording: str = ""
    attempts: int = 0
    screenshots: list[str] = field(default_factory=list)
    rows_detail: list[RowFacts] = field(default_factory=list)


@dataclass
class RemovedRow:
    """A row with a result in the journal that is no longer in its spreadsheet: its result is
    kept (the report lists it under "linhas removidas da planilha")."""

    file: str
    identity: str              # rpa.procedure.row_identity
    row: int                   # where it was when processed
    status: str
    os_number: str = ""
    ticket: str = ""


@dataclass
class RunSummary:
    run_id: str
    records: list[RequestRecord]
    counts: dict[str, int]
    outputs: list[Path]
    stopped: StopReason | None = None
    seconds: float = 0.0
    remaining: int = 0         # requests left for the next run (stop, --until, breaker)
    stop_detail: str = ""      # pt-BR: what the operator should do about the stop (drift: the hook)
    removed: list[RemovedRow] = field(default_factory=list)
    workers: int = 0
    started_at: dt.datetime | None = None

    @property
    def requests_per_minute(self) -> float:
        return len(self.records) * 60 / self.seconds if self.seconds > 0 else 0.0

    def journal_facts(self, file: str) -> dict[str, Any]:
        """What a journal keeps of this run for ``rpa historico`` (its file's requests and rows)."""
        records = [r for r in self.records if r.file == file]
        return {"counts": self.counts, "stopped": str(self.stopped or ""), "seconds": round(self.seconds, 2),
                "workers": self.workers, "requests": len(records),
                "rows": [f.as_json() for r in records for f in r.rows_detail]}

    @property
    def exit_code(self) -> int:
        """0 only when every row has a business outcome (interfaces.md)."""
        return 1 if self.counts.get(Outcome.ERRO_SISTEMA) or self.remaining else 0
