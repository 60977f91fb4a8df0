"""Several machines over a real PostgreSQL: a producer (rpa enqueue), two worker processes
(each with its own HOME, runs and recordings folders, as two machines) and a collector, against
the fake sites. One worker is killed (-9) in the middle of a request; the other continues it
after reconciling with the sites: exactly one ticket per request and one O.S. per equipment."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from fakesite.sample import row, write_xlsx
from fakesite.seed import default_seed
from fakesite.server import FakeSites
from tests.e2e.harness import read_results
from tests.e2e.subprocess_bot import bot_env

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("postgresql")]


def _customer(document: str) -> dict:
    return next(c for c in default_seed()["workfinity"]["customers"] if c["document"] == document)


def _book(path: Path) -> Path:
    """Two requests: one creates its ticket (two O.S.), one on an existing ticket (two O.S.),
    plus a row the rules decide without the sites (an invalid CNPJ)."""
    new, old = _customer("11.222.333/0001-81"), _customer("33.445.566/0001-86")
    bad = {**new, "document": "11.222.333/0001-00"}
    return write_xlsx([row(new, "LCKB1700000124", "ECF inoperante", Solicitação="K-1"),
                       row(new, "BE4200TH000125", "LED piscando", Solicitação="K-1"),
                       row(old, "BE4000FI000124", "ECF inoperante", Ticket="41002"),
                       row(old, "LCLS8000000124", "LED piscando", Ticket="41002"),
                       row(bad, "BE4000FI000999", "ECF inoperante", Solicitação="K-9")], path)


class Machine:
    """One machine: its own HOME, runs, recordings and outbox, the shared database."""

    def __init__(self, sites, root: Path, name: str, database_url: str) -> None:
        self.dir = root / name
        (self.dir / "home").mkdir(parents=True)
        self.env = bot_env(sites, self.dir, HOME=str(self.dir / "home"), RPA_DATABASE_URL=database_url,
                           RPA_STALL_SECONDS="3", RPA_ATTEMPTS="2", COLUMNS="250")

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "rpa.cli", *args], cwd=self.dir, env={**self.env, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *args: str, timeout: float = 240, **env: str) -> tuple[int, str]:
        proc = self.start(*args, **env)
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out + err


def _jobs(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as db:
        return db.execute("SELECT args->>'request_key', status::text FROM procrastinate_jobs ORDER BY id").fetchall()


def _new(seed, state, site, kind, key):
    before = {x[key] for x in seed[site][kind]}
    return [x for x in state[site][kind] if x[key] not in before]


def test_two_workers_one_killed_the_other_finishes(tmp_path, database_url):
    with FakeSites() as sites:
        seed = sites.world.state()
        producer = Machine(sites, tmp_path, "produtor", database_url)
        book = _book(producer.dir / "planilha.xlsx")
        code, out = producer.run("enqueue", str(book))
        assert code == 0, out
        assert "2 solicitação(ões) novas na fila" in out and "1 decididas sem os sites" in out
        code, out = producer.run("enqueue", str(book))           # the same file again: nothing added
        assert code == 0 and "0 solicitação(ões) novas na fila, 2 já na fila" in out, out
        assert [s for _, s in _jobs(database_url)] == ["todo", "todo"]
        # Rows that need no site are in the workbook already.
        assert [r["Status RPA"] for r in read_results(book)][-1] == "DADOS_INVALIDOS"

        # Machine A dies between Salvar and recording the first O.S. number of K-1.
        a = Machine(sites, tmp_path, "maquina-a", database_url)
        code, out = a.run("worker", "--exit-when-idle", RPA_CRASH_AT="after:workfinity.form.save#1")
        assert code == -signal.SIGKILL, out[-3000:]
        assert ("sol:K-1", "doing") in _jobs(database_url)    # held by a dead worker

        b = Machine(sites, tmp_path, "maquina-b", database_url)
        code, out = b.run("worker", "--exit-when-idle")
        assert code == 0, out[-3000:]
        assert "stalled_job_retried" in out                      # continued only after detection
        assert sorted(s for _, s in _jobs(database_url)) == ["succeeded", "succeeded"]

        code, out = producer.run("collect", str(book))
        assert code == 0, out[-3000:]
        rows = read_results(book)
        assert [r["Status RPA"] for r in rows] == ["OK", "OK", "OK", "OK", "DADOS_INVALIDOS"], rows
        state = sites.world.state()
        tickets = _new(seed, state, "zendesk", "tickets", "id")
        orders = _new(seed, state, "workfinity", "service_orders", "number")
        assert len(tickets) == 1                                  # one ticket for K-1
        assert sorted(o["serial"] for o in orders) == sorted(
            ["LCKB1700000124", "BE4200TH000125", "BE4000FI000124", "LCLS8000000124"])   # one O.S. each
        assert {r["Nº O.S."] for r in rows[:4]} == {o["number"] for o in orders}
        # The file's report gathers the requests of both machines and the one decided at enqueue.
        html = next((producer.dir / "recordings").glob("coleta-*/relatorio.html")).read_text()
        assert all(key in html for key in ("sol:K-1", "ticket:41002", "sol:K-9")), html[:2000]

        code, out = producer.run("enqueue", str(book))           # finished: nothing to queue again
        assert code == 0 and "0 solicitação(ões) novas na fila" in out and "3 já concluídas" in out, out
        assert len(_jobs(database_url)) == 2
        code, out = producer.run("status")
        assert code == 0 and "OK: 4 linha(s)" in out and "DADOS_INVALIDOS: 1 linha(s)" in out, out
        assert database_url.split(":")[2].split("@")[0] not in out   # the password is never shown


def test_sigterm_finishes_the_request_in_flight_then_exits(tmp_path, database_url):
    with FakeSites() as sites:
        producer = Machine(sites, tmp_path, "produtor", database_url)
        book = _book(producer.dir / "planilha.xlsx")
        assert producer.run("enqueue", str(book))[0] == 0
        worker = Machine(sites, tmp_path, "maquina", database_url).start("worker")
        deadline = time.monotonic() + 120
        while "doing" not in [s for _, s in _jobs(database_url)]:
            assert worker.poll() is None and time.monotonic() < deadline, worker.communicate()
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-3000:]
        assert [s for _, s in _jobs(database_url)] == ["succeeded", "todo"]   # finished; the next one not begun
        with psycopg.connect(database_url) as db:
            statuses = [r for (r,) in db.execute("SELECT result::json->>'status' FROM rpa_row_results "
                                                 "WHERE request_key='sol:K-1'")]
        assert statuses == ["OK", "OK"]
