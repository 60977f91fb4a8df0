"""``rpa replay run`` and ``rpa replay show``: options, printing, exit codes.

Exit codes of ``run``: 0 every flow replayed exactly as recorded; 1 some difference (or a
replay that failed); 2 a flow or its HAR could not be read, or the replay could not start.
``show`` serves a trace in Playwright's trace viewer (offline) and prints its URL.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from rpa.errors import FlowUnreadable
from rpa.qa.replay import CLOCKS, TARGETS, FlowReport, iter_lines, replay_paths
from rpa.settings import Settings

console = Console(stderr=True)


def print_reports(reports: list[FlowReport], *, json_out: bool = False, out: Console | None = None) -> None:
    if json_out:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2, default=str))
        return
    out = out or Console(highlight=False, soft_wrap=True)
    for style, text in iter_lines(reports):
        out.print(f"[{style}]{escape(text)}[/{style}]" if style else escape(text))


def exit_code(reports: list[FlowReport]) -> int:
    return 0 if all(r.identical for r in reports) else 1


def replay_command(target: Path, *, against: str = "fake", data: Path | None = None, offline: Path | None = None,
                   clock: str = "recorded", json_out: bool = False, settings: Settings | None = None) -> int:
    if against not in TARGETS or clock not in CLOCKS:
        console.print(f"[red]Erro:[/red] use --against {'|'.join(TARGETS)} e --clock {'|'.join(CLOCKS)}.")
        return 2
    if data is not None and not Path(data).is_file():
        console.print(f"[red]Erro:[/red] arquivo de dados {data} não existe.")
        return 2
    try:
        settings = settings or Settings()
    except Exception as exc:
        console.print(f"[red]Configuração inválida:[/red] {escape(str(exc))}")
        return 2
    if offline is None and against == "config":
        console.print("[yellow]Atenção: replay contra os sites da configuração "
                      f"({escape(settings.workfinity_url)}, {escape(settings.zendesk_url)}): O.S. e tickets "
                      "serão criados de verdade. Use só em homologação.[/yellow]")
    try:
        reports = replay_paths(Path(target), settings, against=against, data=data, offline=offline, clock=clock)
    except FlowUnreadable as exc:
        console.print(f"[red]Erro:[/red] {escape(str(exc))}")
        return 2
    except Exception as exc:  # the browser or the fake sites did not start, login refused...
        console.print(f"[red]Não foi possível fazer o replay:[/red] {escape(type(exc).__name__)}: "
                      f"{escape(str(exc)[:500])}")
        return 2
    print_reports(reports, json_out=json_out)
    return exit_code(reports)


# -- show ------------------------------------------------------------------------------------

LISTENING = re.compile(r"Listening on (http://\S+)")


def find_trace(path: Path) -> Path:
    """A trace file, or the last attempt's ``trace-<n>.zip`` in a request folder."""
    path = Path(path)
    if path.is_file():
        return path
    if path.is_dir():
        traces = sorted(path.glob("trace-*.zip"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
        if traces:
            return traces[-1]
    raise FileNotFoundError(f"{path}: nenhum trace encontrado (trace-<n>.zip)")


def start_viewer(trace: Path, timeout: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Start Playwright's trace viewer server on 127.0.0.1 (a free port); returns it and its URL."""
    # Its own session: ``python -m playwright`` runs the viewer in a child (node) process, and
    # stopping the viewer must stop both.
    proc = subprocess.Popen([sys.executable, "-m", "playwright", "show-trace", "--host", "127.0.0.1", "--port", "0",
                             str(trace)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:  # keeps reading so the viewer never blocks on a full pipe
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, name="trace-viewer-output", daemon=True).start()
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            line = None
        if line is None:
            stop_viewer(proc)
            raise RuntimeError("o visualizador de traces não iniciou: " + " ".join(seen)[-500:])
        seen.append(line.strip())
        found = LISTENING.search(line)
        if found:
            return proc, found.group(1)


def _signal_viewer(proc: subprocess.Popen, sig: int) -> bool:
    try:
        os.killpg(proc.pid, sig)  # the process group it leads: the wrapper and node
    except ProcessLookupError:
        return False
    return True


def stop_viewer(proc: subprocess.Popen) -> None:
    """Stop the viewer and its node child, and wait until both are gone (the wrapper can exit
    while node is still closing its listening socket)."""
    if _signal_viewer(proc, signal.SIGTERM):
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_viewer(proc, signal.SIGKILL)
    proc.wait(timeout=10)
    # Signal 0: is anyone of the group still there? Bounded: an unreaped zombie stays "there".
    for _ in range(200):
        if not _signal_viewer(proc, 0):
            return
        if _ == 100:
            _signal_viewer(proc, signal.SIGKILL)
        time.sleep(0.05)


def show_command(trace: Path) -> int:
    try:
        proc, url = start_viewer(find_trace(trace))
    except (FileNotFoundError, RuntimeError) as exc:
        console.print(f"[red]Erro:[/red] {escape(str(exc))}")
        return 2
    print(url, flush=True)
    console.print("Abra o endereço acima no Chromium. Ctrl-C encerra o visualizador.")
    # Only signal here: the main thread is inside proc.wait(), which returns once it exits.
    previous = signal.signal(signal.SIGTERM, lambda *_: _signal_viewer(proc, signal.SIGTERM))
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_viewer(proc)
        signal.signal(signal.SIGTERM, previous)
    return 0
