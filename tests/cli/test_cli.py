"""The command line as schedulers call it: serving the fakes, refusing to start on bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import httpx

from fakesite.server import free_port

RPA = [sys.executable, "-m", "rpa.cli"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(extra)
    return env


class TestFakesiteServe:
    """``rpa fakesite serve --data FILE`` serves both sites and prints URLs and credentials."""

    def test_serves_a_seed_file(self, tmp_path):
        seed = {"workfinity": {"users": [{"username": "qa", "password": ""}],
                               "customers": [], "catalog": {"Instalação": ["Instalação Venda"]}},
                "zendesk": {"agents": [{"email": "qa@x.com.br", "password": "", "name": "QA"}],
                            "tickets": [{"id": 50001, "subject": "Teste", "requester": "a@b.com", "status": "open",
                                         "custom_fields": {}, "comments": [], "status_history": ["open"]}]}}
        data = tmp_path / "seed.json"
        data.write_text(json.dumps(seed), encoding="utf-8")
        wf, zd = free_port(), free_port()
        proc = subprocess.Popen([*RPA, "fakesite", "serve", "--data", str(data), "--workfinity-port", str(wf),
                                 "--zendesk-port", str(zd), "--latency-ms", "5"], stdout=subprocess.PIPE, text=True,
                                env=clean_env())
        try:
            first, second = proc.stdout.readline(), proc.stdout.readline()
            assert f"http://127.0.0.1:{wf}/osmanager-tenant" in first and "usuário: qa" in first
            assert f"http://127.0.0.1:{zd}" in second and "qa@x.com.br" in second
            assert re.search(r"senha: \S{8,}", first)
            state = httpx.get(f"http://127.0.0.1:{zd}/_fake/state", timeout=10).json()
            assert [t["id"] for t in state["zendesk"]["tickets"]] == [50001]
            assert state["faults"]["latency_ms"] == 5
            login = httpx.get(f"http://127.0.0.1:{wf}/osmanager-tenant/login/auth", timeout=10)
            assert login.status_code == 200 and 'id="username"' in login.text
        finally:
            proc.terminate()
            proc.wait(timeout=10)


class TestRunRefusesToStart:
    """Bad input or configuration: exit 2 with a pt-BR message, no browser started."""

    def test_missing_passwords(self, tmp_path):
        # Passwords are needed only when some row needs the sites (tests/cli/test_startup_checks.py).
        from fakesite.sample import bulk_rows, write_xlsx
        from fakesite.seed import default_seed

        book = write_xlsx(bulk_rows(default_seed(), 1), tmp_path / "x.xlsx")
        result = subprocess.run([*RPA, "run", str(book)], capture_output=True, text=True, cwd=tmp_path,
                                env=clean_env(RPA_RUNS_DIR=str(tmp_path / "runs")))
        assert result.returncode == 2
        assert "RPA_WORKFINITY_PASSWORD" in result.stderr

    def test_unreadable_file(self, tmp_path):
        result = subprocess.run([*RPA, "run", str(tmp_path / "nao-existe.xlsx")], capture_output=True, text=True,
                                cwd=tmp_path, env=clean_env(RPA_WORKFINITY_PASSWORD="senha-wf-1",
                                                            RPA_ZENDESK_PASSWORD="senha-zd-1",
                                                            RPA_RUNS_DIR=str(tmp_path / "runs")))
        assert result.returncode == 2
        assert "nao-existe.xlsx" in result.stderr

    def test_bad_until(self, tmp_path):
        import datetime as dt

        import pytest

        from rpa.cli.run import parse_until
        from rpa.errors import InputError

        now = dt.datetime(2026, 11, 28, 23, 0)
        assert parse_until("06:30", now) == dt.datetime(2026, 11, 29, 6, 30)
        assert parse_until("23:30", now) == dt.datetime(2026, 11, 28, 23, 30)
        with pytest.raises(InputError, match="HH:MM"):
            parse_until("6h30", now)
