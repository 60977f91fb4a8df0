"""The PostgreSQL journal against a real server: the SQLite journal's behaviour per file, files
kept apart by their key, created by the bot, and the LGPD purge that never drops unfinished work."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from rpa.io.journal_pg import PgJournal, purge_before
from rpa.settings import Settings

pytestmark = pytest.mark.xdist_group("postgresql")


def test_journal_roundtrip_per_file_and_purge(database_url):
    points: list[str] = []
    a = PgJournal(database_url, "a-1", checkpoint=points.append)
    b = PgJournal(database_url, "b-2")                     # a second machine: tables already there
    a.register_file("/dados/a.xlsx", None)
    b.register_file("/dados/b.xlsx", None)
    assert a.begin_request("sol:K-1", [2, 3], "r1") == 1
    assert a.begin_request("sol:K-1", [2, 3], "r2") == 2  # attempts survive reruns
    a.intent("sol:K-1", "os:SERIE1", {"pedido_de_venda": "41001"})
    assert a.effect("sol:K-1", "os:SERIE1") == ("intent", {"pedido_de_venda": "41001"})
    a.done("sol:K-1", "os:SERIE1", "OS-9")
    a.intent("sol:K-1", "os:SERIE1", "again")               # a done effect is never downgraded
    assert a.done_value("sol:K-1", "os:SERIE1") == "OS-9"
    assert points == ["before:intent:os", "before:done:os", "after:done:os", "before:intent:os"]
    a.finish_request("sol:K-1", {"id-2": {"status": "OK"}, "id-3": {"status": "ERRO_SISTEMA"}}, final=False,
                     rows={"id-2": 2, "id-3": 3}, fingerprints={"id-2": "f2"})
    assert a.final_rows() == {"id-2": ("OK", "f2")}
    assert a.results() == {"id-2": (2, {"status": "OK"}), "id-3": (3, {"status": "ERRO_SISTEMA"})}
    assert b.results() == {} and b.effects("sol:K-1") == {}  # the same request key in another file

    b.store_payload("ticket:41002", [2], {"rows": [{"row_number": 2, "values": {"CNPJ": "x"}}]})
    b.finish_request("ticket:41002", {"id-2": {"status": "OK"}}, final=True, rows={"id-2": 2})
    tomorrow = dt.datetime.now() + dt.timedelta(days=1)
    assert purge_before(database_url, dt.datetime.now() - dt.timedelta(days=1)) == []   # nothing old yet
    # a: an O.S. on the site and its request not finished -> kept whatever its age.
    assert purge_before(database_url, tomorrow) == ["/dados/b.xlsx"]
    assert b.payload("ticket:41002") is None and b.results() == {}
    assert a.done_value("sol:K-1", "os:SERIE1") == "OS-9"
    a.close()
    b.close()
    with psycopg.connect(database_url) as db:
        assert db.execute("SELECT count(*) FROM rpa_files").fetchone() == (1,)


def test_database_url_is_a_secret(monkeypatch):
    monkeypatch.setenv("RPA_DATABASE_URL", "postgresql://robo:s%2Fenha-forte@db.interno:5432/rpa")
    settings = Settings()
    assert "s%2Fenha-forte" in settings.secrets() and "s/enha-forte" in settings.secrets()
    assert "enha" not in repr(settings)
    monkeypatch.setenv("RPA_DATABASE_URL", "")
    assert Settings().database_url is None                  # set but empty: one machine, as today
