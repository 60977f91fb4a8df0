"""The queue across machines: one procrastinate job per request in PostgreSQL.

Producer (``rpa enqueue``): one job per request that needs the sites, ``lock`` and
``queueing_lock`` both the request's stable identity (file key + request key): never two jobs
waiting for one request, never two running. What a worker needs is in the database (the
request's rows and identities in ``rpa_requests.payload``; the plan is recomputed by the rules).

Consumer (``PgQueue``, the ``RequestQueue`` of ``rpa worker``): the runner's own worker
threads fetch jobs with procrastinate's job manager queries (``fetch_job`` honours the locks),
because each Playwright belongs to the thread that started it and procrastinate's worker runs
synchronous tasks on threads of its own choosing. The rest is procrastinate's: worker
registration and heartbeats, stalled jobs (a worker silent for ``stall_seconds``) found by
heartbeat and put back to ``todo``, where another worker fetches them and — like any rerun —
reconciles with the sites from the shared journal before doing anything again.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
from procrastinate import sql
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager

from rpa.io.catalog_files import load_catalogs, rule_config
from rpa.io.journal_pg import PgJournal
from rpa.io.spreadsheet_out import ResultWriter
from rpa.procedure.requests import Request, group_requests
from rpa.procedure.row_identity import row_fingerprint
from rpa.procedure.rules import plan_request
from rpa.procedure.sheet import Sheet, SheetRow
from rpa.runtime import crashpoints, logs
from rpa.runtime.jobs import InputJob, requests_to_do
from rpa.runtime.row_results import decided_results
from rpa.runtime.scrubbing import scrub_text
from rpa.runtime.work_queue import WorkItem
from rpa.settings import Settings

QUEUE = "rpa"
TASK = "rpa.request"
_SCHEMA_LOCK = 0x72706132  # pg_advisory_lock key: "rpa2"


def app_for(url: str) -> procrastinate.App:
    """An open procrastinate app on ``url`` (its tables created on first use)."""
    with psycopg.connect(url, autocommit=True) as db, db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        row = db.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        if row is None or row[0] is None:
            db.execute(SchemaManager.get_schema())
    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=url))
    app.open()
    return app


def lock_of(file_key: str, request_key: str) -> str:
    return f"{file_key}|{request_key}"


@dataclass
class EnqueueCounts:
    queued: int = 0       # new jobs
    already: int = 0      # a job for the request was already waiting or running
    decided: int = 0      # requests the rules decided without the sites (written now)
    done: int = 0         # requests already finished


def _payload(job: InputJob, request: Request) -> dict[str, Any]:
    by_number = {r.row_number: r for r in job.sheet.rows}
    rows = [by_number[n] for n in request.row_numbers]
    return {"rows": [{"row_number": r.row_number, "values": r.values, "extra": r.extra,
                      "problems": [list(p) for p in r.problems]} for r in rows],
            "identities": {str(r.row_number): job.identities[r.row_number] for r in rows},
            "sheet": job.sheet.sheet_name}


def enqueue(settings: Settings, app: procrastinate.App, job: InputJob, file_key: str,
            now: Callable[[], dt.datetime] = dt.datetime.now) -> EnqueueCounts:
    """Write what the rules decide now; one job per request that needs the sites."""
    assert isinstance(job.journal, PgJournal)  # several machines: the shared journal
    counts = EnqueueCounts()
    job.journal.register_file(str(job.path.resolve()), job.sheet.sheet_name)
    config = rule_config(settings)
    running = {j.lock for j in app.job_manager.list_jobs(queue=QUEUE, status="doing")}
    todo = requests_to_do(job)
    counts.done = len(job.requests) - len(todo)
    for request in todo:
        plan = plan_request(request, config)
        if not plan.rows:
            record_decided(job, request, decided_results(plan, now().replace(microsecond=0)))
            counts.decided += 1
            continue
        job.journal.store_payload(request.key, request.row_numbers, _payload(job, request))
        lock = lock_of(file_key, request.key)
        if lock in running:
            counts.already += 1
            continue
        try:
            app.configure_task(TASK, queue=QUEUE, lock=lock, queueing_lock=lock).defer(
                file_key=file_key, request_key=request.key)
            counts.queued += 1
        except AlreadyEnqueued:
            counts.already += 1
    return counts


def record_decided(job: InputJob, request: Request, results: dict[int, Any]) -> None:
    """Results the rules decided (no site), into the journal by row identity."""
    by_number = {r.row_number: r for r in job.sheet.rows}
    ids = job.identities
    for r in results.values():
        r.message = scrub_text(r.message)
    job.journal.finish_request(request.key, {ids[n]: r.model_dump(mode="json") for n, r in results.items()},
                               final=True, rows={ids[n]: n for n in results},
                               fingerprints={ids[n]: row_fingerprint(by_number[n]) for n in results})


def queue_counts(db: psycopg.Connection, file_key: str | None = None) -> dict[str, int]:
    """Jobs per status (todo, doing...) in the bot's queue, for one file or all."""
    rows = db.execute("SELECT status::text, count(*) FROM procrastinate_jobs WHERE queue_name=%s "
                      "AND (%s::text IS NULL OR args->>'file_key' = %s) GROUP BY status",
                      (QUEUE, file_key, file_key)).fetchall()
    return {s: int(n) for s, n in rows}


class PgQueue:
    """The runner's queue on a worker machine: jobs fetched from PostgreSQL, one request each."""

    def __init__(self, settings: Settings, stop: threading.Event, *, exit_when_idle: bool = False,
                 until: dt.datetime | None = None, poll_seconds: float = 1.0) -> None:
        assert settings.database_url is not None
        self.url = settings.database_url.get_secret_value()
        self.settings = settings
        self.stop = stop
        self.until = until
        self.exit_when_idle = exit_when_idle
        self.poll_seconds = poll_seconds
        self.app = app_for(self.url)
        self._db = self.app.connector.get_sync_connector()
        self._catalogs = load_catalogs(settings)
        self._rules = rule_config(settings)
        self._journals: dict[str, PgJournal] = {}
        self._files: dict[str, tuple[str, str | None]] = {}
        self._jobs: dict[int, int] = {}          # id(WorkItem) -> procrastinate job id
        self._lock = threading.Lock()
        self.worker_id = int(self._db.execute_query_one(sql.queries["register_worker"])["worker_id"])
        self._closed = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        self._beat.start()

    # -- heartbeats and stalled jobs -------------------------------------------------------

    def _heartbeat(self) -> None:
        interval = max(0.2, self.settings.stall_seconds / 4)
        while not self._closed.wait(interval):
            try:
                self._db.execute_query(sql.queries["update_heartbeat"], worker_id=self.worker_id)
                self.retry_stalled()
            except Exception as exc:  # the database away for a moment: try again next beat
                logs.event("heartbeat_failed", error=type(exc).__name__)

    def retry_stalled(self) -> int:
        """Jobs of workers silent for ``stall_seconds`` back to ``todo`` (another worker takes
        them and reconciles with the sites first)."""
        seconds = self.settings.stall_seconds
        self._db.execute_query_all(sql.queries["prune_stalled_workers"], seconds_since_heartbeat=seconds)
        stalled = self._db.execute_query_all(sql.queries["select_stalled_jobs_by_heartbeat"], queue=QUEUE,
                                             task_name=None, seconds_since_heartbeat=seconds)
        for job in stalled:
            self._db.execute_query(sql.queries["retry_job"], job_id=job["id"], retry_at=dt.datetime.now(dt.UTC),
                                   new_priority=None, new_queue_name=None, new_lock=None)
            logs.event("stalled_job_retried", job=job["id"], lock=job["lock"])
        return len(stalled)

    # -- RequestQueue -----------------------------------------------------------------------

    def _should_stop(self) -> bool:
        return self.stop.is_set() or (self.until is not None and dt.datetime.now() >= self.until)

    def claim(self) -> WorkItem | None:
        while not self._should_stop():
            row = self._db.execute_query_one(sql.queries["fetch_job"], queues=[QUEUE], worker_id=self.worker_id)
            if row["id"] is not None:
                item = self._item(row)
                if item is not None:
                    return item
                continue
            if self.exit_when_idle and not self._anything_left():
                return None
            self.stop.wait(self.poll_seconds)
        return None

    def _statuses(self) -> dict[str, int]:
        rows = self._db.execute_query_all("SELECT status::text AS status, count(*) AS n FROM procrastinate_jobs "
                                          "WHERE queue_name = %(queue)s GROUP BY status", queue=QUEUE)
        return {r["status"]: int(r["n"]) for r in rows}

    def _anything_left(self) -> bool:
        """A job waiting, or running anywhere (a running job may yet stall and come back)."""
        counts = self._statuses()
        return bool(counts.get("todo") or counts.get("doing"))

    def ack(self, item: WorkItem) -> None:
        with self._lock:
            job_id = self._jobs.pop(id(item))
        self._finish(job_id, "succeeded")

    def _finish(self, job_id: int, status: str) -> None:
        self._db.execute_query(sql.queries["finish_job"], job_id=job_id, status=status, delete_job=False)

    def __len__(self) -> int:
        return self._statuses().get("todo", 0)

    def close(self) -> None:
        self._closed.set()
        self._beat.join(timeout=10)
        try:
            self._db.execute_query(sql.queries["unregister_worker"], worker_id=self.worker_id)
        finally:
            for journal in self._journals.values():
                journal.close()
            self.app.close()

    # -- a job -> the request it names ----------------------------------------------------------

    def _journal(self, file_key: str) -> PgJournal:
        with self._lock:
            if file_key not in self._journals:
                self._journals[file_key] = PgJournal(self.url, file_key, checkpoint=crashpoints.reach)
            return self._journals[file_key]

    def _item(self, row: dict[str, Any]) -> WorkItem | None:
        """The job's request rebuilt from the database; None (job finished) when there is
        nothing to do: the request was finished by a worker that died before saying so."""
        args = row["args"]
        file_key, key = str(args["file_key"]), str(args["request_key"])
        journal = self._journal(file_key)
        payload = journal.payload(key)
        path = self._path(file_key)
        rows = [SheetRow(r["row_number"], r["values"], r.get("extra", {}), [tuple(p) for p in r.get("problems", [])])
                for r in (payload or {}).get("rows", [])]
        sheet = Sheet(path=path, sheet_name=(payload or {}).get("sheet"), header_row=1, columns={}, rows=rows,
                      fmt="xlsx")
        request = next((r for r in group_requests(sheet, self._catalogs) if r.key == key), None)
        if request is None or sorted(request.row_numbers) != sorted(r.row_number for r in rows):
            logs.event("job_unreadable", job=row["id"], request=key, file=file_key)
            self._finish(int(row["id"]), "failed")
            return None
        identities = {int(n): i for n, i in (payload or {}).get("identities", {}).items()}
        final = journal.final_rows()
        if all(identities[n] in final for n in request.row_numbers):
            self._finish(int(row["id"]), "succeeded")
            return None
        job = InputJob(path=path, sheet=sheet, journal=journal, writer=ResultWriter(path, sheet=sheet),
                       requests=[request], identities=identities)
        item = WorkItem(job, request, plan_request(request, self._rules))
        with self._lock:
            self._jobs[id(item)] = int(row["id"])
        return item

    def _path(self, file_key: str) -> Path:
        if file_key not in self._files:
            rows = self._db.execute_query_all("SELECT path, sheet FROM rpa_files WHERE file_key=%(k)s", k=file_key)
            self._files[file_key] = (rows[0]["path"], rows[0]["sheet"]) if rows else (file_key, None)
        return Path(self._files[file_key][0])
