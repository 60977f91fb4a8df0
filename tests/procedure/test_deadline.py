"""R8 deadline: two business days, national holidays, optional state holidays, both readings."""

from __future__ import annotations

import datetime as dt

import pytest

from rpa.procedure.deadline import add_business_hours, is_business_day, return_deadline


def at(y, m, d, h=10, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi)


class TestBusinessDays:
    """Default reading: the second business day after today."""

    @pytest.mark.parametrize("now,expected", [
        (at(2026, 11, 23), dt.date(2026, 11, 25)),        # Monday -> Wednesday
        (at(2026, 11, 27, 17), dt.date(2026, 12, 1)),     # Friday -> Tuesday
        (at(2026, 11, 28, 15), dt.date(2026, 12, 1)),     # Saturday -> Tuesday
        (at(2026, 11, 18), dt.date(2026, 11, 23)),        # Wed; Fri 20/11 Consciência Negra (national)
        (at(2026, 12, 23), dt.date(2026, 12, 28)),        # Christmas in between
        (at(2026, 4, 1), dt.date(2026, 4, 6)),            # Good Friday 03/04
    ])
    def test_national(self, now, expected):
        """Weekends and national holidays do not count."""
        assert return_deadline(now) == expected

    def test_state_holiday_only_with_uf(self):
        """09/07 is a São Paulo holiday: skipped only when the UF is given."""
        assert return_deadline(at(2026, 7, 8)) == dt.date(2026, 7, 10)
        assert return_deadline(at(2026, 7, 8), uf="SP") == dt.date(2026, 7, 13)
        assert return_deadline(at(2026, 7, 8), uf="RJ") == dt.date(2026, 7, 10)

    def test_unknown_uf_falls_back_to_national(self):
        """A UF that does not exist does not stop the run."""
        assert return_deadline(at(2026, 7, 8), uf="XX") == dt.date(2026, 7, 10)

    def test_carnaval_is_optional(self):
        """Carnaval (16-17/02/2026) and Ash Wednesday are pontos facultativos: counted unless optional=True."""
        assert not is_business_day(dt.date(2026, 2, 17), optional=True)
        assert is_business_day(dt.date(2026, 2, 17))
        assert return_deadline(at(2026, 2, 13)) == dt.date(2026, 2, 17)
        assert return_deadline(at(2026, 2, 13), optional=True) == dt.date(2026, 2, 20)

    def test_configurable_number_of_days(self):
        """business_days comes from the settings."""
        assert return_deadline(at(2026, 11, 23), business_days=5) == dt.date(2026, 11, 30)


class TestBusinessHours:
    """Second reading: 48 hours of clock running only on business days."""

    @pytest.mark.parametrize("now,expected", [
        (at(2026, 11, 23, 10), dt.date(2026, 11, 25)),    # Mon 10:00 -> Wed 10:00
        (at(2026, 11, 27, 10), dt.date(2026, 12, 1)),     # Fri 10:00 -> Tue 10:00
        (at(2026, 11, 28, 15), dt.date(2026, 12, 1)),     # Sat -> clock starts Mon 00:00 -> Tue 24:00
        (at(2026, 11, 19, 9), dt.date(2026, 11, 24)),     # Thu 09:00, Fri holiday -> Tue 09:00
    ])
    def test_hours(self, now, expected):
        """The date on which the 48 business hours are complete."""
        assert return_deadline(now, mode="business_hours") == expected

    def test_exact_instant(self):
        """Monday 00:00 + 48 h ends at Wednesday 00:00 (= end of Tuesday)."""
        assert add_business_hours(at(2026, 11, 23, 0), 48) == at(2026, 11, 25, 0)
        assert return_deadline(at(2026, 11, 23, 0), mode="business_hours") == dt.date(2026, 11, 24)

    def test_unknown_mode(self):
        """A typo in the mode is an error, not a silent default."""
        with pytest.raises(ValueError):
            return_deadline(at(2026, 11, 23), mode="horas")
