"""Running the real bot (``rpa.cli.run.execute``) against the fake sites from a test."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from fakesite.sample import write_xlsx
from rpa.qa.fake_sites import fake_site_settings
from rpa.settings import Settings
from tests.fakeserver import FakeClient

SAMPLE = Path(__file__).resolve().parents[2] / "input" / "exemplo-solicitacoes.xlsx"


@dataclass
class Bot:
    fake: FakeClient
    workdir: Path

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = dict(
            outbox_dir=self.workdir / "outbox", recordings_dir=self.workdir / "recordings",
            # Traces cost time; the tests about recordings ask for them explicitly.
            runs_dir=self.workdir / "runs", record="off", workers=1, smtp_url=None,
            action_timeout_ms=15_000, navigation_timeout_ms=20_000,
        )
        values.update(overrides)
        return fake_site_settings(self.fake.sites, **values)

    def sample(self, name: str = "sample.xlsx") -> Path:
        target = self.workdir / name
        shutil.copy2(SAMPLE, target)
        return target

    def workbook(self, rows: list[dict[str, str]], name: str = "input.xlsx") -> Path:
        return write_xlsx(rows, self.workdir / name)

    def run(self, path: Path, stop: threading.Event | None = None, **overrides: Any):
        from rpa.cli.run import execute

        # In a thread of its own: a test of this worker that used pytest-playwright's page has left
        # its sync Playwright owning the main thread's event loop, and the bot's Playwright needs one.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(execute, self.settings(**overrides), [path], quiet=True, stop=stop).result()


def fresh_bot(fake_sites: Any, workdir: Path) -> Bot:
    """A bot for a module-scoped run: the session's fake sites reset to the seed, a new folder."""
    fake = FakeClient(fake_sites)
    fake.reset()
    return Bot(fake, workdir)


def read_results(path: Path) -> list[dict[str, str]]:
    """The workbook's rows as dicts keyed by header (header = the row with 'CNPJ')."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if "CNPJ" in [str(c or "").strip() for c in r])
    headers = [str(c or "").strip() for c in rows[header_index]]
    out = []
    for number, r in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(c not in (None, "") for c in r):
            continue
        d = {h: ("" if v is None else str(v)) for h, v in zip(headers, r, strict=False) if h}
        d["_row"] = str(number)
        out.append(d)
    return out
