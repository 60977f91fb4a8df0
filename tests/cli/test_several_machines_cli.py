"""The several-machines commands refuse to start (exit 2, pt-BR) without a database or when it
cannot be reached, and never print the database password."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fakesite.server import free_port
from rpa.cli.app import app

COMMANDS = [["enqueue", "planilha.xlsx"], ["worker", "--exit-when-idle"], ["collect", "planilha.xlsx"], ["status"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_without_database_url_exit_2(args, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RPA_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "defina RPA_DATABASE_URL" in result.output


@pytest.mark.parametrize("args", [a for a in COMMANDS if a[0] != "worker"], ids=lambda a: a[0])
def test_unreachable_database_exit_2_without_its_password(args, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RPA_DATABASE_URL", f"postgresql://robo:Senha-Do-Banco-42@127.0.0.1:{free_port()}/rpa")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "banco de dados (RPA_DATABASE_URL) inacessível" in result.output
    assert "Senha-Do-Banco-42" not in result.output
