"""The journal records intents and results durably and answers resume questions."""

from __future__ import annotations

from rpa.io.journal import Journal


class TestJournal:
    """The journal records intents and results durably and answers resume questions."""

    def test_intent_then_done_survives_reopen(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        j.intent("sol:1", "ticket", "RPA-X")
        assert j.effect("sol:1", "ticket") == ("intent", "RPA-X")
        assert j.done_value("sol:1", "ticket") is None
        j.done("sol:1", "ticket", "41050")
        j.close()
        again = Journal(tmp_path / "j.sqlite")
        assert again.done_value("sol:1", "ticket") == "41050"

    def test_intent_never_downgrades_a_done_effect(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        j.done("k", "os:S1", "2026000001")
        j.intent("k", "os:S1", {"pedido": "1"})
        assert j.effect("k", "os:S1") == ("done", "2026000001")

    def test_final_rows_exclude_system_errors(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        j.begin_request("k", [2, 3], "run1")
        j.finish_request("k", {"S|A": {"status": "OK"}, "S|B": {"status": "ERRO_SISTEMA"}}, final=False,
                         rows={"S|A": 2, "S|B": 3}, fingerprints={"S|A": "a", "S|B": "b"})
        assert j.final_rows() == {"S|A": ("OK", "a")}
        assert j.results() == {"S|A": (2, {"status": "OK"}), "S|B": (3, {"status": "ERRO_SISTEMA"})}

    def test_attempts_count_up(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        assert j.begin_request("k", [2], "r") == 1
        assert j.begin_request("k", [2], "r") == 2

    def test_checkpoints_around_each_effect(self, tmp_path):
        """The crash points of the resume tests: before the intent, before and after the done
        (an effect's name without its argument part)."""
        reached: list[str] = []
        j = Journal(tmp_path / "j.sqlite", checkpoint=reached.append)
        j.intent("k", "os:S1")
        j.done("k", "os:S1", "2026000001")
        j.done("k", "book:cortesia:S1")
        assert reached == ["before:intent:os", "before:done:os", "after:done:os",
                           "before:done:book:cortesia", "after:done:book:cortesia"]
