"""``rpa collect FILE… [--sheet S]``, where the workbook lives: writes the results into it as
the workers finish them (the only writer of the file), shows the progress, and returns when
every request of the files has ended: 0 every row has a business outcome, 1 some ERRO_SISTEMA
(or a row left without a result), 2 could not start."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rpa.cli.run import install_signals
from rpa.cli.shared_database import database_settings, database_url, unreachable
from rpa.errors import InputError
from rpa.io import private
from rpa.outcomes import Outcome
from rpa.runtime import logs

console = Console(stderr=True, soft_wrap=True)


def collect_command(files: list[Path], *, sheet: str | None, poll_seconds: float = 2.0) -> int:
    import psycopg

    from rpa.io.journal_pg import migrate
    from rpa.io.report import render
    from rpa.runtime.collected_report import collected_summary
    from rpa.runtime.distributed_queue import app_for, queue_counts
    from rpa.runtime.jobs import file_key, load_job, unique_files

    settings = database_settings()
    if settings is None:
        return 2
    previous_umask = private.restrict_umask()
    jobs = []
    try:
        try:
            db = psycopg.connect(database_url(settings), autocommit=True)
        except Exception as exc:
            return unreachable(exc)
        try:
            app_for(database_url(settings)).close()  # the queue's tables, even before any enqueue
            migrate(db)
            for path in unique_files([Path(f) for f in files]):
                if not db.execute("SELECT 1 FROM rpa_files WHERE file_key=%s", (file_key(path),)).fetchone():
                    console.print(f"[red]Não foi possível iniciar:[/red] {escape(str(path))} não foi enfileirada "
                                  "nesta máquina: rode rpa enqueue com ela primeiro.", highlight=False)
                    return 2
                jobs.append((load_job(settings, path, sheet, None), file_key(path)))
        except InputError as exc:
            console.print(f"[red]Não foi possível iniciar:[/red] {escape(logs.scrub(str(exc)))}", highlight=False)
            return 2
        stop = threading.Event()
        install_signals(stop)
        run_id = f"coleta-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
        started_at, started = dt.datetime.now().replace(microsecond=0), time.monotonic()
        total = sum(len(job.sheet.rows) for job, _ in jobs)
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[state]}"), TimeElapsedColumn(), console=console,
                            disable=not sys.stderr.isatty())
        task = progress.add_task("Linhas com resultado", total=total, state="")
        seen: dict[str, dict] = {}
        with progress:
            while True:
                waiting = running = 0
                with_result = 0
                for job, key in jobs:
                    counts = queue_counts(db, key)
                    waiting += counts.get("todo", 0)
                    running += counts.get("doing", 0)
                    results = job.journal.results()
                    with_result += len(results)
                    if results != seen.get(key):  # new results, or a retried row's new one
                        seen[key] = results
                        job.project()
                progress.update(task, completed=min(with_result, total),
                                state=f"na fila: {waiting}  em andamento: {running}")
                if not waiting and not running:
                    break
                if stop.wait(poll_seconds):
                    console.print("[yellow]Interrompido: os resultados que já chegaram estão na planilha; "
                                  "rode rpa collect de novo para continuar.[/yellow]")
                    return 1
        code = _summary(jobs)
        outputs = [job.project() for job, _ in jobs]
        db.close()
        summary = collected_summary([job for job, _ in jobs], outputs, run_id, started_at,
                                    time.monotonic() - started)
        report = render(summary, settings.recordings_dir / run_id / "relatorio.html", scrub=logs.scrub)
        console.print(f"Relatório: {escape(str(report))}", highlight=False)
        return code
    finally:
        for job, _ in jobs:
            job.journal.close()
        os.umask(previous_umask)


def _summary(jobs: list) -> int:
    code = 0
    for job, _ in jobs:
        results = job.journal.results()
        per: dict[str, int] = {}
        for _, result in results.values():
            per[str(result.get("status", ""))] = per.get(str(result.get("status", "")), 0) + 1
        missing = len(set(job.identities.values()) - set(results))
        parts = [f"{status}: {n}" for status, n in sorted(per.items())]
        if missing:
            parts.append(f"sem resultado: {missing}")
        console.print(f"{escape(str(job.path))}: " + ", ".join(parts), highlight=False)
        if per.get(Outcome.ERRO_SISTEMA) or missing:
            code = 1
    return code
