"""The journal in PostgreSQL (``RPA_DATABASE_URL``): the SQLite journal's tables and meaning,
shared by every machine, plus what a worker without the workbook needs.

One set of tables for every input file, each row carrying its ``file_key`` (rather than a schema
per file): ``rpa status`` and the retention purge read every file in one query, the queue's jobs
name a file by a plain value, and no DDL is ever run per file. The bot creates and migrates the
tables itself (``migrate``: numbered steps under an advisory lock, so two machines starting at
once do not race).

Extra, compared with SQLite: ``rpa_files`` (where the file lives: path, machine, sheet) and, per
request, ``payload`` (its spreadsheet rows and their identities: a worker rebuilds the request
and its plan from it) and ``machine`` (who works on it, for ``rpa status``).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from rpa.io.journal import EffectReads, _is_final, _no_checkpoint, _now, _point

MIGRATIONS: list[str] = [
    # 1: the SQLite schema with a file key, plus the files and the requests' payloads
    """
    CREATE TABLE rpa_files (
        file_key    TEXT PRIMARY KEY,
        path        TEXT NOT NULL,           -- on the machine that enqueued it
        machine     TEXT NOT NULL,
        sheet       TEXT,
        enqueued_at TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE rpa_requests (
        file_key    TEXT NOT NULL,
        key         TEXT NOT NULL,
        rows        TEXT NOT NULL,           -- JSON list of spreadsheet row numbers
        state       TEXT NOT NULL,           -- pending | in_flight | done
        attempts    INTEGER NOT NULL DEFAULT 0,
        run_id      TEXT,
        updated_at  TEXT NOT NULL,
        machine     TEXT,                    -- host of the worker that began it last
        payload     JSONB,                   -- the request's rows and identities (personal data)
        PRIMARY KEY (file_key, key)
    );
    CREATE TABLE rpa_effects (
        file_key    TEXT NOT NULL,
        request_key TEXT NOT NULL,
        name        TEXT NOT NULL,
        phase       TEXT NOT NULL,           -- intent | done
        value       TEXT,
        at          TEXT NOT NULL,
        PRIMARY KEY (file_key, request_key, name)
    );
    CREATE TABLE rpa_row_results (
        file_key    TEXT NOT NULL,
        identity    TEXT NOT NULL,
        row_number  INTEGER NOT NULL,
        request_key TEXT NOT NULL,
        result      TEXT NOT NULL,
        final       INTEGER NOT NULL,
        fingerprint TEXT,
        at          TEXT NOT NULL,
        PRIMARY KEY (file_key, identity)
    );
    CREATE TABLE rpa_runs (
        file_key    TEXT NOT NULL,
        run_id      TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        summary     TEXT,
        PRIMARY KEY (file_key, run_id)
    );
    """,
]

_MIGRATION_LOCK = 0x72706131  # pg_advisory_xact_lock key: "rpa1"


def connect(url: str) -> psycopg.Connection:
    """An autocommit connection (transactions are explicit)."""
    return psycopg.connect(url, autocommit=True)


def migrate(db: psycopg.Connection) -> None:
    """Create or bring the tables up to date; safe when several machines start together."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        db.execute("CREATE TABLE IF NOT EXISTS rpa_schema (version INTEGER NOT NULL)")
        row = db.execute("SELECT max(version) FROM rpa_schema").fetchone()
        current = (row[0] if row else None) or 0
        for version, ddl in enumerate(MIGRATIONS, start=1):
            if version > current:
                db.execute(ddl.encode())
                db.execute("INSERT INTO rpa_schema(version) VALUES (%s)", (version,))


class PgJournal(EffectReads):
    """One input file's journal in the shared database (one connection, one lock)."""

    def __init__(self, url: str, file_key: str, *, checkpoint: Callable[[str], None] = _no_checkpoint) -> None:
        self.file_key = file_key
        self._checkpoint = checkpoint
        self._lock = threading.RLock()
        self._db = connect(url)
        migrate(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection]:
        with self._lock, self._db.transaction():
            yield self._db

    def _all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql.encode(), (self.file_key, *params)).fetchall()

    # -- the file -------------------------------------------------------------------------

    def register_file(self, path: str, sheet: str | None) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO rpa_files(file_key, path, machine, sheet, enqueued_at, updated_at) "
                       "VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (file_key) DO UPDATE SET "
                       "updated_at=excluded.updated_at, sheet=excluded.sheet",
                       (self.file_key, path, socket.gethostname(), sheet, _now(), _now()))

    def store_payload(self, key: str, rows: list[int], payload: dict[str, Any]) -> None:
        """What a worker needs to rebuild the request: kept until the retention purge."""
        with self._tx() as db:
            db.execute("INSERT INTO rpa_requests(file_key, key, rows, state, updated_at, payload) "
                       "VALUES (%s,%s,%s,'pending',%s,%s) ON CONFLICT (file_key, key) DO UPDATE SET "
                       "payload=excluded.payload, rows=excluded.rows",
                       (self.file_key, key, json.dumps(rows), _now(), Jsonb(payload)))

    def payload(self, key: str) -> dict[str, Any] | None:
        rows = self._all("SELECT payload FROM rpa_requests WHERE file_key=%s AND key=%s", key)
        return rows[0][0] if rows else None

    # -- runs -----------------------------------------------------------------------------

    def start_run(self, run_id: str) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO rpa_runs(file_key, run_id, started_at) VALUES (%s,%s,%s) "
                       "ON CONFLICT (file_key, run_id) DO UPDATE SET started_at=excluded.started_at",
                       (self.file_key, run_id, _now()))

    def end_run(self, run_id: str, summary: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute("UPDATE rpa_runs SET ended_at=%s, summary=%s WHERE file_key=%s AND run_id=%s",
                       (_now(), json.dumps(summary, ensure_ascii=False), self.file_key, run_id))

    # -- requests -------------------------------------------------------------------------

    def begin_request(self, key: str, rows: list[int], run_id: str) -> int:
        with self._tx() as db:
            row = db.execute("INSERT INTO rpa_requests(file_key, key, rows, state, attempts, run_id, updated_at, "
                             "machine) VALUES (%s,%s,%s,'in_flight',1,%s,%s,%s) ON CONFLICT (file_key, key) DO UPDATE "
                             "SET state='in_flight', attempts=rpa_requests.attempts+1, run_id=excluded.run_id, "
                             "updated_at=excluded.updated_at, machine=excluded.machine RETURNING attempts",
                             (self.file_key, key, json.dumps(rows), run_id, _now(), socket.gethostname())).fetchone()
        return int(row[0]) if row else 1

    def finish_request(self, key: str, results: dict[str, dict[str, Any]], *, final: bool,
                       rows: dict[str, int], fingerprints: dict[str, str] | None = None) -> None:
        fingerprints = fingerprints or {}
        with self._tx() as db:
            for identity, result in results.items():
                db.execute(
                    "INSERT INTO rpa_row_results(file_key, identity, row_number, request_key, result, final, "
                    "fingerprint, at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (file_key, identity) DO UPDATE "
                    "SET row_number=excluded.row_number, request_key=excluded.request_key, result=excluded.result, "
                    "final=excluded.final, fingerprint=excluded.fingerprint, at=excluded.at",
                    (self.file_key, identity, rows[identity], key,
                     json.dumps(result, ensure_ascii=False, default=str),
                     int(_is_final(str(result.get("status", "")))), fingerprints.get(identity), _now()))
            db.execute("UPDATE rpa_requests SET state=%s, updated_at=%s WHERE file_key=%s AND key=%s",
                       ("done" if final else "pending", _now(), self.file_key, key))

    def final_rows(self) -> dict[str, tuple[str, str]]:
        rows = self._all("SELECT identity, result, fingerprint FROM rpa_row_results WHERE file_key=%s AND final=1")
        return {i: (json.loads(r).get("status", ""), fp or "") for i, r, fp in rows}

    # Results by row number never existed here: nothing to migrate.
    def legacy_rows(self) -> dict[int, str]:
        return {}

    def adopt_legacy(self, identities: dict[int, str]) -> None:
        return None

    # -- effects --------------------------------------------------------------------------

    def effect(self, key: str, name: str) -> tuple[str, Any] | None:
        rows = self._all("SELECT phase, value FROM rpa_effects WHERE file_key=%s AND request_key=%s AND name=%s",
                         key, name)
        if not rows:
            return None
        phase, value = rows[0]
        return phase, (json.loads(value) if value is not None else None)

    def intent(self, key: str, name: str, value: Any = None) -> None:
        self._checkpoint("before:intent:" + _point(name))
        with self._tx() as db:
            db.execute("INSERT INTO rpa_effects(file_key, request_key, name, phase, value, at) "
                       "VALUES (%s,%s,%s,'intent',%s,%s) ON CONFLICT (file_key, request_key, name) DO UPDATE "
                       "SET phase='intent', value=excluded.value, at=excluded.at WHERE rpa_effects.phase != 'done'",
                       (self.file_key, key, name, json.dumps(value, default=str), _now()))

    def done(self, key: str, name: str, value: Any = None) -> None:
        self._checkpoint("before:done:" + _point(name))
        with self._tx() as db:
            db.execute("INSERT INTO rpa_effects(file_key, request_key, name, phase, value, at) "
                       "VALUES (%s,%s,%s,'done',%s,%s) ON CONFLICT (file_key, request_key, name) DO UPDATE "
                       "SET phase='done', value=excluded.value, at=excluded.at",
                       (self.file_key, key, name, json.dumps(value, default=str), _now()))
        self._checkpoint("after:done:" + _point(name))

    def effects(self, key: str) -> dict[str, tuple[str, Any]]:
        rows = self._all("SELECT name, phase, value FROM rpa_effects WHERE file_key=%s AND request_key=%s", key)
        return {n: (p, json.loads(v) if v is not None else None) for n, p, v in rows}

    # -- results --------------------------------------------------------------------------

    def results(self) -> dict[str, tuple[int, dict[str, Any]]]:
        rows = self._all("SELECT identity, row_number, result FROM rpa_row_results WHERE file_key=%s")
        return {i: (n, json.loads(r)) for i, n, r in rows}

    def has_results(self) -> bool:
        return bool(self._all("SELECT 1 FROM rpa_row_results WHERE file_key=%s LIMIT 1"))


def purge_before(url: str, before: dt.datetime) -> list[str]:
    """LGPD, on the local data's schedule: every file whose journal was last written before
    ``before`` — its rows, payloads (the spreadsheet's personal data), effects, results, runs
    and finished queue jobs — unless it still holds a request half done on the sites or a job
    waiting or running (nothing done twice). Returns the paths of the files purged."""
    limit = before.isoformat(timespec="seconds")
    with connect(url) as db:
        migrate(db)
        jobs = db.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        has_jobs = jobs is not None and jobs[0] is not None
        purged = []
        for key, path in db.execute("""
                SELECT f.file_key, f.path FROM rpa_files f
                 WHERE greatest(f.updated_at,
                                (SELECT max(updated_at) FROM rpa_requests r WHERE r.file_key = f.file_key),
                                (SELECT max(at) FROM rpa_effects e WHERE e.file_key = f.file_key),
                                (SELECT max(at) FROM rpa_row_results x WHERE x.file_key = f.file_key)) < %s
                   AND NOT EXISTS (SELECT 1 FROM rpa_requests r JOIN rpa_effects e
                                     ON e.file_key = r.file_key AND e.request_key = r.key
                                    WHERE r.file_key = f.file_key AND r.state != 'done')""",
                                    (limit,)).fetchall():
            with db.transaction():
                if has_jobs:
                    busy = db.execute("SELECT 1 FROM procrastinate_jobs WHERE args->>'file_key' = %s "
                                      "AND status IN ('todo', 'doing')", (key,)).fetchone()
                    if busy:
                        continue
                    db.execute("DELETE FROM procrastinate_jobs WHERE args->>'file_key' = %s", (key,))
                for table in ("rpa_effects", "rpa_row_results", "rpa_runs", "rpa_requests", "rpa_files"):
                    db.execute(f"DELETE FROM {table} WHERE file_key = %s".encode(), (key,))
            purged.append(str(path))
    return purged
