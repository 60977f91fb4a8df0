"""The run journal: SQLite, one per input file, the source of truth for resuming.

Every request's state and every side effect on a site is recorded *before* it is attempted
(``intent``) and *after* it succeeded (``done``, with what the site answered). A rerun reads
it: finished requests are left alone; an effect with an intent but no ``done`` is reconciled
against the site before anything is done again. The workbook is only a projection of it.

``checkpoint`` is called with a point name just before and after each effect is recorded
(``before:intent:<name>``, ``before:done:<name>``, ``after:done:<name>``): the runner passes
``rpa.runtime.crashpoints.reach`` there, so a test can kill the bot at that instant.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rpa.outcomes import Outcome

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    key         TEXT PRIMARY KEY,
    rows        TEXT NOT NULL,           -- JSON list of spreadsheet row numbers
    state       TEXT NOT NULL,           -- pending | in_flight | done
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_id      TEXT,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS effects (
    request_key TEXT NOT NULL,
    name        TEXT NOT NULL,           -- e.g. ticket, os:<serial>, book:<key>, zendesk:open
    phase       TEXT NOT NULL,           -- intent | done
    value       TEXT,                    -- JSON: what the site answered (ticket id, O.S. number...)
    at          TEXT NOT NULL,
    PRIMARY KEY (request_key, name)
);
-- Results by row number, as journals before row identities kept them: read once to migrate.
CREATE TABLE IF NOT EXISTS results (
    row_number  INTEGER PRIMARY KEY,
    request_key TEXT NOT NULL,
    result      TEXT NOT NULL,           -- JSON of spreadsheet_out.RowResult
    final       INTEGER NOT NULL,        -- 1 for business outcomes, 0 for a retryable one
    fingerprint TEXT,                    -- hash of the row's input cells when processed
    at          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS row_results (
    identity    TEXT PRIMARY KEY,        -- procedure.row_identity: request and equipment, not position
    row_number  INTEGER NOT NULL,        -- where the row was when processed (messages name it)
    request_key TEXT NOT NULL,
    result      TEXT NOT NULL,           -- JSON of spreadsheet_out.RowResult
    final       INTEGER NOT NULL,        -- 1 for business outcomes, 0 for a retryable one
    fingerprint TEXT,                    -- hash of the row's input cells when processed
    at          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id      TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    summary     TEXT
);
"""


def _point(name: str) -> str:
    """Crash-point name of an effect: its kind, without the serial it is about."""
    for prefix in ("os", "book:cortesia"):
        if name.startswith(prefix + ":"):
            return prefix
    return name


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _is_final(status: str) -> bool:
    """A row result no rerun redoes: anything but a retryable outcome."""
    outcome = Outcome.parse(status)
    return outcome is None or not outcome.retryable


def _no_checkpoint(point: str) -> None:
    return None


class EffectReads:
    """What both journals (SQLite, PostgreSQL) derive from ``effect``."""

    def effect(self, key: str, name: str) -> tuple[str, Any] | None:
        raise NotImplementedError

    def done_value(self, key: str, name: str) -> Any:
        """The recorded value of a finished effect, else None."""
        found = self.effect(key, name)
        return found[1] if found and found[0] == "done" else None


class Journal(EffectReads):
    """Thread-safe access to one journal file (one connection, one lock, WAL)."""

    def __init__(self, path: Path, *, checkpoint: Callable[[str], None] = _no_checkpoint) -> None:
        self.path = Path(path)
        self._checkpoint = checkpoint
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a kill -9 must not lose a recorded effect
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- runs ---------------------------------------------------------------------------

    def start_run(self, run_id: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO runs(run_id, started_at) VALUES (?, ?)", (run_id, _now()))

    def end_run(self, run_id: str, summary: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET ended_at=?, summary=? WHERE run_id=?",
                       (_now(), json.dumps(summary, ensure_ascii=False), run_id))

    # -- requests -----------------------------------------------------------------------

    def begin_request(self, key: str, rows: list[int], run_id: str) -> int:
        """Mark in flight; returns the attempt number (1 for a request never tried)."""
        with self._tx() as db:
            row = db.execute("SELECT attempts FROM requests WHERE key=?", (key,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            db.execute(
                "INSERT INTO requests(key, rows, state, attempts, run_id, updated_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET state='in_flight', attempts=?, run_id=?, updated_at=?",
                (key, json.dumps(rows), "in_flight", attempts, run_id, _now(), attempts, run_id, _now()),
            )
        return attempts

    def finish_request(self, key: str, results: dict[str, dict[str, Any]], *, final: bool,
                       rows: dict[str, int], fingerprints: dict[str, str] | None = None) -> None:
        """Store the rows' results (by row identity) and the request state in one transaction."""
        fingerprints = fingerprints or {}
        with self._tx() as db:
            for identity, result in results.items():
                row_final = _is_final(str(result.get("status", "")))
                db.execute(
                    "INSERT OR REPLACE INTO row_results(identity, row_number, request_key, result, final, "
                    "fingerprint, at) VALUES (?,?,?,?,?,?,?)",
                    (identity, rows[identity], key, json.dumps(result, ensure_ascii=False, default=str),
                     int(row_final), fingerprints.get(identity), _now()),
                )
            db.execute("UPDATE requests SET state=?, updated_at=? WHERE key=?",
                       ("done" if final else "pending", _now(), key))

    def final_rows(self) -> dict[str, tuple[str, str]]:
        """Rows with a final (business) result: identity -> (status, input fingerprint)."""
        with self._lock:
            rows = self._db.execute("SELECT identity, result, fingerprint FROM row_results WHERE final=1").fetchall()
        return {i: (json.loads(r).get("status", ""), fp or "") for i, r, fp in rows}

    # -- migration from results by row number -----------------------------------------------

    def legacy_rows(self) -> dict[int, str]:
        """Results of a journal written before row identities: row number -> input fingerprint."""
        with self._lock:
            rows = self._db.execute("SELECT row_number, fingerprint FROM results").fetchall()
        return {n: fp or "" for n, fp in rows}

    def adopt_legacy(self, identities: dict[int, str]) -> None:
        """Move every by-row-number result under an identity: the given one (the row is still
        where it was), else ``linha:<n>`` (a row no longer found, listed as removed)."""
        with self._tx() as db:
            for n, key, result, final, fp, at in db.execute(
                    "SELECT row_number, request_key, result, final, fingerprint, at FROM results").fetchall():
                db.execute("INSERT OR IGNORE INTO row_results(identity, row_number, request_key, result, final, "
                           "fingerprint, at) VALUES (?,?,?,?,?,?,?)",
                           (identities.get(n, f"linha:{n}"), n, key, result, final, fp, at))
            db.execute("DELETE FROM results")

    # -- effects ------------------------------------------------------------------------

    def effect(self, key: str, name: str) -> tuple[str, Any] | None:
        """(phase, value) of an effect, or None when never attempted."""
        with self._lock:
            row = self._db.execute("SELECT phase, value FROM effects WHERE request_key=? AND name=?",
                                   (key, name)).fetchone()
        if not row:
            return None
        return row[0], (json.loads(row[1]) if row[1] is not None else None)

    def intent(self, key: str, name: str, value: Any = None) -> None:
        self._checkpoint("before:intent:" + _point(name))
        with self._tx() as db:
            db.execute(
                "INSERT INTO effects(request_key, name, phase, value, at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(request_key, name) DO UPDATE SET phase='intent', value=excluded.value, at=excluded.at "
                "WHERE effects.phase != 'done'",
                (key, name, "intent", json.dumps(value, default=str), _now()),
            )

    def done(self, key: str, name: str, value: Any = None) -> None:
        self._checkpoint("before:done:" + _point(name))
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO effects(request_key, name, phase, value, at) VALUES (?,?,?,?,?)",
                (key, name, "done", json.dumps(value, default=str), _now()),
            )
        self._checkpoint("after:done:" + _point(name))

    def effects(self, key: str) -> dict[str, tuple[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT name, phase, value FROM effects WHERE request_key=?", (key,)).fetchall()
        return {n: (p, json.loads(v) if v is not None else None) for n, p, v in rows}

    # -- results ------------------------------------------------------------------------

    def results(self) -> dict[str, tuple[int, dict[str, Any]]]:
        """Identity -> (row number when processed, result)."""
        with self._lock:
            rows = self._db.execute("SELECT identity, row_number, result FROM row_results").fetchall()
        return {i: (n, json.loads(r)) for i, n, r in rows}

    def has_results(self) -> bool:
        """Whether any row has a result (without reading them all)."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM row_results LIMIT 1").fetchone() is not None


def unfinished_requests(path: Path) -> int:
    """Requests of the journal at ``path`` that touched a site and are not done (read-only):
    deleting such a journal could make a rerun create a ticket or an O.S. a second time."""
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT COUNT(DISTINCT e.request_key) FROM effects e JOIN requests r "
                         "ON r.key = e.request_key WHERE r.state != 'done'").fetchone()
        return int(row[0])
    finally:
        db.close()
