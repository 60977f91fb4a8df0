"""``rpa historico``: the nights' history from the journals, as HTML (charts) and .xlsx."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from rpa.io.history import load_runs, summarize, write_history
from rpa.runtime import scrubbing
from rpa.settings import Settings

console = Console(stderr=True)


def historico_command(*, days: int, out_dir: Path) -> int:
    settings = Settings()
    runs_dir, secrets = settings.runs_dir, settings.secrets()
    history = summarize(load_runs(runs_dir), days)
    html, xlsx = write_history(history, out_dir, scrub=lambda text: scrubbing.scrub(text, secrets))
    console.print(f"{len(history.nights)} noite(s) com execuções em {runs_dir} nos últimos {days} dia(s).")
    print(html, flush=True)
    print(xlsx, flush=True)
    return 0
