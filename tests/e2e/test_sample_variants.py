"""The sample spreadsheet on markup variants of the fakes: same outcomes as on the default."""

from __future__ import annotations

import pytest

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
