"""Playwright protocol calls per page-object step, for one request of each main kind:
``python -m bench.roundtrips [--kinds new,existing,pending] [--json FILE]``.

Each kind is a one-request workbook (``tests/e2e/subprocess_bot.py``'s books) run by ``rpa run``
as a subprocess against in-process fake sites (``fakesite.server.FakeSites``, 0 ms). The child
counts, in Playwright's own client, every message sent to the driver (``Connection.
send_message_to_server``: one round trip each, except the fire-and-forget ``__waitInfo__``
notes, counted apart) and charges it to the outermost page-object method running in that thread
in that thread or lane (``pages.workfinity.*`` / ``pages.zendesk.*``); calls outside any page object (contexts,
tracing, session set-up) go to ``(runtime)``. Numbers, not asserts.
"""

from __future__ import annotations

import argparse
import atexit
import collections
import contextvars
import functools
import importlib
import inspect
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

OUTSIDE = "(runtime)"
PAGE_MODULES = ("pages.workfinity.base", "pages.workfinity.login", "pages.workfinity.order_list",
                "pages.workfinity.order_form", "pages.workfinity.order_edit", "pages.zendesk.login",
                "pages.zendesk.workspace", "pages.zendesk.ticket", "pages.zendesk.search")


# -- the child: counts inside ``rpa run`` --------------------------------------------------------

class _Counter:
    def __init__(self) -> None:
        # The step being run, per thread and per lane: the two lanes of a request are greenlets of
        # one thread (rpa.runtime.lanes), each with its own context, and a protocol message is
        # sent from the task its sync call created, which copied the caller's context.
        self.current: contextvars.ContextVar[str | None] = contextvars.ContextVar("step", default=None)
        self.lock = threading.Lock()
        self.calls: collections.Counter[str] = collections.Counter()       # step -> round trips
        self.methods: collections.Counter[str] = collections.Counter()     # protocol method -> round trips
        self.step_methods: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        self.wait_info = 0
        self.invocations: collections.Counter[str] = collections.Counter()  # step -> times called

    def step(self) -> str:
        return self.current.get() or OUTSIDE

    def sent(self, type_: str, method: str) -> None:
        with self.lock:
            if method == "__waitInfo__":
                self.wait_info += 1
                return
            step = self.step()
            self.calls[step] += 1
            self.methods[f"{type_}.{method}"] += 1
            self.step_methods[step][f"{type_}.{method}"] += 1

    def dump(self, path: str) -> None:
        Path(path).write_text(json.dumps({
            "calls": dict(self.calls), "invocations": dict(self.invocations), "methods": dict(self.methods),
            "step_methods": {k: dict(v) for k, v in self.step_methods.items()}, "wait_info": self.wait_info}))


def _charged(counter: _Counter, name: str, function: Any) -> Any:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        if counter.current.get():
            return function(*args, **kwargs)  # a page object calling another: the outer step pays
        token = counter.current.set(name)
        with counter.lock:
            counter.invocations[name] += 1
        try:
            return function(*args, **kwargs)
        finally:
            counter.current.reset(token)

    return call


def _install(out: str) -> None:
    from playwright._impl.connection import Connection

    counter = _Counter()
    send = Connection.send_message_to_server

    def counted(self: Any, object: Any, method: str, params: Any, options: Any) -> Any:
        counter.sent(object._type, method)
        return send(self, object, method, params, options)

    Connection.send_message_to_server = counted  # type: ignore[method-assign]
    for module_name in PAGE_MODULES:
        module = importlib.import_module(module_name)
        prefix = module_name.removeprefix("pages.")
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module_name:
                continue
            for attr, value in list(vars(cls).items()):
                if not attr.startswith("_") and inspect.isfunction(value):
                    setattr(cls, attr, _charged(counter, f"{prefix}.{attr}", value))
    atexit.register(counter.dump, out)


def child(out: str, argv: list[str]) -> None:
    _install(out)
    from rpa.cli.app import app

    sys.argv = ["rpa", *argv]
    app()


# -- the parent: sites, books, table ---------------------------------------------------------------

def _books() -> dict[str, Any]:
    from tests.e2e.subprocess_bot import existing_ticket_book, new_ticket_book, pending_book

    return {"new": ("cria o ticket (1 equipamento)", functools.partial(new_ticket_book, equipment=1)),
            "existing": ("ticket existente, 2 equipamentos", existing_ticket_book),
            "pending": ("pendência de cadastro", pending_book)}


def measure(kind: str, workdir: Path) -> dict[str, Any]:
    from fakesite.server import FakeSites
    from tests.e2e.subprocess_bot import bot_env

    _, make_book = _books()[kind]
    book = make_book(workdir / f"{kind}.xlsx")
    out = workdir / f"{kind}-calls.json"
    with FakeSites() as sites:
        proc = subprocess.run([sys.executable, "-m", "bench.roundtrips", "--child", str(out), "--", "run", str(book)],
                              cwd=Path(__file__).resolve().parents[1], env=bot_env(sites, workdir / kind),
                              capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"rpa run ({kind}) saiu com {proc.returncode}:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text())


def table(kind: str, label: str, data: dict[str, Any], top_methods: int) -> str:
    calls, invoked = data["calls"], data["invocations"]
    width = max(len(s) for s in calls) + 2
    lines = [f"== {kind}: {label}", f"{'step':<{width}}{'×':>4}{'calls':>8}"]
    for step, n in sorted(calls.items(), key=lambda kv: (kv[0] == OUTSIDE, -kv[1])):
        lines.append(f"{step:<{width}}{invoked.get(step, ''):>4}{n:>8}")
    in_steps = sum(n for s, n in calls.items() if s != OUTSIDE)
    lines.append(f"{'total in page objects':<{width}}{'':>4}{in_steps:>8}")
    lines.append(f"{'total per request':<{width}}{'':>4}{sum(calls.values()):>8}"
                 f"   (+ {data['wait_info']} __waitInfo__ notes, no reply)")
    methods = sorted(data["methods"].items(), key=lambda kv: -kv[1])[:top_methods]
    lines.append("  by protocol method: " + ", ".join(f"{m} {n}" for m, n in methods))
    return "\n".join(lines)


def main() -> None:
    if "--child" in sys.argv:
        at = sys.argv.index("--child")
        rest = sys.argv[at + 2:]
        child(sys.argv[at + 1], rest[1:] if rest[:1] == ["--"] else rest)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default="new,existing,pending")
    parser.add_argument("--json", type=Path, help="also write the counts here")
    parser.add_argument("--methods", type=int, default=8, help="protocol methods shown per kind")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="rpa-roundtrips-") as tmp:
        for kind in args.kinds.split(","):
            work = Path(tmp) / kind
            work.mkdir()
            results[kind] = measure(kind, work)
            print(table(kind, _books()[kind][0], results[kind], args.methods), flush=True)
    print("\n" + "  ".join(f"{k}: {sum(v['calls'].values())}" for k, v in results.items()) + "  (calls per request)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
