"""What the several-machines commands (enqueue, worker, collect, status) share: settings that
name a database, and a pt-BR refusal (exit 2) when they do not or it cannot be reached."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from rpa.cli.config_errors import config_error_message
from rpa.runtime import logs
from rpa.settings import Settings

console = Console(stderr=True)


def database_settings(**overrides: Any) -> Settings | None:
    """Settings with ``database_url``, or None after saying why not (the caller exits 2)."""
    try:
        settings = Settings(**overrides)
    except Exception as exc:
        console.print(f"[red]Configuração inválida:[/red] {escape(config_error_message(exc))}", highlight=False)
        return None
    if settings.database_url is None:
        console.print("[red]Não foi possível iniciar:[/red] defina RPA_DATABASE_URL (postgresql://usuário:senha@"
                      "servidor/banco) para usar várias máquinas; numa só máquina use rpa run.", highlight=False)
        return None
    logs.configure(secrets=settings.secrets(), to_stderr=False)
    return settings


def unreachable(exc: Exception) -> int:
    """The database refused or is away: exit 2, the URL's password never shown."""
    console.print(f"[red]Não foi possível iniciar:[/red] banco de dados (RPA_DATABASE_URL) inacessível: "
                  f"{escape(logs.scrub(str(exc))[:300])}", highlight=False)
    return 2


def database_url(settings: Settings) -> str:
    assert settings.database_url is not None  # database_settings() checked it
    return settings.database_url.get_secret_value()
