"""``rpa worker [--workers N] [--until HH:MM] [--exit-when-idle]``: on each machine, the same
runner as ``rpa run`` (browsers, a session per worker, retries, circuit breaker, recordings)
pulling its requests from the shared queue. SIGTERM/Ctrl-C: in-flight requests finish, then
it exits; a second one aborts at once."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading

from rpa.cli.run import install_signals, parse_until, refuse
from rpa.cli.shared_database import database_settings, unreachable
from rpa.errors import InputError, LoginRefused
from rpa.io import private
from rpa.io.run_summary import StopReason
from rpa.runtime import logs
from rpa.runtime.boundary import cannot_start


def worker_command(*, workers: int | None, until: str | None, exit_when_idle: bool) -> int:
    from rpa.io.report import render
    from rpa.runtime import preflight
    from rpa.runtime.distributed_queue import PgQueue
    from rpa.runtime.runner import Runner

    settings = database_settings(**({"workers": workers} if workers else {}))
    if settings is None:
        return 2
    previous_umask = private.restrict_umask()
    run_id = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{socket.gethostname()}-{os.getpid()}"
    try:
        try:
            preflight.check_folders(settings)
        except InputError as exc:
            return refuse(str(exc), check="local")[0]
        logs.configure(secrets=settings.secrets(), log_file=settings.runs_dir / "logs" / f"{run_id}.jsonl",
                       to_stderr=True, run=run_id)
        try:
            until_at = parse_until(until, dt.datetime.now())
            if not settings.secret("workfinity_password") or not settings.secret("zendesk_password"):
                raise InputError("Senhas ausentes: defina RPA_WORKFINITY_PASSWORD e RPA_ZENDESK_PASSWORD "
                                 "(ambiente, .env ou keyring).")
            preflight.check_remote(settings, preflight.smtp_target(settings))
        except InputError as exc:
            return refuse(str(exc))[0]
        stop = threading.Event()
        install_signals(stop)
        try:
            queue = PgQueue(settings, stop, exit_when_idle=exit_when_idle, until=until_at)
        except Exception as exc:
            return unreachable(exc)
        try:
            runner = Runner(settings, [], run_id, stop=stop, until=until_at, queue=queue)
            summary = runner.run()
        except LoginRefused as exc:
            return refuse(f"login recusado: {exc}")[0]
        except Exception as exc:
            if cannot_start(exc):
                return refuse(str(exc)[:500], error_type=type(exc).__name__)[0]
            raise
        finally:
            queue.close()
        render(summary, settings.recordings_dir / run_id / "relatorio.html", scrub=logs.scrub)
        # Its requests' results are in the shared journal (rpa collect); a breaker that tripped is news.
        return 1 if summary.stopped in (StopReason.CIRCUIT_BREAKER, StopReason.DRIFT) else 0
    finally:
        os.umask(previous_umask)
