"""The sample spreadsheet on markup variants of the fakes: same outcomes as on the default."""

from __future__ import annotations

import pytest

from fakesite.variants import RESULTS_CHANGED
from tests.e2e.harness import read_results
from tests.e2e.test_sample_run import EXPECTED, LABEL

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("variants")]


@pytest.mark.parametrize("variant", [1, 2])
def test_sample_on_variant(bot, fake, variant):
    fake.faults(variant=variant)
    book = bot.sample()
    code, _, _ = bot.run(book)
    assert {r[LABEL]: r["Status RPA"] for r in read_results(book)} == EXPECTED
    assert code == 0


def test_changed_results_never_give_a_business_verdict(bot, fake):
    """The sites show a found equipment and an opened ticket elsewhere than the contract says
    (variant RESULTS_CHANGED): the rows end ERRO_SISTEMA, never DADOS_INVALIDOS ("equipamento
    não encontrado", "ticket não existe"), and nothing is created on either site."""
    wanted = ("NEXTEL sem ticket: o robô cria", "Viação, mesmo endereço")
    rows = [r for r in read_results(bot.sample()) if r[LABEL] in wanted]
    book = bot.workbook(rows)
    fake.faults(variant=RESULTS_CHANGED)
    bot.run(book, attempts=1)
    assert {r[LABEL]: r["Status RPA"] for r in read_results(book)} == dict.fromkeys(wanted, "ERRO_SISTEMA")
    state = fake.state()
    assert not [e for e in state["audit"] if e["action"] == "create"]
