"""Named points where a test can kill the bot with SIGKILL, to prove resume works.

The ``crash_at`` setting (``RPA_CRASH_AT="after:zendesk.ticket.submit_as#2"``) kills the
process the 2nd time that point is reached; the runner arms it when a run starts. Points:
``before:``/``after:`` every page-object call (``<po>.<method>``) and every journal effect
(``intent:<name>`` / ``done:<name>``, name without its argument part).
Unarmed in production: one comparison per point.
"""

from __future__ import annotations

import os
import signal
import threading

_target: tuple[str, int] | None = None  # (point, how many times it is reached before the kill)
_counts: dict[str, int] = {}
_lock = threading.Lock()


def arm(spec: str | None) -> None:
    """Kill at ``<point>[#<nth>]`` from now on; None or "" disarms."""
    global _target
    if not spec:
        _target = None
        return
    name, _, nth = spec.partition("#")
    _target = (name, int(nth or 1))


def reach(point: str) -> None:
    target = _target
    if target is None or target[0] != point:
        return
    with _lock:
        _counts[point] = _counts.get(point, 0) + 1
        hit = _counts[point] == target[1]
    if hit:
        os.kill(os.getpid(), signal.SIGKILL)
