"""The runner: requests from the queue, workers with their own browsers, retries, stop, results.

Threads, one Playwright and one Chromium per worker (Playwright is not thread-safe); one
browser context per request attempt, created from the run's logged-in ``storage_state``;
the browser relaunched every ``restart_browser_every`` requests or when it disconnects.
Results go to the journal first; a single writer thread projects them into the workbooks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from playwright.sync_api import Browser, sync_playwright
from tenacity import RetryCallState

from rpa.runtime import logs
from rpa.io.mailer import Mailer
from rpa.runtime.browser import launch_kwargs, resolve_browser, BrowserChoice
from rpa.errors import BrowserCrashed, SessionExpired
from rpa.runtime.boundary import attempt_failure
from rpa.io.journal import Journal
from rpa.runtime.recording import Recorder
from rpa.procedure.requests import Request, group_requests
from rpa.runtime.retry import RetryPolicy, request_retrying
from rpa.procedure.rules import RuleConfig, plan_request
from rpa.runtime.session import Authenticator
from rpa.settings import Settings
from rpa.runtime.sites import Sites
from rpa.io.spreadsheet_in import Sheet, read_spreadsheet
from rpa.io.spreadsheet_out import ResultWriter, RowResult
from rpa.runtime.request_flow import RequestFlow
from rpa.runtime.flowlog import FlowLog
from rpa.procedure.columns import RESULT_COLUMNS
from rpa.qa.har import har_options, scrub_or_remove
from rpa.runtime.work_queue import LocalQueue, RequestQueue, WorkItem

BUSINESS_CODES = {"OK", "CADASTRO_PENDENTE", "ESCALADO_GESTOR", "GARANTIA_EXPIRADA", "DADOS_INVALIDOS"}


# Outcomes that changed something on a site: such a row is never redone, even if edited.
SITE_EFFECT_CODES = {"OK", "CADASTRO_PENDENTE"}


def row_fingerprint(row) -> str:
    """Hash of a row's input cells: an operator's fix makes the row work again."""
    values = sorted((k, v.strip()) for k, v in row.values.items() if k not in RESULT_COLUMNS)
    return hashlib.sha1(repr(values).encode()).hexdigest()



@dataclass
class InputJob:
    """One input spreadsheet: its rows, journal and result writer."""

    path: Path
    sheet: Sheet
    journal: Journal
    writer: ResultWriter
    requests: list[Request]
    lock: threading.Lock = field(default_factory=threading.Lock)
    dirty: bool = False

    def project(self) -> Path:
        """Write every result the journal holds into the workbook (single writer)."""
        with self.lock:
            self.dirty = False
            results = {n: RowResult.model_validate(r) for n, r in self.journal.results().items()}
            return self.writer.write(results)


@dataclass
class RequestRecord:
    """What the report shows of one request."""

    file: str
    key: str
    rows: list[int]
    outcome: str
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
    stopped: str = ""          # "", "signal", "until", "circuit-breaker"
    seconds: float = 0.0
    remaining: int = 0         # requests left for the next run (stop, --until, breaker)

    @property
    def exit_code(self) -> int:
        """0 only when every row has a business outcome (interfaces.md)."""
        return 1 if self.counts.get("ERRO_SISTEMA") or self.remaining else 0


def run_dir_for(settings: Settings, path: Path) -> Path:
    ident = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    return settings.runs_dir / f"{path.stem}-{ident}"


def load_job(settings: Settings, path: Path, sheet: str | None, output: Path | None) -> InputJob:
    data = read_spreadsheet(path, sheet)
    journal = Journal(run_dir_for(settings, path) / "journal.sqlite")
    return InputJob(path=path, sheet=data, journal=journal,
                    writer=ResultWriter(path, output=output, sheet=data), requests=group_requests(data))


class BrowserHost:
    """One Playwright, one Chromium and one site session for a worker thread, relaunched when needed."""

    def __init__(self, settings: Settings, choice: BrowserChoice, auth: Authenticator) -> None:
        self.settings = settings
        self.choice = choice
        self.auth = auth  # this worker's site session
        self._pw = sync_playwright().start()
        self.browser: Browser | None = None
        self.served = 0
        self.version = ""

    def get(self) -> Browser:
        stale = self.served >= self.settings.restart_browser_every
        if self.browser is None or not self.browser.is_connected() or stale:
            self.close_browser()
            self.browser = self._pw.chromium.launch(**launch_kwargs(self.choice, headless=not self.settings.headed))
            self.version = self.browser.version
            self.served = 0
        return self.browser

    def close_browser(self) -> None:
        if self.browser is not None:
            try:
                self.browser.close()
            except Exception:
                pass
            self.browser = None

    def close(self) -> None:
        self.close_browser()
        try:
            self._pw.stop()
        except Exception:
            pass


class Runner:
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
        self.rule_config = RuleConfig.from_settings(settings)
        self.policy = RetryPolicy(attempts=settings.attempts)
        self.records: list[RequestRecord] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._consecutive_errors = 0
        self.stopped = ""
        self._queue = queue
        self.choice: BrowserChoice | None = None  # resolved at login, with that Playwright
        # One site session per worker, as one person per browser: Workfinity (Grails) keeps its
        # flash messages ("Ordem de Serviço N criada com sucesso") in the session, so workers
        # sharing one would read each other's confirmations. Worker 0's is opened by _login_first.
        self.auths = [Authenticator(settings, settings.runs_dir / f".state-{run_id}-{i}.json")
                      for i in range(max(1, settings.workers))]
        self._write_wakeup = threading.Event()

    # -- planning -----------------------------------------------------------------------

    def pending_items(self) -> list[WorkItem]:
        """Requests still to do. A request is done when each of its rows has a final result in
        the journal (or, with no journal entry, a business outcome in the workbook), unless the
        operator changed a row's input since and that row's outcome touched no site."""
        items = []
        for job in self.jobs:
            final = job.journal.final_rows()
            by_number = {r.row_number: r for r in job.sheet.rows}
            for request in job.requests:
                if all(self._row_done(n, by_number[n], final) for n in request.row_numbers):
                    continue
                items.append(WorkItem(job, request, plan_request(request, self.rule_config)))
        return items

    @staticmethod
    def _row_done(number: int, row, final: dict[int, tuple[str, str]]) -> bool:
        if number in final:
            status, fp = final[number]
            return status in SITE_EFFECT_CODES or fp == row_fingerprint(row)
        return row.values.get("Status RPA", "").strip() in BUSINESS_CODES

    # -- run ----------------------------------------------------------------------------

    def run(self) -> RunSummary:
        started = time.monotonic()
        for job in self.jobs:
            job.journal.start_run(self.run_id)
            job.project()  # results a killed run had finished reach the workbook first
        queue = self._queue or LocalQueue(self.pending_items())
        total = len(queue)
        self.on_event("plan", {"requests": total})
        logs.event("run_start", requests=total, workers=self.settings.workers)
        writer = threading.Thread(target=self._writer_loop, name="writer", daemon=True)
        writer.start()
        try:
            if total:
                self._login_first()
                workers = [threading.Thread(target=self._worker, args=(queue, i), name=f"worker-{i}", daemon=True)
                           for i in range(min(self.settings.workers, total))]
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
            self.recorder.prune(self.settings.retention_days)
        remaining = len(queue)
        summary = RunSummary(self.run_id, self.records, dict(self.counts), outputs,
                             self.stopped if remaining else "", time.monotonic() - started, remaining)
        for job in self.jobs:
            job.journal.end_run(self.run_id, {"counts": summary.counts, "stopped": summary.stopped})
        logs.event("run_end", counts=summary.counts, stopped=summary.stopped, seconds=round(summary.seconds, 2))
        return summary

    def _login_first(self) -> None:
        """Log in once before any worker starts: refused credentials stop the run (exit 2)."""
        with sync_playwright() as pw:
            bundled = pw.chromium.executable_path
            # Settings already read RPA_BROWSER_PATH (or rpa.toml's browser_path).
            env = {"RPA_BROWSER_PATH": self.settings.browser_path} if self.settings.browser_path else {}
            self.choice = resolve_browser(env, bundled=bundled if bundled and Path(bundled).exists() else False)
            browser = pw.chromium.launch(**launch_kwargs(self.choice))
            try:
                logs.event("browser", version=browser.version, source=self.choice.source,
                           path=self.choice.path_for(not self.settings.headed) or "playwright")
                self.auths[0].refresh(browser)
            finally:
                browser.close()

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
            self.stopped = self.stopped or "signal"
            return True
        if self.until and self.now() >= self.until:
            self.stopped = self.stopped or "until"
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
        attempt = job.journal.begin_request(key, request.row_numbers, self.run_id)
        self.on_event("start", {"key": key})
        logs.event("request_start", request=key, rows=request.row_numbers, attempt=attempt)
        state = {"attempt": 0, "screens": [], "flow": FlowLog()}

        def before_sleep(rs: RetryCallState) -> None:
            exc = rs.outcome.exception() if rs.outcome else None
            logs.event("retry", request=key, attempt=rs.attempt_number, error=type(exc).__name__,
                       message=str(exc)[:300])

        final = True
        try:
            if not item.plan.rows:
                results = RequestFlow(request, item.plan, job.journal, None, self.mailer, self.settings).run()
            else:
                for attempt_state in request_retrying(self.policy, before_sleep):
                    with attempt_state:
                        state["attempt"] += 1
                        results = self._attempt(item, host, state)
        except Exception as exc:  # retries exhausted, or an unexpected bug: never lose the other rows
            final = False
            where = state["flow"].steps[-1]["po"] + "." + state["flow"].steps[-1]["call"] if state["flow"].steps else "início"
            message = (f"Falha de sistema em {where} após {state['attempt']} tentativa(s): "
                       f"{type(exc).__name__}: {str(exc)[:300]}. Uma nova execução continua de onde parou.")
            logs.event("request_error", request=key, error=type(exc).__name__,
                       trace=traceback.format_exc(limit=5)[-2000:])
            results = {n: RowResult(status="ERRO_SISTEMA", message=message,
                                    processed_at=self.now().replace(microsecond=0))
                       for n in request.row_numbers}
            for n, (code, msg) in item.plan.outcomes.items():
                results[n] = RowResult(status=code, message=msg, processed_at=self.now().replace(microsecond=0))

        ok = all(r.status == "OK" for r in results.values())
        kept = self.recorder.settle(key, ok) if self.recorder.tracing and item.plan.rows else None
        if kept is not None:
            for r in results.values():
                r.recording = str(kept)
        # The flow file is kept for every request (QA replays it); it holds no secret.
        self.recorder.write_flow(key, self._flow_json(item, state, results))
        by_number = {r.row_number: r for r in job.sheet.rows}
        job.journal.finish_request(key, {n: r.model_dump(mode="json") for n, r in results.items()}, final=final,
                                   fingerprints={n: row_fingerprint(by_number[n]) for n in results})
        job.dirty = True
        self._write_wakeup.set()
        self._account(job, request, results, started, state, str(kept or ""))

    def _attempt(self, item: WorkItem, host: BrowserHost, state: dict) -> dict[int, RowResult]:
        request = item.request
        try:
            browser = host.get()
        except Exception as exc:
            raise BrowserCrashed(f"não foi possível iniciar o navegador: {exc}") from exc
        auth = host.auth
        if auth.generation == 0:  # this worker's own session, opened on its first request
            auth.refresh(browser)
        generation = auth.generation
        har = self.recorder.har_path(request.key, state["attempt"]) if self.settings.har else None
        context = browser.new_context(storage_state=str(auth.path), locale="pt-BR", **har_options(har))
        context.set_default_timeout(self.settings.action_timeout_ms)
        context.set_default_navigation_timeout(self.settings.navigation_timeout_ms)
        folder = self.recorder.folder(request.key) if self.recorder.tracing else None
        if folder is not None:
            context.tracing.start(screenshots=True, snapshots=True, sources=False, title=request.key)
        flow = state["flow"]
        flow.attempt = state["attempt"]
        sites = None
        try:
            sites = Sites(context, self.settings.workfinity_url, self.settings.zendesk_url, flow)
            return RequestFlow(request, item.plan, item.job.journal, sites, self.mailer, self.settings,
                               now=self.now).run()
        except Exception as exc:
            if folder is not None and sites is not None:
                state["screens"] += sites.screenshot(folder / f"failure-{state['attempt']}.png")
            mapped = attempt_failure(exc, browser)
            if isinstance(mapped, SessionExpired):
                # Log in again, untraced, and let the retry policy try again.
                auth.refresh(browser, generation)
            if mapped is not None:
                raise mapped from exc
            raise
        finally:
            host.served += 1
            try:
                if folder is not None:
                    context.tracing.stop(path=str(folder / f"trace-{state['attempt']}.zip"))
                context.close()
            except Exception:
                pass
            if har is not None:  # Playwright wrote it on close: cookies and secrets out
                scrub_or_remove(har, self.settings.secrets())

    def _flow_json(self, item: WorkItem, state: dict, results: dict[int, RowResult]) -> str:
        import json

        return json.dumps({
            "version": 1,
            "run_id": self.run_id,
            "request": item.request.key,
            "file": str(item.job.path),
            "sites": {"workfinity": self.settings.workfinity_url, "zendesk": self.settings.zendesk_url},
            "raw_serials": {str(n): s for n, s in item.request.raw_serials.items()},
            "errors": {str(n): [{"column": e.column, "message": e.message} for e in errs]
                       for n, errs in item.request.errors.items()},
            "rows": [r.model_dump(mode="json") for r in item.request.rows],
            "steps": state["flow"].steps,
            "results": {str(n): r.model_dump(mode="json") for n, r in results.items()},
        }, ensure_ascii=False, indent=2, default=str)

    def _account(self, job: InputJob, request: Request, results: dict[int, RowResult], started: float,
                 state: dict, recording: str) -> None:
        outcomes = [r.status for r in results.values()]
        outcome = "ERRO_SISTEMA" if "ERRO_SISTEMA" in outcomes else max(set(outcomes), key=outcomes.count)
        seconds = time.monotonic() - started
        record = RequestRecord(str(job.path), request.key, request.row_numbers, outcome,
                               " | ".join(dict.fromkeys(r.message for r in results.values() if r.message)),
                               seconds, recording, state["attempt"], list(state["screens"]))
        with self._lock:
            self.records.append(record)
            for code in outcomes:
                self.counts[code] = self.counts.get(code, 0) + 1
            if outcome == "ERRO_SISTEMA":
                self._consecutive_errors += 1
                if self._consecutive_errors >= self.settings.circuit_breaker:
                    self.stopped = "circuit-breaker"
                    self.stop.set()
            else:
                self._consecutive_errors = 0
        logs.event("request_end", request=request.key, rows=request.row_numbers, outcome=outcome,
                   seconds=round(seconds, 2), attempts=state["attempt"])
        self.on_event("end", {"key": request.key, "outcome": outcome, "codes": outcomes})
