"""One attempt at a request on a worker's browser.

The worker's kept tabs (``rpa.runtime.kept_tabs``: one context kept across requests, recycled
every ``keep_tabs_for`` requests and after any failure), or with ``--har`` (which records per
context) or ``keep_tabs_for = 0`` a fresh context from the worker's logged-in session; traced
per attempt when recording; the request flow on its two pages; what ended it mapped to
the bot's errors (``rpa.runtime.boundary``). A login page met mid-request means the session
expired: the worker logs in again, untraced, and the retry policy tries again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from rpa.errors import BrowserCrashed, SessionExpired
from rpa.io.mailer import Mailer
from rpa.io.spreadsheet_out import RowResult
from rpa.runtime import scrubbing
from rpa.runtime.boundary import attempt_failure
from rpa.runtime.browser import new_context
from rpa.runtime.browser_host import BrowserHost
from rpa.runtime.flowlog import FlowLog
from rpa.runtime.har_recording import har_options, scrub_or_remove
from rpa.runtime.recording import Recorder, scrub_archive
from rpa.runtime.request_flow import RequestFlow
from rpa.runtime.sites import Sites, hook_selectors
from rpa.runtime.work_queue import WorkItem
from rpa.settings import Settings


@dataclass
class Attempts:
    """What the attempts at one request leave behind: how many, failure screenshots, the steps."""

    count: int = 0
    screenshots: list[str] = field(default_factory=list)
    flow: FlowLog = field(default_factory=FlowLog)


def attempt(item: WorkItem, host: BrowserHost, attempts: Attempts, *, settings: Settings, recorder: Recorder,
            mailer: Mailer, now: Callable[[], dt.datetime]) -> dict[int, RowResult]:
    """Run ``item`` once more (``attempts.count`` is this attempt's number)."""
    request = item.request
    try:
        browser = host.get()
    except Exception as exc:
        raise BrowserCrashed(f"não foi possível iniciar o navegador: {exc}") from exc
    auth = host.auth
    if auth.generation == 0:  # this worker's own session, opened on its first request
        auth.refresh(browser)
    generation = auth.generation
    har = recorder.har_path(request.key, attempts.count) if settings.har else None
    tabs = host.tabs if host.tabs.enabled and har is None else None
    if tabs is not None:
        context, pages = tabs.open(browser, auth)
    else:
        context, pages = new_context(browser, settings, storage_state=auth.path, **har_options(har)), None
    folder = recorder.folder(request.key) if recorder.tracing else None
    if folder is not None:
        context.tracing.start(screenshots=True, snapshots=True, sources=False, title=request.key)
    flow = attempts.flow
    flow.attempt = attempts.count
    sites = None
    failed = True
    try:
        sites = Sites(context, settings.workfinity_url, settings.zendesk_url, flow, hook_selectors(settings.selectors),
                      pages=pages, overlap=settings.overlap_sites)
        results = RequestFlow(request, item.plan, item.job.journal, sites, mailer, settings, now=now,
                              lanes=sites.lanes).run()
        failed = False
        return results
    except Exception as exc:
        if folder is not None and sites is not None:
            attempts.screenshots += sites.screenshot(folder / f"failure-{attempts.count}.png")
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
                context.tracing.stop(path=str(folder / f"trace-{attempts.count}.zip"))
        except Exception:
            failed = True  # a context whose tracing is stuck is not kept
        if tabs is not None:
            tabs.release(failed=failed)
        else:
            try:
                context.close()
            except Exception:
                pass
        if folder is not None:
            scrub_archive(folder / f"trace-{attempts.count}.zip", scrubbing.active())
        if har is not None:  # Playwright wrote it on close: cookies and secrets out
            scrub_or_remove(har, settings.secrets())
