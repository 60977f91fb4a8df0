"""Benchmark: 1 vs 2 worker processes (``rpa worker``) on the shared PostgreSQL queue.

    .venv/bin/python -m bench.several_machines [--requests 20] [--latency-ms 250] [--procs 1,2]

Starts ``rpa fakesite serve`` and a PostgreSQL server in a temporary folder (the tests' own,
``tests/pg_server.py``), and per scenario: a fresh database, ``rpa enqueue`` of N one-equipment
requests, then P ``rpa worker --workers 1 --exit-when-idle`` processes, each with its own
folders (as P machines on one host). Measures requests/min between the first request's start
and the last one's end (from the workers' JSON logs) and the wall time including start-up.
Prints a table and writes ``bench/results/several-machines-<timestamp>.json``. Numbers, not asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import tempfile
import time
from pathlib import Path

from bench.run import ROOT, RPA, Sites
from tests.pg_server import PgServer


def scenario(sites: Sites, pg: PgServer, requests: int, procs: int, latency_ms: int, workdir: Path) -> dict:
    from fakesite.sample import bulk_rows, write_xlsx
    from fakesite.seed import default_seed

    sites.reset(latency_ms)
    url = pg.new_database()
    base = {**sites.env(), "RPA_DATABASE_URL": url, "RPA_RECORD": "off"}

    def env(name: str) -> dict[str, str]:
        folder = workdir / f"{procs}-{name}"
        folder.mkdir(parents=True, exist_ok=True)
        return {**base, "HOME": str(folder), "RPA_RUNS_DIR": str(folder / "runs"),
                "RPA_RECORDINGS_DIR": str(folder / "rec"), "RPA_OUTBOX_DIR": str(folder / "outbox")}

    book = write_xlsx(bulk_rows(default_seed(), requests), workdir / f"several-{requests}-{procs}.xlsx")
    subprocess.run([*RPA, "enqueue", str(book)], env=env("produtor"), cwd=workdir, check=True, capture_output=True)
    started = time.monotonic()
    workers = [subprocess.Popen([*RPA, "worker", "--workers", "1", "--exit-when-idle"], env=env(f"maquina-{i}"),
                                cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for i in range(procs)]
    logs = [w.communicate()[1] for w in workers]
    wall = time.monotonic() - started
    events = [json.loads(line) for text in logs for line in text.splitlines() if line.startswith("{")]
    starts = [dt.datetime.fromisoformat(e["at"]) for e in events if e.get("event") == "request_start"]
    ends = [dt.datetime.fromisoformat(e["at"]) for e in events if e.get("event") == "request_end"]
    busy = (max(ends) - min(starts)).total_seconds() if starts and ends else wall
    collect = subprocess.run([*RPA, "collect", str(book)], env=env("produtor"), cwd=workdir, capture_output=True)
    return {"requests": requests, "worker_processes": procs, "latency_ms": latency_ms,
            "exit_codes": [w.returncode for w in workers], "collect_exit_code": collect.returncode,
            "requests_ended": len(ends), "wall_seconds": round(wall, 2), "run_seconds": round(busy, 2),
            "requests_per_min": round(len(ends) / busy * 60, 2) if busy else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--procs", default="1,2", help="worker process counts, e.g. 1,2")
    args = parser.parse_args()
    sites, pg = Sites(), PgServer().start()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="rpa-bench-") as tmp:
            for procs in (int(p) for p in args.procs.split(",")):
                result = scenario(sites, pg, args.requests, procs, args.latency_ms, Path(tmp))
                results.append(result)
                print(json.dumps(result), flush=True)
    finally:
        sites.stop()
        pg.stop()
    print("\n| worker processes | req/min | run s | wall s (with start-up) | requests | latency ms |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['worker_processes']} | {r['requests_per_min']} | {r['run_seconds']} | {r['wall_seconds']} | "
              f"{r['requests_ended']} | {r['latency_ms']} |")
    out = ROOT / "bench" / "results" / f"several-machines-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\n{out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
