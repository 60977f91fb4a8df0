"""The two lanes of a request: in turns (no browser) and at once on one real Playwright."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from rpa.errors import LaneStopped, ServerError
from rpa.runtime.browser import bundled_chromium, launch_kwargs, resolve_browser
from rpa.runtime.lanes import Lanes
from tests.e2e.harness import in_thread


class TestInTurns:
    """Without a Playwright page the lanes take turns: a lane runs until it waits for a signal."""

    def test_turns_switch_at_signals_and_carry_the_value(self):
        """The first lane runs until it waits; the second produces the value and the first resumes."""
        lanes, log = Lanes(), []
        ticket = lanes.signal("ticket")

        def zendesk():
            log.append("z: create")
            ticket.set("41001")
            log.append("z: fields")
            return "hold"

        def workfinity():
            log.append("w: assess")
            number = ticket.wait()
            log.append(f"w: save under {number}")
            return "OS-1"

        assert lanes.run(workfinity, zendesk) == ("OS-1", "hold")
        assert log == ["w: assess", "z: create", "z: fields", "w: save under 41001"]

    def test_a_failing_lane_stops_the_waiting_one_and_its_error_is_raised(self):
        """The lane waiting for a value the failed lane would have produced gets LaneStopped; the
        run raises the failure itself."""
        lanes, log = Lanes(), []
        ticket = lanes.signal("ticket")

        def workfinity():
            log.append("w: assess")
            try:
                ticket.wait()
            except LaneStopped:
                log.append("w: stopped")
                raise
            log.append("w: save")

        def zendesk():
            raise ServerError("Zendesk 500")

        with pytest.raises(ServerError, match="Zendesk 500"):
            lanes.run(workfinity, zendesk)
        assert log == ["w: assess", "w: stopped"]
        with pytest.raises(LaneStopped):
            lanes.checkpoint()

    def test_a_lane_not_started_is_not_started_after_a_failure(self):
        lanes, log = Lanes(), []

        def first():
            raise ServerError("down")

        with pytest.raises(ServerError):
            lanes.run(first, lambda: log.append("second ran"))
        assert log == []

    def test_lanes_waiting_for_each_other_is_a_bug_said_so(self):
        lanes = Lanes()
        a, b = lanes.signal("a"), lanes.signal("b")
        with pytest.raises(RuntimeError, match="waiting for each other"):
            lanes.run(lambda: b.wait() or a.set(1), lambda: a.wait() or b.set(1))

    def test_a_signal_set_once_keeps_its_first_value(self):
        lanes = Lanes()
        needed = lanes.signal("needed")
        needed.set(("row 2", "open"))
        needed.set(None)
        assert needed.wait() == ("row 2", "open") and needed.peek() == ("row 2", "open")


def _with_two_pages(body) -> object:
    """``body(page_a, page_b)`` on a real headless Chromium, in a thread with its own Playwright."""

    def run():
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_kwargs(resolve_browser(None, bundled=bundled_chromium(pw))))
            try:
                context = browser.new_context()
                a, b = context.new_page(), context.new_page()
                for page in (a, b):
                    page.set_content("<input id=q>")
                return body(a, b)
            finally:
                browser.close()

    return in_thread(run)


def _slow(page: Page, ms: int) -> None:
    """A step that waits on the page (as an autocomplete or a save waits on the site)."""
    page.evaluate(f"() => new Promise(r => setTimeout(r, {ms}))")


@pytest.fixture(scope="module")
def overlapped() -> Iterator[dict]:
    """One browser for the three overlapping scenarios (one Chromium start for the class)."""

    def scenarios(a: Page, b: Page) -> dict:
        out: dict = {}
        # 1. While one lane waits on its page, the other lane's steps run: here the first lane's
        # page waits for what only the second lane does (in turns it would never come).
        lanes, log = Lanes(a), []

        def lane_a():
            log.append("a: waits on its page")
            a.wait_for_function("() => window.go === true", timeout=15_000)
            log.append("a: answered")

        def lane_b():
            log.append("b: starts")
            b.fill("#q", "typed while a waits")
            log.append("b: typed")
            a.evaluate("() => { window.go = true }")

        lanes.run(lane_a, lane_b)
        out["order"] = log
        out["typed"] = b.input_value("#q")
        out["overlapping"] = lanes.overlapping
        # 2. A rendezvous: b waits for a value a produces after its own page step.
        lanes = Lanes(a)
        ticket = lanes.signal("ticket")

        def producer():
            _slow(a, 100)
            a.fill("#q", "41001")
            ticket.set(a.input_value("#q"))

        def consumer():
            number = ticket.wait()
            b.fill("#q", f"Pedido {number}")
            return b.input_value("#q")

        out["rendezvous"] = lanes.run(producer, consumer)
        # 3. A lane fails: the other stops at its next step (checkpoint), the failure is raised.
        lanes, steps = Lanes(a), []
        stepped = lanes.signal("stepped")

        def failing():
            stepped.wait()
            raise ServerError("Workfinity 500")

        def busy():
            for i in range(50):
                lanes.checkpoint()
                _slow(b, 30)
                steps.append(i)
                stepped.set(True)

        try:
            lanes.run(failing, busy)
        except ServerError as exc:
            out["raised"] = str(exc)
        out["busy_steps"] = len(steps)
        # 4. Lanes waiting for each other fail at once (never a hang of the worker).
        lanes = Lanes(a)
        x, y = lanes.signal("x"), lanes.signal("y")
        try:
            lanes.run(lambda: (_slow(a, 10), x.wait(), y.set(1)), lambda: (y.wait(), x.set(1)))
        except RuntimeError as exc:
            out["stuck"] = str(exc)
        return out

    return _with_two_pages(scenarios)  # type: ignore[return-value]


class TestAtOnce:
    """On a real Playwright the lanes are greenlets on its loop: one waits, the other goes on."""

    def test_one_lane_runs_while_the_other_waits_on_its_page(self, overlapped):
        assert overlapped["overlapping"] is True
        assert overlapped["order"] == ["a: waits on its page", "b: starts", "b: typed", "a: answered"]
        assert overlapped["typed"] == "typed while a waits"

    def test_a_signal_carries_a_value_between_pages(self, overlapped):
        assert overlapped["rendezvous"] == (None, "Pedido 41001")

    def test_lanes_waiting_for_each_other_fail_at_once(self, overlapped):
        assert overlapped["stuck"] == "lanes waiting for each other: x, y"

    def test_a_failing_lane_stops_the_other_at_its_next_step(self, overlapped):
        assert overlapped["raised"] == "Workfinity 500"
        assert 1 <= overlapped["busy_steps"] < 50
