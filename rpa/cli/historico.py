"""``rpa historico``: the nights' history from the journals, as HTML (charts) and .xlsx."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from rpa.io.history import load_runs, summarize, write_history
from rpa.settings import Settings

console = Console(stderr=True)


def historico_command(*, days: int, out_dir: Path) -> int:
    runs_dir = Settings().runs_dir
    history = summarize(load_runs(runs_dir), days)
    html, xlsx = write_history(history, out_dir)
    console.print(f"{len(history.nights)} noite(s) com execuções em {runs_dir} nos últimos {days} dia(s).")
    print(html, flush=True)
    print(xlsx, flush=True)
    return 0
