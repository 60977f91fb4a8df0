"""The flow file of a request (``recordings/<run>/flows/<request>.json``): its input rows, the
page-object steps of every attempt and the result per row. Written for every request, whatever
the recording mode; ``rpa.qa.replay`` reads it back. No secret is in it (page objects get no
credentials; an error text that quotes one is scrubbed)."""

from __future__ import annotations

import json
from typing import Any

from rpa.io.spreadsheet_out import RowResult
from rpa.runtime.scrubbing import scrub_values
from rpa.runtime.work_queue import WorkItem
from rpa.settings import Settings

VERSION = 1


def flow_document(run_id: str, item: WorkItem, settings: Settings, steps: list[dict[str, Any]],
                  results: dict[int, RowResult]) -> str:
    document = {
        "version": VERSION,
        "run_id": run_id,
        "request": item.request.key,
        "file": str(item.job.path),
        "sites": {"workfinity": settings.workfinity_url, "zendesk": settings.zendesk_url},
        "raw_serials": {str(n): s for n, s in item.request.raw_serials.items()},
        "errors": {str(n): [{"column": e.column, "message": e.message} for e in errs]
                   for n, errs in item.request.errors.items()},
        "rows": [r.model_dump(mode="json") for r in item.request.rows],
        "steps": steps,
        "results": {str(n): r.model_dump(mode="json") for n, r in results.items()},
    }
    # Page objects get no credentials, but a step's error text may quote one: scrubbed before encoding.
    return json.dumps(scrub_values(document), ensure_ascii=False, indent=2, default=str)
