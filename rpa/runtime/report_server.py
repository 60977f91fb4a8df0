"""``rpa relatorio``'s server: a run's folder and Playwright's trace viewer on 127.0.0.1.

The viewer is the one bundled inside the installed ``playwright`` package (offline); it needs
http, not file://, because of its service worker. Layout of the served site:

    /                      -> redirect to /files/relatorio.html
    /files/<path>          the run folder only (Starlette's StaticFiles: no ``..``, no symlink out)
    /trace/index.html?trace=<url of a zip under /files/>   the trace viewer
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import playwright
import uvicorn
from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from rpa.errors import InputError

REPORT_NAME = "relatorio.html"
HOST = "127.0.0.1"  # never another interface: the run's folder holds personal data


def trace_viewer_dir() -> Path:
    """The trace viewer's static files inside the installed ``playwright`` package."""
    package = Path(playwright.__file__).parent
    usual = package / "driver" / "package" / "lib" / "vite" / "traceViewer"
    if (usual / "index.html").is_file():
        return usual
    found = sorted(package.glob("driver/**/traceViewer/index.html"))
    if not found:
        raise InputError(f"visualizador de traces não encontrado no pacote playwright ({package})")
    return found[0].parent


def latest_run(recordings_dir: Path) -> Path:
    """The most recent run folder of ``recordings_dir`` that has a report."""
    reports = sorted(Path(recordings_dir).glob(f"*/{REPORT_NAME}"), key=lambda p: p.stat().st_mtime)
    if not reports:
        raise InputError(f"nenhum relatório encontrado em {recordings_dir} (rode o robô primeiro)")
    return reports[-1].parent


def build_app(run_dir: Path) -> Starlette:
    async def home(_request):
        return RedirectResponse(f"/files/{REPORT_NAME}")

    return Starlette(routes=[
        Route("/", home),
        Mount("/files", StaticFiles(directory=run_dir)),
        Mount("/trace", StaticFiles(directory=trace_viewer_dir(), html=True)),
    ])


class ReportServer:
    """Serves one run folder until ``stop``; ``port=0`` picks a free port."""

    def __init__(self, run_dir: Path, port: int = 0) -> None:
        self.run_dir = Path(run_dir).resolve()
        if not (self.run_dir / REPORT_NAME).is_file():
            raise InputError(f"{self.run_dir} não tem {REPORT_NAME}: informe a pasta de uma execução "
                             "(recordings/<execução>) ou use --ultimo")
        config = uvicorn.Config(build_app(self.run_dir), host=HOST, port=port, log_level="warning",
                                access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # type: ignore[attr-defined]  # the CLI owns signals
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve()), name="report-server",
                                        daemon=True)

    @property
    def origin(self) -> str:
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://{HOST}:{port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/files/{REPORT_NAME}"

    def trace_url(self, trace: Path) -> str:
        """Viewer address of a trace inside the run folder."""
        relative = Path(trace).resolve().relative_to(self.run_dir).as_posix()
        return f"{self.origin}/trace/index.html?trace={self.origin}/files/{relative}"

    def start(self) -> ReportServer:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise InputError(f"não foi possível servir o relatório em {HOST}")
            self._thread.join(timeout=0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> ReportServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
