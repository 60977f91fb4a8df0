"""``rpa limpar [--antes AAAA-MM-DD]``: delete by hand what the bot keeps about clients (LGPD).

Without ``--antes``, what is older than ``retention_days`` (what every run deletes at its
end); with it, everything last written before that day: journals, logs, recordings,
reports, flows, HARs, traces and e-mails in the outbox.
"""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape

from rpa.cli.config_errors import config_error_message
from rpa.runtime.retention import purge, purge_shared, retention_limit
from rpa.settings import Settings

console = Console(stderr=True)


def limpar_command(antes: str | None) -> int:
    try:
        settings = Settings()
    except Exception as exc:
        console.print(f"[red]Configuração inválida:[/red] {escape(config_error_message(exc))}", highlight=False)
        return 2
    if antes:
        try:
            limit = dt.datetime.combine(dt.date.fromisoformat(antes), dt.time())
        except ValueError:
            console.print(f"[red]--antes deve ser uma data AAAA-MM-DD (ex.: 2026-01-31), recebido {antes!r}.[/red]",
                          highlight=False)
            return 2
    else:
        found = retention_limit(settings.retention_days)
        if found is None:
            console.print("RPA_RETENTION_DAYS é 0: nada expira. Use --antes AAAA-MM-DD para apagar à mão.")
            return 0
        limit = found
    removed = purge(settings, limit)
    console.print(f"Apagados {len(removed)} item(ns) gravados antes de {limit:%d/%m/%Y %H:%M} "
                  f"(pastas {settings.runs_dir}, {settings.recordings_dir}, {settings.outbox_dir}).", highlight=False)
    for path in removed:
        console.print(f"  {escape(str(path))}", highlight=False)
    if settings.database_url is not None:
        try:
            shared = purge_shared(settings, limit)
        except Exception as exc:
            console.print(f"[red]Banco compartilhado (RPA_DATABASE_URL) inacessível: nada apagado nele "
                          f"({escape(type(exc).__name__)}).[/red]", highlight=False)
            return 1
        console.print(f"Banco compartilhado: dados de {len(shared)} planilha(s) apagados.", highlight=False)
        for name in shared:
            console.print(f"  {escape(name)}", highlight=False)
    return 0
