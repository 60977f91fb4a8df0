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
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rpa.cli.config_errors import config_error_message
from rpa.errors import InputError, LoginRefused
from rpa.io import private
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


def refuse(message: str, **fields: Any) -> tuple[int, None, None]:
    """Exit 2: one pt-BR message on the screen (no traceback), the reason in the JSONL log."""
    message = logs.scrub(message)
    console.print(f"[red]Não foi possível iniciar:[/red] {escape(message)}", highlight=False)
    logs.event("run_refused", error=message, **fields)
    return 2, None, None


def execute(settings: Settings, files: list[Path], *, output: Path | None = None, sheet: str | None = None,
            until: str | None = None, stop: threading.Event | None = None,
            quiet: bool = False) -> tuple[int, RunSummary | None, Path | None]:
    """Run the bot; returns (exit code, summary or None, report path or None)."""
    previous_umask = private.restrict_umask()  # journal, logs, flows, recordings, outbox: private (LGPD)
    try:
        return _execute(settings, files, output=output, sheet=sheet, until=until, stop=stop, quiet=quiet)
    finally:
        os.umask(previous_umask)


def _execute(settings: Settings, files: list[Path], *, output: Path | None, sheet: str | None,
             until: str | None, stop: threading.Event | None,
             quiet: bool) -> tuple[int, RunSummary | None, Path | None]:
    from rpa.io.report import render
    from rpa.runtime import preflight
    from rpa.runtime.jobs import load_job, unique_files
    from rpa.runtime.runner import Runner

    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
    interactive = sys.stderr.isatty() and not quiet
    to_stderr = not interactive and not quiet
    # Nothing is written before the start-up check: no log file yet (its folder is checked), no
    # journal for the sites' part, no backup or rewrite of the workbook.
    logs.configure(secrets=settings.secrets(), to_stderr=to_stderr, run=run_id)
    try:
        preflight.check_folders(settings)
    except InputError as exc:
        return refuse(str(exc), check="local")
    for folder in (settings.runs_dir, settings.recordings_dir, settings.outbox_dir):
        private.restrict_tree(folder)  # what an older version left readable by others
    logs.configure(secrets=settings.secrets(), log_file=settings.runs_dir / "logs" / f"{run_id}.jsonl",
                   to_stderr=to_stderr, run=run_id)
    stop = stop or threading.Event()
    files = unique_files([Path(f) for f in files])  # one file by two paths is one job

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

    jobs = []
    try:
        try:
            if output is not None and len(files) > 1:
                raise InputError("--output só pode ser usado com uma única planilha.")
            until_at = parse_until(until, dt.datetime.now())
            announce_overrides(settings)
            smtp = preflight.smtp_target(settings)
            for f in files:
                jobs.append(load_job(settings, Path(f), sheet, output))
            runner = Runner(settings, jobs, run_id, stop=stop, until=until_at, on_event=on_event)
            # Requests that need no site (invalid, escalated, already done) need no password,
            # browser or site: they are decided and written with all of these missing.
            if runner.needs_sites():
                if not settings.secret("workfinity_password") or not settings.secret("zendesk_password"):
                    raise InputError("Senhas ausentes: defina RPA_WORKFINITY_PASSWORD e RPA_ZENDESK_PASSWORD "
                                     "(ambiente, .env ou keyring).")
                preflight.check_remote(settings, smtp)
        except InputError as exc:
            return refuse(str(exc), **{k: str(v) for k, v in exc.context.items() if k == "detail"})
        try:
            with progress:
                summary = runner.run()
        except LoginRefused as exc:
            return refuse(f"login recusado: {exc}")
        except Exception as exc:
            if cannot_start(exc):
                return refuse(str(exc)[:500], error_type=type(exc).__name__)
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
        console.print(f"[red]Configuração inválida:[/red] {escape(config_error_message(exc))}", highlight=False)
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
