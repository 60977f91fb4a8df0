"""The two lanes of one request, Workfinity's and Zendesk's, driven at once in one thread.

While Workfinity waits (customer autocomplete, Serviço list, equipment lookup, Salvar) the
Zendesk side advances (the new ticket, its fields), and the other way round. Each lane is a
greenlet on the worker's one Playwright: the sync API already runs its event loop in a
greenlet of its own (the "dispatcher fiber") and resumes the greenlet that made a call when
the call's answer arrives (``SyncBase._sync``); its event handlers already run in greenlets
of their own the same way. A lane waiting on its site is
just one more suspended greenlet, and the loop answers the other lane meanwhile.

Why not one thread per site: a sync Playwright belongs to the thread that started it, so a
second lane would need its own Playwright — a second driver and a second Chromium per worker
(the memory target), two traces per request, and a journal shared across threads. Why not
async page objects: every page object rewritten, for the same concurrency. Here it is one
thread, one driver, one browser context and one trace per request, and the journal stays on
its thread (SQLite); the page objects do not change.

The lanes meet where the procedure needs it (``Signal``): the O.S. needs the ticket number
as Pedido de Venda, the note and field 1004 need the O.S. numbers. When a lane fails, the
other one stops at its next page-object step (``checkpoint``, run by ``rpa.runtime.sites``
before every step) or at its next ``Signal.wait``; the request then fails with the first
error, as a sequential request would.

``overlap=False`` (and no Playwright page, as in the tests of the request flow on in-memory
sites): the same lanes, one at a time — a lane runs until it waits for a signal, then the
other one runs. The order is then fixed, which is also what QA replays use.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import greenlet

from rpa.errors import LaneStopped

T = TypeVar("T")
U = TypeVar("U")
_UNSET: Any = object()


class Signal(Generic[T]):
    """A value one lane produces and the other waits for (set once)."""

    def __init__(self, lanes: Lanes, name: str) -> None:
        self.lanes, self.name = lanes, name
        self.value: T = _UNSET
        self.error: BaseException | None = None
        self._waiters: list[Callable[[], None]] = []

    @property
    def is_set(self) -> bool:
        return self.value is not _UNSET or self.error is not None

    def set(self, value: T) -> None:
        if self.is_set:
            return  # first answer wins: a lane may learn it twice (one row after another)
        self.value = value
        self._wake()

    def fail(self, error: BaseException) -> None:
        if not self.is_set:
            self.error = error
            self._wake()

    def wait(self) -> T:
        """The value, waiting for it in this lane while the other lane goes on."""
        if not self.is_set:
            self.lanes._wait_for(self)
        if self.error is not None:
            raise self.error
        return self.value

    def peek(self, default: Any = None) -> Any:
        """The value if already set, else ``default`` (never waits)."""
        return self.value if self.value is not _UNSET else default

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for wake in waiters:
            wake()


class Lanes:
    """Runs two callables as lanes of one request; ``page``: any page of the worker's Playwright."""

    def __init__(self, page: Any = None, *, overlap: bool = True) -> None:
        # The sync API's event loop and its way of waiting for an awaitable (playwright-python
        # internals every sync object carries); without them, lanes take turns.
        self._page = page if overlap and hasattr(page, "_sync") and hasattr(page, "_loop") else None
        self._loop: asyncio.AbstractEventLoop | None = self._page._loop if self._page is not None else None
        self._signals: list[Signal[Any]] = []
        self.failure: BaseException | None = None
        self._ready: deque[greenlet.greenlet] = deque()
        self._main: greenlet.greenlet | None = None
        self._running = 0   # lanes not ended
        self._blocked = 0   # lanes waiting for a signal

    @property
    def overlapping(self) -> bool:
        return self._page is not None

    def signal(self, name: str) -> Signal[Any]:
        s: Signal[Any] = Signal(self, name)
        self._signals.append(s)
        return s

    def checkpoint(self) -> None:
        """Raise ``LaneStopped`` when the other lane failed (run before every page-object step)."""
        if self.failure is not None:
            raise LaneStopped("a outra parte da solicitação falhou")

    def run(self, first: Callable[[], T], second: Callable[[], U]) -> tuple[T, U]:
        """Run both lanes to their end; the first lane's error (not a ``LaneStopped``) is raised."""
        results: list[Any] = [None, None]
        errors: list[BaseException | None] = [None, None]

        def body(i: int, fn: Callable[[], Any]) -> Callable[[], None]:
            def lane() -> None:
                try:
                    results[i] = fn()
                except BaseException as exc:  # noqa: BLE001 - handed to run(), which raises it
                    errors[i] = exc
                    if not isinstance(exc, LaneStopped):
                        self._fail(exc)
                finally:
                    self._running -= 1
                    self._check_stuck()
            return lane

        lanes = (body(0, first), body(1, second))
        self._running = len(lanes)
        if self.overlapping:
            self._run_on_driver(lanes)
        else:
            self._run_in_turns(lanes)
        if self.failure is not None:
            raise self.failure
        for error in errors:
            if error is not None:
                raise error
        return results[0], results[1]

    def _fail(self, error: BaseException) -> None:
        """The first failure stops the other lane: every signal it may wait for fails."""
        if self.failure is None:
            self.failure = error
            for s in self._signals:
                s.fail(LaneStopped(f"a outra parte da solicitação falhou ({s.name})"))

    def _check_stuck(self) -> None:
        """Every lane still running waits for a signal no lane can set: a bug in the flow, said
        at once (never a hang)."""
        if self._running and self._blocked >= self._running:
            waiting = ", ".join(sorted(s.name for s in self._signals if s._waiters))
            self._fail(RuntimeError(f"lanes waiting for each other: {waiting}"))

    # -- overlapping: greenlets on Playwright's loop -------------------------------------------

    def _run_on_driver(self, lanes: tuple[Callable[[], None], Callable[[], None]]) -> None:
        loop = self._loop
        assert loop is not None
        ends = [loop.create_future() for _ in lanes]

        def start(lane: Callable[[], None], end: asyncio.Future[None]) -> None:
            def run() -> None:
                try:
                    lane()
                finally:
                    if not end.done():
                        end.set_result(None)
            # Started from the loop, as Playwright starts its event handlers: when the lane
            # waits on a call, control comes back here and the loop goes on.
            greenlet.greenlet(run).switch()

        for lane, end in zip(lanes, ends, strict=True):
            loop.call_soon(start, lane, end)
        self._await(asyncio.gather(*ends))

    def _await(self, future: asyncio.Future[Any]) -> None:
        """Wait for ``future`` the way every sync call waits: this greenlet is suspended and
        the loop goes on (answering the other lane) until the future is done."""
        async def until() -> None:
            await future

        assert self._page is not None
        self._page._sync(until())

    # -- in turns: one lane at a time, switching at signals --------------------------------------

    def _run_in_turns(self, lanes: tuple[Callable[[], None], Callable[[], None]]) -> None:
        self._main = greenlet.getcurrent()
        self._ready.extend(greenlet.greenlet(lane) for lane in lanes)
        try:
            while self._ready:
                lane = self._ready.popleft()
                if lane or self.failure is None:  # a lane not started yet is not started after a failure
                    lane.switch()  # back here when it ends or waits for a signal
        finally:
            self._main = None

    def _wait_for(self, signal: Signal[Any]) -> None:
        me = greenlet.getcurrent()
        if not self.overlapping and (self._main is None or me is self._main):
            raise RuntimeError(f"waiting for {signal.name!r} outside a lane")
        done: asyncio.Future[None] | None = self._loop.create_future() if self._loop is not None else None
        woken = False

        def wake() -> None:
            # Counted as running again from the moment it is woken, not when it resumes: the
            # other lane may wait in between, and that is no deadlock.
            nonlocal woken
            if woken:
                return
            woken = True
            self._blocked -= 1
            if done is not None:
                done.set_result(None)
            elif greenlet.getcurrent() is not me:  # woken by itself (a failure it raised): not suspended
                self._ready.append(me)

        self._blocked += 1
        signal._waiters.append(wake)
        self._check_stuck()  # may fail every signal, which wakes this lane at once
        if woken:
            return
        if done is not None:
            self._await(done)
        else:
            assert self._main is not None
            self._main.switch()
