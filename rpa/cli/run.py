"""``rpa run``: settings, inputs, signals, progress, the runner, the report, the exit code."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rpa.errors import InputError, LoginRefused
from rpa.io.run_summary import RunSummary
from rpa.runtime import logs
from rpa.runtime.boundary import cannot_start
from rpa.settings import Settings

console = Console(stderr=True)


def parse_until(value: str | None, now: dt.datetime) -> dt.datetime | None:
    """``HH:MM`` -> the next such local time (today, or tomorrow if already past)."""
    if not value:
        return None
    try:
        hour, minute = (int(p) for p in value.split(":"))
        target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    except ValueError as exc:
        raise InputError(f"--until deve ser HH:MM (ex.: 06:30), recebido {value!r}") from exc
    return target if target > now else target + dt.timedelta(days=1)


def install_signals(stop: threading.Event) -> None:
    """First Ctrl-C/SIGTERM: finish in-flight requests and stop. Second: abort at once
    (the journal is transactional, so it stays consistent)."""

    def handler(signum, _frame):
        if stop.is_set():
            console.print("[red]Interrompido imediatamente.[/red]")
            os._exit(130)
        stop.set()
        console.print("[yellow]Parando: nenhuma solicitação nova; as em andamento terminam. "
                      "Ctrl-C de novo aborta já.[/yellow]")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


def execute(settings: Settings, files: list[Path], *, output: Path | None = None, sheet: str | None = None,
            until: str | None = None, stop: threading.Event | None = None,
            quiet: bool = False) -> tuple[int, RunSummary | None, Path | None]:
    """Run the bot; returns (exit code, summary or None, report path or None)."""
    from rpa.io.report import render
    from rpa.runtime.jobs import load_job
    from rpa.runtime.runner import Runner

    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
    interactive = sys.stderr.isatty() and not quiet
    logs.configure(secrets=settings.secrets(), log_file=settings.runs_dir / "logs" / f"{run_id}.jsonl",
                   to_stderr=not interactive and not quiet, run=run_id)
    stop = stop or threading.Event()
    try:
        if output is not None and len(files) > 1:
            raise InputError("--output só pode ser usado com uma única planilha.")
        if not settings.secret("workfinity_password") or not settings.secret("zendesk_password"):
            raise InputError("Senhas ausentes: defina RPA_WORKFINITY_PASSWORD e RPA_ZENDESK_PASSWORD "
                             "(ambiente, .env ou keyring).")
        until_at = parse_until(until, dt.datetime.now())
        announce_overrides(settings)
        jobs = [load_job(settings, Path(f), sheet, output) for f in files]
    except InputError as exc:
        console.print(f"[red]Erro:[/red] {exc}")
        logs.event("run_refused", error=str(exc))
        return 2, None, None

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), console=console,
                        disable=not interactive)
    task = progress.add_task("Solicitações", total=None, counts="")
    counts: dict[str, int] = {}

    def on_event(name: str, data: dict) -> None:
        if name == "plan":
            progress.update(task, total=data["requests"])
        elif name == "end":
            counts[data["outcome"]] = counts.get(data["outcome"], 0) + 1
            progress.update(task, advance=1, counts="  ".join(f"{k}: {v}" for k, v in sorted(counts.items())))

    try:
        runner = Runner(settings, jobs, run_id, stop=stop, until=until_at, on_event=on_event)
        with progress:
            summary = runner.run()
    except LoginRefused as exc:
        console.print(f"[red]Login recusado:[/red] {exc}")
        return 2, None, None
    except Exception as exc:
        if cannot_start(exc):
            console.print(f"[red]Não foi possível iniciar:[/red] {logs.scrub(str(exc))[:500]}")
            return 2, None, None
        raise
    finally:
        for job in jobs:
            job.journal.close()
    report = render(summary, settings.recordings_dir / run_id / "relatorio.html", scrub=logs.scrub)
    if not quiet:
        print_summary(summary, report)
    return summary.exit_code, summary, report


def announce_overrides(settings: Settings) -> None:
    """Say which ``[selectors]`` overrides this run uses (InputError for an unknown hook)."""
    from rpa.runtime.sites import describe_overrides, hook_selectors

    for line in describe_overrides(hook_selectors(settings.selectors)):
        console.print(f"[cyan]{line}[/cyan]")
        logs.event("selector_override", line=line)


def print_summary(summary: RunSummary, report: Path) -> None:
    table = Table(title=f"Execução {summary.run_id}")
    table.add_column("Resultado")
    table.add_column("Linhas", justify="right")
    for code, n in sorted(summary.counts.items()):
        table.add_row(code, str(n))
    out = Console()
    out.print(table)
    if summary.stopped:
        out.print(f"[yellow]Execução interrompida {summary.stopped.cause}: {summary.remaining} "
                  "solicitação(ões) ficaram para a próxima execução. Rode o mesmo comando de novo para "
                  "continuar.[/yellow]")
    if summary.stop_detail:
        out.print(f"[yellow]{summary.stop_detail}[/yellow]")
    for path in summary.outputs:
        out.print(f"Planilha: {path}")
    out.print(f"Relatório: {report}")


def run_command(files: list[Path], *, workers: int | None, output: Path | None, headed: bool,
                record: str | None, until: str | None, sheet: str | None, har: bool = False,
                doctor_first: bool = False) -> int:
    overrides: dict[str, Any] = {k: v for k, v in {"workers": workers, "record": record}.items() if v is not None}
    if headed:
        overrides["headed"] = True
    if har:
        overrides["har"] = True
    try:
        settings = Settings(**overrides)
    except Exception as exc:
        console.print(f"[red]Configuração inválida:[/red] {exc}")
        return 2
    if doctor_first:
        from rpa.cli.doctor import doctor

        if doctor(settings) != 0:
            console.print("[red]O diagnóstico (--doctor) não passou: a execução não começou.[/red]")
            return 2
    stop = threading.Event()
    install_signals(stop)
    code, _, _ = execute(settings, files, output=output, sheet=sheet, until=until, stop=stop)
    return code
