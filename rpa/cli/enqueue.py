"""``rpa enqueue FILE… [--sheet S]``: read and validate, write what needs no site, and put one
job per request that needs the sites in the shared queue (PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from rpa.cli.shared_database import database_settings, database_url, unreachable
from rpa.errors import InputError
from rpa.io import private
from rpa.runtime import logs

console = Console(stderr=True, soft_wrap=True)


def enqueue_command(files: list[Path], *, sheet: str | None) -> int:
    from rpa.runtime.distributed_queue import app_for, enqueue
    from rpa.runtime.jobs import file_key, load_job, unique_files

    settings = database_settings()
    if settings is None:
        return 2
    previous_umask = private.restrict_umask()  # the workbook's backup: client data (LGPD)
    try:
        try:
            app = app_for(database_url(settings))
        except Exception as exc:
            return unreachable(exc)
        try:
            for path in unique_files([Path(f) for f in files]):
                try:
                    job = load_job(settings, path, sheet, None)
                except InputError as exc:
                    console.print(f"[red]Não foi possível iniciar:[/red] {escape(logs.scrub(str(exc)))}",
                                  highlight=False)
                    return 2
                try:
                    counts = enqueue(settings, app, job, file_key(path))
                    job.project()  # what the rules decided reaches the workbook now
                finally:
                    job.journal.close()
                console.print(f"{escape(str(path))}: {counts.queued} solicitação(ões) novas na fila, "
                              f"{counts.already} já na fila ou em andamento, {counts.decided} decididas sem os "
                              f"sites, {counts.done} já concluídas.", highlight=False)
        finally:
            app.close()
    finally:
        os.umask(previous_umask)
    return 0
