from __future__ import annotations

import pytest

from tests.e2e.harness import Bot


@pytest.fixture()
def bot(fake, tmp_path) -> Bot:
    return Bot(fake, tmp_path)
