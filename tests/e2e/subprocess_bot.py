"""Run ``rpa run`` as a separate process against fake sites (for kill -9 and signal tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fakesite.sample import registered_address, row, write_xlsx
from fakesite.seed import default_seed


def bot_env(sites, workdir: Path, **extra: str) -> dict[str, str]:
    creds = sites.world.credentials()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update({
        "RPA_WORKFINITY_URL": sites.workfinity_url, "RPA_WORKFINITY_USER": creds["workfinity"]["user"],
        "RPA_WORKFINITY_PASSWORD": creds["workfinity"]["password"], "RPA_ZENDESK_URL": sites.zendesk_url,
        "RPA_ZENDESK_EMAIL": creds["zendesk"]["email"], "RPA_ZENDESK_PASSWORD": creds["zendesk"]["password"],
        "RPA_RUNS_DIR": str(workdir / "runs"), "RPA_RECORDINGS_DIR": str(workdir / "recordings"),
        "RPA_OUTBOX_DIR": str(workdir / "outbox"), "RPA_ACTION_TIMEOUT_MS": "15000",
        "RPA_RECORD": "off",  # traces are not what these runs check, and they cost time
    })
    env.update(extra)
    return env


def start_bot(sites, workdir: Path, book: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rpa.cli", "run", str(book), *args], cwd=workdir,
                            env=bot_env(sites, workdir, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def run_bot(sites, workdir: Path, book: Path, *args: str, timeout: float = 240, **env: str):
    proc = start_bot(sites, workdir, book, *args, **env)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _customer(seed, document):
    return next(c for c in seed["workfinity"]["customers"] if c["document"] == document)


def new_ticket_book(path: Path, *, equipment: int = 2) -> Path:
    """One request without a ticket: the bot creates it and opens the O.S. (the last one a
    courtesy, with its Book)."""
    seed = default_seed()
    c = _customer(seed, "11.222.333/0001-81")
    rows = [row(c, "LCKB1700000124", "ECF inoperante", Solicitação="K-1"),
            row(c, "BE4200TH000125", "LED piscando", Solicitação="K-1", Cortesia="Sim")]
    return write_xlsx(rows[-equipment:], path)


def existing_ticket_book(path: Path) -> Path:
    """Two equipment on an existing ticket (the O.S. search by Pedido de Venda + serial path)."""
    c = _customer(default_seed(), "33.445.566/0001-86")
    return write_xlsx([row(c, "BE4000FI000124", "ECF inoperante", Ticket="41002"),
                       row(c, "LCLS8000000124", "LED piscando", Ticket="41002")], path)


def pending_book(path: Path) -> Path:
    """One request on an existing ticket whose address change needs the registration dept."""
    seed = default_seed()
    c = _customer(seed, "45.678.901/0001-75")
    return write_xlsx([row(c, "BE4000FI000126", "ECF inoperante", Ticket="41007",
                           **{**registered_address(c), "Número": "999"})], path)
