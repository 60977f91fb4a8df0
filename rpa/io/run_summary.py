"""What a run did, as the report and the console show it: per request a record, the counts
per outcome, the workbooks written, and why the run stopped early (if it did)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

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

    @property
    def exit_code(self) -> int:
        """0 only when every row has a business outcome (interfaces.md)."""
        return 1 if self.counts.get(Outcome.ERRO_SISTEMA) or self.remaining else 0
