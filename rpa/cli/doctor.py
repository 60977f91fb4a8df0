"""``rpa doctor``: check that every hook of the page objects is where the bot expects it."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rpa.errors import InputError, LoginRefused
from rpa.runtime import logs
from rpa.runtime.boundary import cannot_start
from rpa.settings import Settings

console = Console(stderr=True)

_STYLE = {"ok": "green", "ausente": "red", "ambiguo": "yellow"}


def doctor(settings: Settings, *, json_out: bool = False, customer: str | None = None,
           serial: str | None = None, shots_dir: Path | None = None, quiet: bool = False) -> int:
    """Run the doctor and print its table (or JSON); exit 0 all ok, 1 drift, 2 could not start."""
    from rpa.runtime.doctor import Doctor
    from rpa.runtime.sites import describe_overrides

    shots = shots_dir or settings.runs_dir / "doctor"
    try:
        if not settings.secret("workfinity_password") or not settings.secret("zendesk_password"):
            raise InputError("Senhas ausentes: defina RPA_WORKFINITY_PASSWORD e RPA_ZENDESK_PASSWORD "
                             "(ambiente, .env ou keyring).")
        check = Doctor(settings, shots, customer=customer, serial=serial)
        for line in describe_overrides(check.hooks):
            console.print(f"[cyan]{line}[/cyan]")
        report = check.run()
    except (InputError, LoginRefused) as exc:
        console.print(f"[red]Não foi possível iniciar o diagnóstico:[/red] {exc}")
        return 2
    except Exception as exc:
        if cannot_start(exc):
            console.print(f"[red]Não foi possível iniciar o diagnóstico:[/red] {logs.scrub(str(exc))[:500]}")
            return 2
        raise
    if json_out:
        print(json.dumps([c.as_json() for c in report.checks], ensure_ascii=False, indent=1))
    elif not quiet:
        table = Table(title="Diagnóstico dos sites")
        for title in ("site", "tela", "gancho", "seletor", "situação"):
            table.add_column(title)
        for c in report.checks:
            status = f"[{_STYLE[c.status]}]{c.status}[/]" + (f" ({c.note})" if c.note else "")
            table.add_row(c.site, c.screen, c.hook, c.selector, status)
        Console().print(table)
    for path in report.screenshots:
        console.print(f"Captura da tela com problema: {path}")
    if report.drifted:
        console.print(f"[red]{len(report.drifted)} gancho(s) não encontrados como esperado.[/red] Ajuste "
                      "[selectors] no rpa.toml (nome do gancho = seletor do Playwright) ou avise o suporte.")
    return report.exit_code


def doctor_command(*, json_out: bool, fake: bool, customer: str | None, serial: str | None) -> int:
    """``rpa doctor``: settings as usual, or pointed at the embedded fake sites (``--fake``)."""
    try:
        settings = Settings()
    except Exception as exc:
        console.print(f"[red]Configuração inválida:[/red] {exc}")
        return 2
    if not fake:
        return doctor(settings, json_out=json_out, customer=customer, serial=serial)
    from fakesite.server import FakeSites
    from rpa.qa.fake_sites import fake_site_settings

    with FakeSites() as sites:
        return doctor(fake_site_settings(sites, settings), json_out=json_out, customer=customer, serial=serial)
