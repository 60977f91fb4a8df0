"""``rpa demo``: the main job on the embedded fake sites, from nothing to a filled workbook."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from rich.console import Console

from rpa.qa.fake_sites import fake_site_settings

SAMPLE = Path(__file__).resolve().parents[2] / "input" / "exemplo-solicitacoes.xlsx"


def demo_command(*, workers: int, workdir: Path) -> int:
    from fakesite.server import FakeSites
    from rpa.cli.run import execute, install_signals

    out = Console()
    workdir = Path(workdir)
    if workdir.exists():
        shutil.rmtree(workdir)  # a demo always starts from scratch, like the fake sites
    workdir.mkdir(parents=True)
    workbook = workdir / SAMPLE.name
    shutil.copy2(SAMPLE, workbook)

    with FakeSites() as sites:
        out.print(f"Sites falsos: Workfinity {sites.workfinity_url}  Zendesk {sites.zendesk_url}")
        settings = fake_site_settings(
            sites, workers=workers, record="always", outbox_dir=workdir / "caixa-de-saida",
            recordings_dir=workdir / "gravacoes", runs_dir=workdir / "execucoes", smtp_url=None,
        )
        stop = threading.Event()
        install_signals(stop)
        code, summary, report = execute(settings, [workbook], stop=stop)
        if summary is None:
            return code
        state = sites.world.state()
        out.print(f"Workfinity: {len(state['workfinity'].get('service_orders', []))} O.S. no site; "
                  f"Zendesk: {len(state['zendesk'].get('tickets', []))} tickets no site.")
    eml = sorted((workdir / "caixa-de-saida").glob("*.eml"))
    out.print(f"Caixa de saída (Books): {workdir / 'caixa-de-saida'} ({len(eml)} e-mail(s))")
    out.print(f"Gravações: {workdir / 'gravacoes'}  (relatório e traces no navegador: "
              f".venv/bin/rpa relatorio {report.parent if report else workdir / 'gravacoes'})")
    return code
