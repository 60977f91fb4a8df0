"""Comparing a recorded flow with its replay (no browser): generated numbers, timestamps and
redone attempts never show as differences; what really changed does."""

from __future__ import annotations

from rpa.qa.diff import FlowView, diff_flows, effective_steps, prepare


def step(po: str, call: str, *args, attempt: int = 1, result=None, error: str | None = None) -> dict:
    s = {"attempt": attempt, "po": po, "call": call, "args": list(args), "kwargs": {}, "seconds": 0.1}
    if result is not None:
        s["result"] = result
    if error:
        s["error"] = error
    return s


def new_ticket_flow(ticket: int, os_number: str) -> list[dict]:
    return [step("workfinity.form", "open_new_order"),
            step("zendesk.ticket", "open_new_ticket"),
            step("zendesk.ticket", "submit_as", "open", result=ticket),
            step("workfinity.form", "set_pedido_de_venda", str(ticket)),
            step("workfinity.form", "save", result=os_number),
            step("zendesk.ticket", "ticket_id", result=ticket),
            step("zendesk.ticket", "set_custom_text", 1004, os_number),
            step("zendesk.ticket", "add_comment", f"O.S. {os_number} aberta no ticket #{ticket}."),
            step("zendesk.ticket", "submit_as", "hold", result=ticket)]


class TestComparisonRules:
    """Generated numbers, timestamps and redone attempts never show as differences."""

    def test_generated_numbers_and_timestamps_are_masked(self):
        a = prepare(new_ticket_flow(41008, "2026000124"),
                    {"2": {"status": "OK", "os_number": "2026000124", "ticket": "41008",
                           "processed_at": "2026-11-28T02:20:26"}})
        b = prepare(new_ticket_flow(41001, "2026000007"),
                    {"2": {"status": "OK", "os_number": "2026000007", "ticket": "41001",
                           "processed_at": "2026-12-01T10:00:00"}})
        assert diff_flows(a, b) == []
        assert a.steps[7]["args"] == ["O.S. <O.S.#1> aberta no ticket #<ticket#1>."]

    def test_a_redone_attempt_keeps_only_what_it_committed(self):
        steps = [step("workfinity.form", "pick_customer", "x", attempt=1),
                 step("workfinity.form", "save", attempt=1, result="2026000001"),
                 step("zendesk.ticket", "add_comment", "nota", attempt=1),
                 step("zendesk.ticket", "submit_as", "open", attempt=1, error="ServerError"),
                 step("zendesk.ticket", "add_comment", "nota", attempt=2),
                 step("zendesk.ticket", "submit_as", "open", attempt=2, result=41001)]
        assert [(s["call"], s["attempt"]) for s in effective_steps(steps)] == [
            ("pick_customer", 1), ("save", 1), ("add_comment", 2), ("submit_as", 2)]

    def test_the_two_sites_interleaved_differently_are_no_difference(self):
        """The two sites driven at once interleave their steps differently from run to run (and a
        replay takes them in turns): each site's own order is what is compared."""
        flow = new_ticket_flow(41008, "2026000124")
        results = {"2": {"status": "OK", "os_number": "2026000124", "ticket": "41008"}}
        interleaved = [flow[1], flow[0], flow[2], flow[3], flow[5], flow[4], flow[6], flow[7], flow[8]]
        assert diff_flows(prepare(flow, results), prepare(interleaved, results)) == []
        swapped = [flow[0], flow[1], flow[2], flow[4], flow[3], *flow[5:]]  # one site's own order changed
        assert diff_flows(prepare(flow, results), prepare(swapped, results)) != []

    def test_a_step_only_one_side_made_is_reported(self):
        recorded = FlowView([{"po": "workfinity.form", "call": "save", "args": [], "kwargs": {}}], {})
        replayed = FlowView([], {})
        (difference,) = diff_flows(recorded, replayed)
        assert (difference.kind, difference.path) == ("only-recorded", "workfinity.form.save")

    def test_deadlines_are_masked_only_across_clocks(self):
        def side(day: str) -> dict:
            return {"5": {"status": "CADASTRO_PENDENTE", "deadline": day,
                          "message": f"aguardar contato até {day[8:10]}/{day[5:7]}/{day[:4]}."}}

        assert diff_flows(prepare([], side("2026-12-01"), mask_deadlines=True),
                          prepare([], side("2026-12-03"), mask_deadlines=True)) == []
        assert [d.path for d in diff_flows(prepare([], side("2026-12-01")), prepare([], side("2026-12-03")))] == [
            "linha 5 → message", "linha 5 → deadline"]
