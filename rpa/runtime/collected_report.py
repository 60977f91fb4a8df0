"""The report of files worked on by several machines (``rpa collect``): every request of each
file with its rows' results from the shared journal, whichever machine did it. Recording links
point where each worker kept them (its own folder, or a shared ``recordings_dir``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rpa.io.run_summary import RequestRecord, RunSummary, request_outcome, row_facts
from rpa.io.spreadsheet_out import RowResult
from rpa.runtime.jobs import InputJob


def collected_summary(jobs: list[InputJob], outputs: list[Path], run_id: str, started_at: dt.datetime,
                      seconds: float) -> RunSummary:
    records: list[RequestRecord] = []
    counts: dict[str, int] = {}
    for job in jobs:
        stored = job.journal.results()
        cells = {r.row_number: r.values for r in job.sheet.rows}
        for request in job.requests:
            results = {n: RowResult.model_validate(stored[job.identities[n]][1])
                       for n in request.row_numbers if job.identities[n] in stored}
            if not results:
                continue
            for r in results.values():
                counts[r.status] = counts.get(r.status, 0) + 1
            messages = dict.fromkeys(r.message for r in results.values() if r.message)
            records.append(RequestRecord(
                str(job.path), request.key, request.row_numbers, request_outcome([r.status for r in results.values()]),
                " | ".join(messages), 0.0, next((r.recording for r in results.values() if r.recording), ""),
                rows_detail=row_facts(results, cells, {n: [(e.column, e.message) for e in errs]
                                                       for n, errs in request.errors.items()})))
    summary = RunSummary(run_id, records, counts, outputs, seconds=seconds,
                         started_at=started_at)
    summary.removed = [r for job in jobs for r in job.removed_records()]
    return summary
