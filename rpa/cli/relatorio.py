"""``rpa relatorio``: serve a run's report and the trace viewer on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from rpa.errors import InputError
from rpa.runtime.report_server import ReportServer, latest_run
from rpa.settings import Settings

console = Console(stderr=True)


def relatorio_command(run_dir: Path | None, *, latest: bool, port: int = 0,
                      stop: threading.Event | None = None) -> int:
    try:
        if run_dir is not None and latest:
            raise InputError("informe a pasta da execução ou --ultimo, não os dois")
        folder = run_dir if run_dir is not None else latest_run(Settings().recordings_dir)
        server = ReportServer(folder, port).start()
    except InputError as exc:
        console.print(f"[red]Erro:[/red] {escape(str(exc))}")
        return 2
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    print(server.url, flush=True)
    console.print(f"Relatório de {escape(str(server.run_dir))}: abra o endereço acima no navegador; "
                  "os traces abrem com um clique. Ctrl-C encerra.")
    try:
        stop.wait()
    finally:
        server.stop()
    return 0
