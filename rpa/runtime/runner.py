"""The runner: requests from the queue, workers with their own browsers, retries, stop, results.

Threads, one Playwright and one Chromium per worker (``rpa.runtime.browser_host``); each
worker's two tabs kept open across its requests (``rpa.runtime.kept_tabs``), their context
created from the worker's logged-in ``storage_state`` and recycled when due or after a failure;
one request attempt at a time on them (``rpa.runtime.attempt``). Results go to the journal
first; a single writer thread projects them into the workbooks.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import traceback
from collections.abc import Callable

from tenacity import RetryCallState

from rpa.io.catalog_files import rule_config
from rpa.io.mailer import Mailer
from rpa.io.run_summary import RequestRecord, RunSummary, StopReason, request_outcome, row_facts
from rpa.io.spreadsheet_out import RowResult
from rpa.outcomes import Outcome
from rpa.procedure.requests import Request
from rpa.procedure.row_identity import row_fingerprint
from rpa.procedure.rules import plan_request
from rpa.runtime import crashpoints, logs, retention
from rpa.runtime.attempt import Attempts, attempt
from rpa.runtime.browser import BrowserChoice
from rpa.runtime.browser_host import BrowserHost, first_login
from rpa.runtime.drift import DriftBreaker
from rpa.runtime.flow_file import flow_document
from rpa.runtime.jobs import InputJob, requests_to_do
from rpa.runtime.recording import Recorder
from rpa.runtime.retry import RetryPolicy, request_retrying
from rpa.runtime.row_results import decided_results, system_error_results
from rpa.runtime.scrubbing import scrub_text
from rpa.runtime.session import Authenticator
from rpa.runtime.work_queue import LocalQueue, RequestQueue, WorkItem
from rpa.settings import Settings


class Runner:
    """One run over its input files: plan, log in, work the queue with workers, write, sum up."""

    def __init__(self, settings: Settings, jobs: list[InputJob], run_id: str, *,
                 stop: threading.Event | None = None, until: dt.datetime | None = None,
                 on_event: Callable[[str, dict], None] | None = None,
                 queue: RequestQueue | None = None, now: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.settings = settings
        self.jobs = jobs
        self.run_id = run_id
        self.stop = stop or threading.Event()
        self.until = until
        self.on_event = on_event or (lambda name, data: None)
        self.now = now
        self.recorder = Recorder(settings.recordings_dir, run_id, settings.record)
        self.mailer = Mailer(settings.smtp_url.get_secret_value() if settings.smtp_url else None, settings.outbox_dir)
        self.rule_config = rule_config(settings)
        self.policy = RetryPolicy(attempts=settings.attempts)
        self.records: list[RequestRecord] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._consecutive_errors = 0
        self.drift = DriftBreaker(settings.drift_breaker)
        self.stopped: StopReason | None = None
        self._queue = queue
        self.choice: BrowserChoice | None = None  # resolved at login, with that Playwright
        # One site session per worker, as one person per browser: Workfinity (Grails) keeps its
        # flash messages ("Ordem de Serviço N criada com sucesso") in the session, so workers
        # sharing one would read each other's confirmations. Worker 0's is opened by _login_first.
        self.auths = [Authenticator(settings, settings.runs_dir / f".state-{run_id}-{i}.json")
                      for i in range(max(1, settings.workers))]
        self._write_wakeup = threading.Event()
        self._pending: list[WorkItem] | None = None

    # -- planning -----------------------------------------------------------------------

    def pending_items(self) -> list[WorkItem]:
        """Requests still to do (``rpa.runtime.jobs.requests_to_do``), planned."""
        return [WorkItem(job, request, plan_request(request, self.rule_config))
                for job in self.jobs for request in requests_to_do(job)]

    # -- run ----------------------------------------------------------------------------

    def run(self) -> RunSummary:
        started, started_at = time.monotonic(), dt.datetime.now().replace(microsecond=0)
        crashpoints.arm(self.settings.crash_at)
        items = None if self._queue else self._planned()
        queue = self._queue or LocalQueue(items or [])
        total = len(queue)
        # Log in only when some request needs the sites (an external queue may hold any), and
        # before the workbook is touched: a refused login leaves it as it was.
        if (total or self._queue is not None) and self.needs_sites(items):
            self._login_first()
        for job in self.jobs:
            job.journal.start_run(self.run_id)
            job.project()  # results a killed run had finished reach the workbook first
        self.on_event("plan", {"requests": total})
        logs.event("run_start", requests=total, workers=self.settings.workers)
        writer = threading.Thread(target=self._writer_loop, name="writer", daemon=True)
        writer.start()
        try:
            if total or self._queue is not None:  # a shared queue may fill up while its workers wait
                count = self.settings.workers if self._queue is not None else min(self.settings.workers, total)
                workers = [threading.Thread(target=self._worker, args=(queue, i), name=f"worker-{i}", daemon=True)
                           for i in range(count)]
                for w in workers:
                    w.start()
                for w in workers:
                    while w.is_alive():
                        w.join(timeout=0.5)
        finally:
            self._writer_stop = True
            self._write_wakeup.set()
            writer.join(timeout=60)
            outputs = [job.project() for job in self.jobs]
            for auth in self.auths:
                auth.discard()
            retention.purge_expired(self.settings, keep=[self.recorder.run_dir])  # LGPD: all kept data
        remaining = len(queue)
        summary = RunSummary(self.run_id, self.records, dict(self.counts), outputs,
                             self.stopped if remaining else None, time.monotonic() - started, remaining,
                             workers=min(self.settings.workers, total), started_at=started_at,
                             stop_detail=self.drift.message() if self.stopped is StopReason.DRIFT else "")
        summary.removed = [r for job in self.jobs for r in job.removed_records()]
        stopped = summary.stopped or ""  # as the journal and the log have always spelt "not stopped"
        for job in self.jobs:
            job.journal.end_run(self.run_id, summary.journal_facts(str(job.path)))
        logs.event("run_end", counts=summary.counts, stopped=stopped, seconds=round(summary.seconds, 2))
        return summary

    def needs_sites(self, items: list[WorkItem] | None = None) -> bool:
        """True when some request still to do (``items``, else the pending ones) must visit the
        sites; the rules decide the rest. An external queue may hold any request."""
        if self._queue is not None:
            return True
        return any(item.plan.rows for item in (self._planned() if items is None else items))

    def _planned(self) -> list[WorkItem]:
        """``pending_items`` once per run: the start-up check asks before ``run`` does, and planning
        reads every journal and applies the rules to every request."""
        if self._pending is None:
            self._pending = self.pending_items()
        return self._pending

    def _login_first(self) -> None:
        self.choice = first_login(self.settings, self.auths[0])

    # -- writer -------------------------------------------------------------------------

    _writer_stop = False

    def _writer_loop(self) -> None:
        while not self._writer_stop:
            self._write_wakeup.wait(timeout=2)
            self._write_wakeup.clear()
            for job in self.jobs:
                if job.dirty:
                    try:
                        job.project()
                    except Exception as exc:  # a locked workbook must not stop the run
                        logs.event("write_failed", file=str(job.path), error=str(exc))

    # -- workers ------------------------------------------------------------------------

    def _should_stop(self) -> bool:
        if self.stop.is_set():
            self.stopped = self.stopped or StopReason.SIGNAL
            return True
        if self.until and self.now() >= self.until:
            self.stopped = self.stopped or StopReason.UNTIL
            return True
        return False

    def _worker(self, queue: RequestQueue, index: int) -> None:
        host: BrowserHost | None = None
        try:
            while not self._should_stop():
                item = queue.claim()
                if item is None:
                    break
                if item.plan.rows and host is None:
                    assert self.choice is not None  # _login_first ran: there are requests
                    host = BrowserHost(self.settings, self.choice, self.auths[index])
                self._process(item, host)
                queue.ack(item)
        finally:
            if host is not None:
                host.close()

    def _process(self, item: WorkItem, host: BrowserHost | None) -> None:
        job, request = item.job, item.request
        key = request.key
        started = time.monotonic()
        attempt_number = job.journal.begin_request(key, request.row_numbers, self.run_id)
        self.on_event("start", {"key": key})
        logs.event("request_start", request=key, rows=request.row_numbers, attempt=attempt_number)
        attempts = Attempts()

        def before_sleep(rs: RetryCallState) -> None:
            exc = rs.outcome.exception() if rs.outcome else None
            logs.event("retry", request=key, attempt=rs.attempt_number, error=type(exc).__name__,
                       message=str(exc)[:300])

        final = True
        failure: BaseException | None = None
        try:
            if not item.plan.rows:  # every row decided by the rules: no site to visit
                results = decided_results(item.plan, dt.datetime.now().replace(microsecond=0))
            else:
                assert host is not None  # the worker starts one for any request with rows
                for attempt_state in request_retrying(self.policy, before_sleep):
                    with attempt_state:
                        attempts.count += 1
                        results = attempt(item, host, attempts, settings=self.settings, recorder=self.recorder,
                                          mailer=self.mailer, now=self.now)
        except Exception as exc:  # retries exhausted, or an unexpected bug: never lose the other rows
            final = False
            failure = exc
            logs.event("request_error", request=key, error=type(exc).__name__,
                       trace=traceback.format_exc(limit=5)[-2000:])
            results = system_error_results(item.plan, where=attempts.flow.last_call(), attempts=attempts.count,
                                           error=f"{type(exc).__name__}: {str(exc)[:300]}",
                                           stamp=self.now().replace(microsecond=0))

        for r in results.values():  # the workbook, journal, flow and report all take the message from here
            r.message = scrub_text(r.message)
        ok = all(r.status == Outcome.OK for r in results.values())
        kept = self.recorder.settle(key, ok) if self.recorder.tracing and item.plan.rows else None
        if kept is not None:
            for r in results.values():
                r.recording = str(kept)
        # The flow file is kept for every request (QA replays it); it holds no secret.
        self.recorder.write_flow(key, flow_document(self.run_id, item, self.settings, attempts.flow.steps, results))
        by_number = {r.row_number: r for r in job.sheet.rows}
        ids = job.identities
        job.journal.finish_request(key, {ids[n]: r.model_dump(mode="json") for n, r in results.items()}, final=final,
                                   rows={ids[n]: n for n in results},
                                   fingerprints={ids[n]: row_fingerprint(by_number[n]) for n in results})
        job.dirty = True
        self._write_wakeup.set()
        self._account(job, request, results, started, attempts, str(kept or ""))
        # Only requests that visited the sites say anything about their hooks.
        if item.plan.rows and self.drift.record(failure, completed=ok) is not None:
            with self._lock:
                self.stopped = StopReason.DRIFT
            self.stop.set()
            logs.event("drift_stop", hook=self.drift.tripped.hook if self.drift.tripped else "",
                       message=self.drift.message())

    def _account(self, job: InputJob, request: Request, results: dict[int, RowResult], started: float,
                 attempts: Attempts, recording: str) -> None:
        outcomes = [r.status for r in results.values()]
        outcome = request_outcome(outcomes)
        seconds = time.monotonic() - started
        record = RequestRecord(str(job.path), request.key, request.row_numbers, outcome,
                               " | ".join(dict.fromkeys(r.message for r in results.values() if r.message)),
                               seconds, recording, attempts.count, list(attempts.screenshots),
                               row_facts(results, {r.row_number: r.values for r in job.sheet.rows},
                                         {n: [(e.column, e.message) for e in errs]
                                          for n, errs in request.errors.items()}))
        with self._lock:
            self.records.append(record)
            for code in outcomes:
                self.counts[code] = self.counts.get(code, 0) + 1
            if outcome.retryable:
                self._consecutive_errors += 1
                if self._consecutive_errors >= self.settings.circuit_breaker:
                    self.stopped = StopReason.CIRCUIT_BREAKER
                    self.stop.set()
            else:
                self._consecutive_errors = 0
        logs.event("request_end", request=request.key, rows=request.row_numbers, outcome=outcome,
                   seconds=round(seconds, 2), attempts=attempts.count)
        self.on_event("end", {"key": request.key, "outcome": outcome, "codes": outcomes})
