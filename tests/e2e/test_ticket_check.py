"""A Ticket number given in the spreadsheet is checked in Zendesk before anything is done."""

from __future__ import annotations

import pytest

from fakesite.sample import bulk_rows
from fakesite.seed import default_seed
from tests.e2e.harness import read_results

pytestmark = pytest.mark.e2e


class TestTicketFromTheSpreadsheet:
    """An unknown ticket is bad input (DADOS_INVALIDOS, no O.S.); a known one is updated."""

    def test_unknown_ticket_opens_no_order(self, bot, fake):
        """Ticket 49999 does not exist: the row says so, names the column, and Workfinity is untouched;
        the next row (ticket 41002, which exists) is processed normally."""
        seed = fake.state()
        first, second = bulk_rows(default_seed(), 2)
        first["Ticket"], second["Ticket"] = "49999", "41002"
        book = bot.workbook([first, second])
        code, _, _ = bot.run(book)
        assert code == 0
        rows = read_results(book)
        assert [r["Status RPA"] for r in rows] == ["DADOS_INVALIDOS", "OK"]
        assert "coluna Ticket" in rows[0]["Mensagem RPA"] and "#49999" in rows[0]["Mensagem RPA"]
        state = fake.state()
        before = {o["number"] for o in seed["workfinity"]["service_orders"]}
        new_orders = [o for o in state["workfinity"]["service_orders"] if o["number"] not in before]
        assert [(o["pedido_de_venda"], o["serial"]) for o in new_orders] == [("41002", second["Número de Série"])]
        assert rows[1]["Nº O.S."] == new_orders[0]["number"]
        assert len(state["zendesk"]["tickets"]) == len(seed["zendesk"]["tickets"])
