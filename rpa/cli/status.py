"""``rpa status``: per file in the shared database, how many requests wait, run (on which
machine) and ended, per outcome."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from rpa.cli.shared_database import database_settings, database_url, unreachable


def status_command() -> int:
    import psycopg

    from rpa.runtime.distributed_queue import app_for, queue_counts

    settings = database_settings()
    if settings is None:
        return 2
    url = database_url(settings)
    try:
        app_for(url).close()  # the tables exist even before the first enqueue
        db = psycopg.connect(url, autocommit=True)
    except Exception as exc:
        return unreachable(exc)
    from rpa.io.journal_pg import migrate

    table = Table(title="Planilhas na fila compartilhada")
    for column in ("Planilha", "Máquina", "Na fila", "Em andamento (máquina)", "Terminadas por resultado"):
        table.add_column(column)
    with db:
        migrate(db)
        for key, path, machine in db.execute("SELECT file_key, path, machine FROM rpa_files ORDER BY enqueued_at"):
            counts = queue_counts(db, key)
            where: dict[str, int] = {}
            for (host,) in db.execute("SELECT coalesce(machine, '?') FROM rpa_requests r JOIN procrastinate_jobs j "
                                      "ON j.args->>'file_key' = r.file_key AND j.args->>'request_key' = r.key "
                                      "WHERE r.file_key=%s AND j.status='doing'", (key,)):
                where[host] = where.get(host, 0) + 1
            per: dict[str, int] = {}
            for (result,) in db.execute("SELECT result FROM rpa_row_results WHERE file_key=%s", (key,)):
                status = str(json.loads(result).get("status", ""))
                per[status] = per.get(status, 0) + 1
            table.add_row(path, machine, str(counts.get("todo", 0)),
                          f"{counts.get('doing', 0)}" + (" (" + ", ".join(f"{h}: {n}" for h, n in where.items()) + ")"
                                                         if where else ""),
                          ", ".join(f"{s}: {n} linha(s)" for s, n in sorted(per.items())) or "—")
    Console().print(table)
    return 0
