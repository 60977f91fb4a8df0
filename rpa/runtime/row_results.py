"""Row results a request gets without the sites: those the rules decided up front, and the
system error every other row gets when no attempt finished (QA replay reports it the same way)."""

from __future__ import annotations

import datetime as dt

from rpa.io.spreadsheet_out import RowResult
from rpa.outcomes import Outcome
from rpa.procedure import messages
from rpa.procedure.rules import Plan
from rpa.runtime.scrubbing import scrub_text


def decided_results(plan: Plan, stamp: dt.datetime) -> dict[int, RowResult]:
    """The rows the rules decided without any site (invalid data, too many equipment...)."""
    return {n: RowResult(status=code, message=msg, processed_at=stamp) for n, (code, msg) in plan.outcomes.items()}


def system_error_results(plan: Plan, *, where: str, attempts: int, error: str,
                         stamp: dt.datetime) -> dict[int, RowResult]:
    """ERRO_SISTEMA for every row of the request the rules had not decided. The error text is
    scrubbed before it becomes the message (an exception may quote a password or the SMTP URL)."""
    message = messages.system_failure(scrub_text(where), attempts, scrub_text(error))
    results = {n: RowResult(status=Outcome.ERRO_SISTEMA, message=message, processed_at=stamp)
               for n in plan.request.row_numbers}
    results.update(decided_results(plan, stamp))
    return results
