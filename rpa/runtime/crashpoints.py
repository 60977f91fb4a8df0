"""Named points where a test can kill the bot with SIGKILL, to prove resume works.

``RPA_CRASH_AT="after:zendesk.ticket.submit_as#2"`` kills the process the 2nd time that point
is reached. Points: ``before:``/``after:`` every page-object call (``<po>.<method>``) and
every journal effect (``intent:<name>`` / ``done:<name>``, name without its argument part).
Unset in production: one dictionary lookup per point.
"""

from __future__ import annotations

import os
import signal
import threading

_counts: dict[str, int] = {}
_lock = threading.Lock()


def reach(point: str) -> None:
    target = os.environ.get("RPA_CRASH_AT")
    if not target:
        return
    name, _, nth = target.partition("#")
    if name != point:
        return
    with _lock:
        _counts[point] = _counts.get(point, 0) + 1
        hit = _counts[point] == int(nth or 1)
    if hit:
        os.kill(os.getpid(), signal.SIGKILL)
