"""Where a request's time and CPU go: CPU seconds by process kind, and per-step times.

``ProcessCpu`` samples the bot's process tree (psutil, by name and command line) and keeps
the last CPU time seen of every process, so processes that ended (a recycled browser) still
count; a process loses at most one sampling interval at its end. ``step_breakdown`` reads the
flow files the run wrote (``recordings/<run>/flows/*.json``: every page-object call with its
seconds) and splits each request into page-object steps and the bot's own work between them.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path

import psutil


def process_kind(proc: psutil.Process, root_pid: int) -> str:
    """``bot``, ``node driver``, ``renderer``, ``browser`` or ``chromium other`` (GPU, network…)."""
    if proc.pid == root_pid:
        return "bot"
    try:
        name, cmdline = proc.name(), " ".join(proc.cmdline())
    except psutil.Error:
        return "other"
    if name == "node" or "playwright" in cmdline and "run-driver" in cmdline:
        return "node driver"
    if "chrom" in name or "chrom" in cmdline:
        if "--type=renderer" in cmdline:
            return "renderer"
        return "chromium other" if "--type=" in cmdline else "browser"
    return "other"


class ProcessCpu:
    """CPU seconds (user + system) per process kind over the bot's process tree."""

    def __init__(self, root: psutil.Process) -> None:
        self.root = root
        self._last: dict[tuple[int, float], tuple[str, float]] = {}  # (pid, create time) -> (kind, cpu s)

    def sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        for p in procs:
            try:
                key = (p.pid, p.create_time())
                times = p.cpu_times()
                cpu = times.user + times.system
                kind = self._last[key][0] if key in self._last else process_kind(p, self.root.pid)
            except psutil.Error:
                continue
            self._last[key] = (kind, cpu)

    def by_kind(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for kind, cpu in self._last.values():
            out[kind] += cpu
        return {k: round(v, 2) for k, v in sorted(out.items())}


def step_breakdown(flows_dir: Path, request_seconds: list[float]) -> dict:
    """Mean seconds per request in each page-object call (``po.call``), in all page-object
    calls, per site, and the rest of the request (the bot's own work: journal, rules, building
    pages). With the two sites driven at once (``rpa.runtime.lanes``) the two sites' steps
    overlap: the request is shorter than their sum, and the rest comes out negative — by
    about the time the overlap saved."""
    per_step: dict[str, list[float]] = defaultdict(list)
    po_totals: list[float] = []
    by_site: dict[str, float] = defaultdict(float)
    files = sorted(Path(flows_dir).glob("*.json")) if Path(flows_dir).is_dir() else []
    for path in files:
        steps = json.loads(path.read_text(encoding="utf-8")).get("steps", [])
        total = 0.0
        for step in steps:
            seconds = step.get("seconds") or 0.0
            per_step[f"{step['po']}.{step['call']}"].append(seconds)
            by_site[str(step["po"]).partition(".")[0]] += seconds
            total += seconds
        po_totals.append(total)
    if not files:
        return {}
    n = len(files)
    mean_request = statistics.mean(request_seconds) if request_seconds else None
    mean_po = statistics.mean(po_totals)
    steps_sorted = sorted(((name, sum(v) / n, len(v) / n) for name, v in per_step.items()), key=lambda x: -x[1])
    return {
        "requests": n,
        "request_s": round(mean_request, 3) if mean_request is not None else None,
        "page_objects_s": round(mean_po, 3),
        "page_objects_s_by_site": {site: round(v / n, 3) for site, v in sorted(by_site.items())},
        "bot_outside_page_objects_s": round(mean_request - mean_po, 3) if mean_request is not None else None,
        "steps": [{"step": name, "s_per_request": round(s, 3), "calls_per_request": round(c, 2)}
                  for name, s, c in steps_sorted],
    }
