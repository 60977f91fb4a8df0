"""Flow recording: the sequence of page-object intentions of one request, for QA replay.

Page objects are wrapped so each public call is appended as ``{"po", "call", "args",
"result"}``. Values that are secrets never reach here (page objects get no credentials).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import time
from collections.abc import Callable
from typing import Any

from rpa.runtime import crashpoints


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


class FlowLog:
    """An append-only list of intentions, written as JSON at the end of the request."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.attempt = 1

    def wrap(self, name: str, page_object: Any, before: Callable[[], None] | None = None) -> Any:
        """Record every public call of ``page_object``; ``before`` runs ahead of each call."""
        return _Recorded(name, page_object, self, before)

    def add(self, po: str, call: str, args: list[Any], kwargs: dict[str, Any], result: Any = None,
            error: str | None = None, seconds: float | None = None) -> None:
        step = {"attempt": self.attempt, "po": po, "call": call, "args": _plain(list(args)),
                "kwargs": _plain(kwargs)}
        if seconds is not None:
            step["seconds"] = round(seconds, 3)
        if result is not None:
            step["result"] = _plain(result)
        if error:
            step["error"] = error
        self.steps.append(step)

    def last_call(self) -> str:
        """``<po>.<call>`` where a failed request stopped: the last attempt's step that failed,
        else the last step (with the two sites driven at once, the other site's lane may have
        finished a step after the failure); "início" before any step."""
        if not self.steps:
            return "início"
        failed = [s for s in self.steps if "error" in s and s["attempt"] == self.steps[-1]["attempt"]]
        last = failed[-1] if failed else self.steps[-1]
        return f"{last['po']}.{last['call']}"

    def to_json(self) -> str:
        return json.dumps(self.steps, ensure_ascii=False, indent=2)


class _Recorded:
    """Proxy that records every public method call of a page object."""

    def __init__(self, name: str, target: Any, log: FlowLog, before: Callable[[], None] | None) -> None:
        self._name, self._target, self._log, self._before = name, target, log, before

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._target, attr)
        if attr.startswith("_") or not callable(value):
            return value

        point = f"{self._name}.{attr}"

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            crashpoints.reach("before:" + point)
            if self._before is not None:
                self._before()
            started = time.perf_counter()
            try:
                result = value(*args, **kwargs)
            except Exception as exc:
                self._log.add(self._name, attr, list(args), kwargs, error=type(exc).__name__,
                              seconds=time.perf_counter() - started)
                raise
            self._log.add(self._name, attr, list(args), kwargs, result, seconds=time.perf_counter() - started)
            crashpoints.reach("after:" + point)
            return result

        return call
