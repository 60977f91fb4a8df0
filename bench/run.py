"""Benchmark: throughput, latency, overhead over the sites' own time, memory.

    .venv/bin/python -m bench.run                 # the full matrix (takes a while)
    .venv/bin/python -m bench.run --quick         # a smaller matrix, for a quick look

Starts ``rpa fakesite serve`` as a separate process, makes spreadsheets of N requests from the
seed, runs ``rpa run`` as a subprocess per scenario, samples the memory (PSS) of the bot and
its browsers every second, reads the sites' own time from ``/_fake/state``
(``timing.server_seconds``), the bot's per-request seconds from its JSON log and the machine's
busy CPU seconds. Prints a table, the issue's targets against the measures, and writes
``bench/results/bench-<timestamp>.json``. Numbers, not asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from bench.breakdown import ProcessCpu, process_kind, step_breakdown
from fakesite.server import free_port

ROOT = Path(__file__).resolve().parent.parent
RPA = [sys.executable, "-m", "rpa.cli"]
# The slow-client profile: every debounce and AJAX answer of the fakes' pages this much later.
SLOW_CLIENT_MS = 300


class Sites:
    """``rpa fakesite serve`` in its own process."""

    def __init__(self) -> None:
        self.wf_port, self.zd_port = free_port(), free_port()
        self.proc = subprocess.Popen(
            [*RPA, "fakesite", "serve", "--workfinity-port", str(self.wf_port), "--zendesk-port", str(self.zd_port)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT)
        lines = [self.proc.stdout.readline() for _ in range(2)]
        self.wf_user, self.wf_password = re.search(r"usuário: (\S+)\s+senha: (\S+)", lines[0]).groups()
        self.zd_email, self.zd_password = re.search(r"e-mail: (\S+)\s+senha: (\S+)", lines[1]).groups()
        self.control = f"http://127.0.0.1:{self.zd_port}/_fake"

    def env(self) -> dict[str, str]:
        return {**os.environ,
                "RPA_WORKFINITY_URL": f"http://127.0.0.1:{self.wf_port}/osmanager-tenant",
                "RPA_WORKFINITY_USER": self.wf_user, "RPA_WORKFINITY_PASSWORD": self.wf_password,
                "RPA_ZENDESK_URL": f"http://127.0.0.1:{self.zd_port}", "RPA_ZENDESK_EMAIL": self.zd_email,
                "RPA_ZENDESK_PASSWORD": self.zd_password}

    def reset(self, latency_ms: int, client_delay_ms: int = 0) -> None:
        httpx.post(self.control + "/reset").raise_for_status()
        httpx.post(self.control + "/faults", json={"latency_ms": latency_ms, "jitter_ms": 0,
                                                   "client_delay_ms": client_delay_ms}).raise_for_status()

    def server_seconds(self) -> float:
        return self.timing()["server_seconds"]

    def timing(self) -> dict:
        return httpx.get(self.control + "/state", timeout=30).json()["timing"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _pss(pid: int) -> int | None:
    """Proportional set size from ``/proc/PID/smaps_rollup`` (cheap: one small file per process)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def tree_rss(proc: psutil.Process) -> int:
    """Memory of the bot and its browsers. Chromium's processes share most of their pages, so
    plain RSS summed over the tree counts the same memory many times: use PSS (each shared
    page divided among its sharers) where the kernel offers it, RSS otherwise."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        pss = _pss(p.pid)
        if pss is None:
            try:
                pss = p.memory_info().rss
            except psutil.Error:
                pss = 0
        total += pss
    return total


def tree_pss_by_kind(proc: psutil.Process) -> dict[str, float]:
    """``tree_rss`` per process kind (``bench.breakdown.process_kind``), in MB: which part grows."""
    out: dict[str, float] = {}
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return out
    for p in procs:
        kind = process_kind(p, proc.pid)
        out[kind] = out.get(kind, 0.0) + (_pss(p.pid) or 0) / 2**20
    return {k: round(v, 1) for k, v in sorted(out.items())}


def _busy_cpu() -> float:
    """CPU seconds the whole machine spent busy (bot, browsers, fake sites: all of it)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0)


def _window_median(samples: list[tuple[int, int]], low: int, high: int) -> float | None:
    """Median memory (MB) of the samples taken while ``low <= finished requests <= high``."""
    values = [rss for done, rss in samples if low <= done <= high]
    return round(statistics.median(values) / 2**20, 1) if values else None


def run_scenario(sites: Sites, requests: int, workers: int, latency_ms: int, workdir: Path,
                 rss_marks: tuple[int, ...] = (), client_delay_ms: int = 0, extra_env: dict | None = None) -> dict:
    from fakesite.sample import bulk_rows, write_xlsx
    from fakesite.seed import default_seed

    sites.reset(latency_ms, client_delay_ms)
    book = write_xlsx(bulk_rows(default_seed(), requests),
                      workdir / f"bench-{requests}-{workers}-{latency_ms}-{client_delay_ms}.xlsx")
    timing0 = sites.timing()
    before = timing0["server_seconds"]
    rec = workdir / f"rec-{requests}-{workers}-{latency_ms}-{client_delay_ms}"
    env = {**sites.env(), "RPA_RUNS_DIR": str(workdir / "runs"), "RPA_RECORDINGS_DIR": str(rec),
           "RPA_OUTBOX_DIR": str(workdir / "outbox"), **(extra_env or {})}
    started, cpu0 = time.monotonic(), _busy_cpu()
    proc = psutil.Popen([*RPA, "run", str(book), "--workers", str(workers), "--record", "off"], env=env, cwd=workdir,
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, samples, lines = 0, [], []
    by_kind_marks: list[tuple[int, dict[str, float]]] = []
    cpu_by_process = ProcessCpu(proc)
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    while proc.poll() is None:
        cpu_by_process.sample()
        rss = tree_rss(proc)
        peak = max(peak, rss)
        done = sum(1 for line in list(lines) if '"request_end"' in line)
        if rss_marks and done // 50 > (samples[-1][0] // 50 if samples else 0):  # progress of a long run
            kinds = tree_pss_by_kind(proc)
            by_kind_marks.append((done, kinds))
            print(json.dumps({"done": done, "pss_mb": round(rss / 2**20, 1), "pss_mb_by_process": kinds,
                              "seconds": round(time.monotonic() - started)}), flush=True)
        samples.append((done, rss))
        time.sleep(1.0)
    reader.join(timeout=5)
    wall, cpu = time.monotonic() - started, _busy_cpu() - cpu0
    events = [json.loads(line) for line in lines if line.startswith("{")]
    per_request = [e["seconds"] for e in events if e.get("event") == "request_end"]
    run_start = next((e for e in events if e.get("event") == "run_start"), None)
    run_end = next((e for e in events if e.get("event") == "run_end"), None)
    busy = (dt.datetime.fromisoformat(run_end["at"]) - dt.datetime.fromisoformat(run_start["at"])).total_seconds() \
        if run_start and run_end else wall
    timing1 = sites.timing()
    site_seconds = timing1["server_seconds"] - before
    by_site = {s: round((timing1[s]["server_seconds"] - timing0[s]["server_seconds"]) / requests, 3)
               for s in ("workfinity", "zendesk")}
    cpu_kinds = cpu_by_process.by_kind()
    flows = next(rec.glob("*/flows"), None) if rec.is_dir() else None
    result = {
        "requests": requests, "workers": workers, "latency_ms": latency_ms, "client_delay_ms": client_delay_ms,
        "exit_code": proc.returncode,
        "wall_seconds": round(wall, 2), "run_seconds": round(busy, 2),
        "requests_per_min": round(requests / busy * 60, 2) if busy else 0,
        "p50_s": round(statistics.median(per_request), 3) if per_request else None,
        "p95_s": round(statistics.quantiles(per_request, n=20)[18], 3) if len(per_request) >= 20 else
        (round(max(per_request), 3) if per_request else None),
        "site_seconds": round(site_seconds, 2),
        "overhead_ratio": round(busy * workers / site_seconds, 2) if site_seconds and workers == 1 else None,
        "peak_rss_mb": round(peak / 2**20, 1),
        "cpu_seconds_per_request": round(cpu / requests, 2) if requests else None,
        # The bot's tree only (the fake sites' server excluded), per process kind.
        "cpu_s_per_request_by_process": {k: round(v / requests, 3) for k, v in cpu_kinds.items()},
        "site_seconds_per_request": by_site,
        "site_requests_per_request": round((timing1["requests"] - timing0["requests"]) / requests, 1),
        "breakdown": step_breakdown(flows, per_request) if flows else {},
    }
    # Memory "after 50" and "at the end" as medians of the samples around those points, taken
    # while the bot still runs (the very last samples see the browsers already closing), so
    # that a browser restart (every ``restart_browser_every`` requests) does not decide it.
    running = [(done, rss) for done, rss in samples if done < requests]
    for mark in rss_marks:
        result[f"rss_after_{mark}_mb"] = _window_median(running, mark - 10, mark + 10)
    result["rss_end_mb"] = _window_median(running, requests - 30, requests) if rss_marks else None
    if by_kind_marks:  # memory by process kind every 50 requests: which part grows
        result["pss_mb_by_process_every_50"] = [{"done": d, **k} for d, k in by_kind_marks]
    return result


def validate_rate(workdir: Path, rows: int = 10_000) -> dict:
    from fakesite.sample import bulk_rows, write_xlsx
    from fakesite.seed import default_seed

    book = write_xlsx(bulk_rows(default_seed(), rows), workdir / "validate-10k.xlsx")
    started = time.monotonic()
    subprocess.run([*RPA, "validate", str(book), "--json"], stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
    seconds = time.monotonic() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_second": round(rows / seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller matrix")
    parser.add_argument("--requests", type=int, default=None, help="requests per scenario")
    parser.add_argument("--long", type=int, default=1000, help="requests of the memory run (0 skips it)")
    parser.add_argument("--workers", default=None, help="worker counts, e.g. 1,4 (default 1,2,4,8; quick 1,4)")
    parser.add_argument("--latencies", default="0,250", help="latencies in ms, e.g. 250")
    parser.add_argument("--slow-client-ms", type=int, default=SLOW_CLIENT_MS,
                        help="the slow-client profile's client delay, run at 250 ms (0 skips it)")
    parser.add_argument("--env", action="append", default=[], help="RPA_X=value for the bot (repeatable)")
    parser.add_argument("--long-only", action="store_true", help="only the memory run")
    args = parser.parse_args()
    n = args.requests or (12 if args.quick else 40)
    workers_list = tuple(int(w) for w in args.workers.split(",")) if args.workers else \
        ((1, 4) if args.quick else (1, 2, 4, 8))
    extra_env = dict(e.split("=", 1) for e in args.env)
    results: dict = {"machine": {"cpus": os.cpu_count(), "mem_gb": round(psutil.virtual_memory().total / 2**30)},
                     "env": extra_env, "scenarios": []}
    scenarios = [(latency, workers, 0) for latency in (int(x) for x in args.latencies.split(","))
                 for workers in workers_list]
    if args.slow_client_ms and 250 in (s[0] for s in scenarios):
        scenarios += [(250, workers, args.slow_client_ms) for workers in workers_list]
    if args.long_only:
        scenarios = []
    sites = Sites()
    try:
        with tempfile.TemporaryDirectory(prefix="rpa-bench-") as tmp:
            work = Path(tmp)
            for latency, workers, client in scenarios:
                r = run_scenario(sites, n, workers, latency, work, client_delay_ms=client, extra_env=extra_env)
                results["scenarios"].append(r)
                print(json.dumps(r), flush=True)
            if args.long:
                r = run_scenario(sites, args.long, 4, 0, work, rss_marks=(100,), extra_env=extra_env)
                results["long_run"] = r
                print(json.dumps(r), flush=True)
            results["validate"] = validate_rate(work)
    finally:
        sites.stop()
    results["targets"] = targets(results)
    print_table(results)
    out = ROOT / "bench" / "results" / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\n{out}")
    return 0


def print_table(results: dict) -> None:
    print("\n| latency ms | client delay ms | workers | requests | req/min | p50 s | p95 s | overhead | peak PSS MB "
          "| CPU-s/req | CPU-s/req by process |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results["scenarios"]:
        by = ", ".join(f"{k} {v}" for k, v in r.get("cpu_s_per_request_by_process", {}).items())
        print(f"| {r['latency_ms']} | {r.get('client_delay_ms', 0)} | {r['workers']} | {r['requests']} | "
              f"{r['requests_per_min']} | {r['p50_s']} | {r['p95_s']} | {r['overhead_ratio'] or '-'} | "
              f"{r['peak_rss_mb']} | {r['cpu_seconds_per_request']} | {by} |")
    for r in results["scenarios"]:
        b = r.get("breakdown") or {}
        if r["workers"] == 1 and b:
            top = ", ".join(f"{s['step']} {s['s_per_request']}" for s in b["steps"][:8])
            print(f"\n{r['latency_ms']} ms, client {r.get('client_delay_ms', 0)} ms, 1 worker: request "
                  f"{b['request_s']} s = page objects {b['page_objects_s']} s + bot outside them "
                  f"{b['bot_outside_page_objects_s']} s; sites' server per request {r['site_seconds_per_request']}"
                  f"\n  top steps: {top}")
    if "long_run" in results:
        lr = results["long_run"]
        print(f"\nlong run: {lr['requests']} requests, 4 workers: PSS after 100 = {lr.get('rss_after_100_mb')} MB, "
              f"end = {lr['rss_end_mb']} MB, peak = {lr['peak_rss_mb']} MB, {lr['requests_per_min']} req/min")
    v = results["validate"]
    print(f"rpa validate: {v['rows']} rows in {v['seconds']} s = {v['rows_per_second']} rows/s")
    print("\n| target | measured | holds |\n|---|---:|:---:|")
    for t in results.get("targets", []):
        print(f"| {t['target']} | {t['measured']} | {'yes' if t['holds'] else 'no' if t['holds'] is False else '?'} |")


def targets(results: dict) -> list[dict]:
    """Issue #17's targets against what this run measured (None: not measured)."""
    by = {(r["latency_ms"], r["workers"], r.get("client_delay_ms", 0)): r for r in results["scenarios"]}
    zero = [r for (lat, _, client), r in by.items() if lat == 0 and client == 0]
    best = max(zero, key=lambda r: r["requests_per_min"], default=None)
    best0 = best["requests_per_min"] if best else None
    cpu0 = best["cpu_seconds_per_request"] if best else None

    def scale(client: int):
        one, four = by.get((250, 1, client)), by.get((250, 4, client))
        return round(four["requests_per_min"] / one["requests_per_min"], 2) if one and four else None

    def overhead(client: int):
        one = by.get((250, 1, client))
        return one["overhead_ratio"] if one else None

    slow = max((c for (_, _, c) in by), default=0)
    lr = results.get("long_run") or {}
    start, end = lr.get("rss_after_100_mb"), lr.get("rss_end_mb")
    drift = round((end - start) / start * 100, 1) if start and end else None
    peak4 = max((r["peak_rss_mb"] for (lat, w, _), r in by.items() if w == 4), default=None)
    if lr.get("workers") == 4:
        peak4 = max(filter(None, [peak4, lr.get("peak_rss_mb")]), default=None)

    def row(target: str, measured, holds) -> dict:
        return {"target": target, "measured": measured, "holds": None if measured is None else holds}

    o0, os_, s0, ss = overhead(0), overhead(slow), scale(0), scale(slow)
    return [
        row("0 ms: >= 60 req/min (best worker count)", best0, best0 is not None and best0 >= 60),
        row("0 ms: <= 1.2 CPU-s per request machine-wide (best worker count)", cpu0, cpu0 is not None and cpu0 <= 1.2),
        row("250 ms, 1 worker: overhead <= 1.25 (default fakes)", o0, o0 is not None and o0 <= 1.25),
        row(f"250 ms, 1 worker: overhead <= 1.6 (slow client{f', {slow} ms' if slow else ''})", os_ if slow else None,
            os_ is not None and os_ <= 1.6),
        row("250 ms: 4 workers >= 3.2x 1 worker (default fakes)", s0, s0 is not None and s0 >= 3.2),
        row("250 ms: 4 workers >= 3.2x 1 worker (slow client)", ss if slow else None, ss is not None and ss >= 3.2),
        row("memory at the end of the long run within 5% of after 100 (%)", drift,
            drift is not None and abs(drift) <= 5),
        row("peak memory with 4 workers < 1.2 GB (MB)", peak4, peak4 is not None and peak4 < 1229),
    ]


if __name__ == "__main__":
    sys.exit(main())
