"""R8's "aguardar o contato … em até 48hrs úteis": the date the client is told to wait until.

Two readings of "48 horas úteis", both available (``Settings.deadline_mode``):

- ``business_days`` (default): two business days after today. Today never counts, whatever
  the hour: a request on Friday gets Tuesday; on Saturday, Tuesday too.
- ``business_hours``: 48 hours of the clock counted only on business days (a business day is
  24 h). Friday 10:00 -> Tuesday 10:00; Saturday 15:00 -> Tuesday 24:00, i.e. Tuesday. The
  date on which the 48 h are complete is returned.

A business day is Monday to Friday and not a Brazilian national holiday (``holidays``,
"public" category); with ``uf`` the state's own holidays are excluded too. Carnaval and
Corpus Christi are *pontos facultativos* ("optional" category): excluded only when
``optional=True``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from rpa.procedure.normalize import UFS

Mode = str  # "business_days" | "business_hours"


@lru_cache(maxsize=64)
def _calendar(uf: str | None, optional: bool) -> holidays.HolidayBase:
    categories = ("public", "optional") if optional else ("public",)
    return holidays.country_holidays("BR", subdiv=uf or None, categories=categories, language="pt_BR")


def is_business_day(day: dt.date, *, uf: str | None = None, optional: bool = False) -> bool:
    return day.weekday() < 5 and day not in _calendar(uf.upper() if uf else None, optional)


def add_business_days(start: dt.date, n: int, *, uf: str | None = None, optional: bool = False) -> dt.date:
    """The n-th business day after ``start`` (``start`` itself never counts)."""
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day, uf=uf, optional=optional):
            left -= 1
    return day


def add_business_hours(start: dt.datetime, hours: float, *, uf: str | None = None,
                       optional: bool = False) -> dt.datetime:
    """``start`` plus ``hours`` of clock time that runs only on business days."""
    left = dt.timedelta(hours=hours)
    now = start
    while True:
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
        if is_business_day(now.date(), uf=uf, optional=optional):
            available = midnight - now
            if left <= available:
                return now + left
            left -= available
        now = midnight


def return_deadline(now: dt.datetime, *, business_days: int = 2, uf: str | None = None,
                    mode: str = "business_days", optional: bool = False) -> dt.date:
    """The date to tell the client (R8). ``uf``: also skip that state's holidays."""
    if uf and uf.upper() not in UFS:
        uf = None  # an unknown UF must not stop the run: national holidays only
    if mode == "business_hours":
        end = add_business_hours(now, 24 * business_days, uf=uf, optional=optional)
        # Complete exactly at midnight: the deadline is the business day that just ended.
        if end.time() == dt.time() and end > now:
            return (end - dt.timedelta(microseconds=1)).date()
        return end.date()
    if mode != "business_days":
        raise ValueError(f"modo de prazo desconhecido: {mode!r} (use business_days ou business_hours)")
    return add_business_days(now.date(), business_days, uf=uf, optional=optional)
