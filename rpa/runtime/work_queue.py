"""The request queue behind a small interface, so the same runner can later pull work from a
distributed queue across machines. A request is claimed whole: it is never split across
workers."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rpa.procedure.requests import Request
    from rpa.procedure.rules import Plan
    from rpa.runtime.jobs import InputJob


@dataclass
class WorkItem:
    job: InputJob     # the file the request comes from
    request: Request
    plan: Plan


class RequestQueue(Protocol):
    def claim(self) -> WorkItem | None:
        """The next request to process, or None when there is none."""

    def ack(self, item: WorkItem) -> None:
        """The request finished (whatever its outcome); it will not be handed out again."""

    def __len__(self) -> int: ...


class LocalQueue:
    """In-process FIFO shared by the worker threads of one run."""

    def __init__(self, items: Iterable[WorkItem]) -> None:
        self._items = deque(items)
        self._lock = threading.Lock()

    def claim(self) -> WorkItem | None:
        with self._lock:
            return self._items.popleft() if self._items else None

    def ack(self, item: WorkItem) -> None:  # nothing to do for a local queue
        return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
