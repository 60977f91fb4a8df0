"""Facts of the Workfinity seed that the fake-site and page-object tests share."""

from __future__ import annotations

import datetime as dt

from fakesite import seed_workfinity

SODEXO = "12.345.678/0001-95"
SEED_ORDERS = len(seed_workfinity.build()["service_orders"])


def os_number(nth: int = 1) -> str:
    """The number of the nth O.S. created in a test: year + counter after the seed's 2026000123."""
    year = dt.date.today().year
    return f"{year}{(123 if year == 2026 else 0) + nth:06d}"
