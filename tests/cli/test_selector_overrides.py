"""``[selectors]`` overrides at the start of a run (no browser): an unknown hook is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import SecretStr

from rpa.cli.run import execute
from rpa.settings import Settings

SAMPLE = Path(__file__).resolve().parents[2] / "input" / "exemplo-solicitacoes.xlsx"


def test_unknown_hook_name_refuses_the_run(tmp_path, capsys):
    book = tmp_path / "sample.xlsx"
    shutil.copy2(SAMPLE, book)
    settings = Settings(selectors={"zendesk.composer.channel_switch": "#x"}, runs_dir=tmp_path / "runs",
                        recordings_dir=tmp_path / "rec", outbox_dir=tmp_path / "out",
                        workfinity_password=SecretStr("Wf-teste-9x"), zendesk_password=SecretStr("Zd-teste-7y"))
    code, summary, _ = execute(settings, [book], quiet=True)
    assert (code, summary) == (2, None)
    err = capsys.readouterr().err
    assert "zendesk.composer.channel_switch" in err and "rpa doctor" in err


def test_selectors_come_from_rpa_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rpa.toml").write_text('[selectors]\n"workfinity.form.notes" = "#osNotes"\n', encoding="utf-8")
    assert Settings().selectors == {"workfinity.form.notes": "#osNotes"}
