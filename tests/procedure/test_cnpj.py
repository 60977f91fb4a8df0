"""CNPJ check digits, numeric and alphanumeric, against python-stdnum."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.br import cnpj as stdnum_cnpj

from rpa.procedure import cnpj

BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
numeric_bodies = st.text(alphabet="0123456789", min_size=12, max_size=12)
alnum_bodies = st.text(alphabet=BODY_CHARS, min_size=12, max_size=12)


def _not_repeated(value: str) -> bool:
    return len(set(value)) > 1


class TestKnownValues:
    """Official examples."""

    def test_official_examples(self):
        """11.222.333/0001-81 and 12.ABC.345/01DE-35 are valid; masks round-trip."""
        assert cnpj.is_valid("11.222.333/0001-81")
        assert cnpj.is_valid("12.ABC.345/01DE-35")
        assert cnpj.mask("12abc34501de35") == "12.ABC.345/01DE-35"

    def test_repeated_digits_are_invalid(self):
        """00000000000000 passes the arithmetic but is not a CNPJ."""
        assert not cnpj.is_valid("00.000.000/0000-00")


class TestProperties:
    """Any body completed is valid; any single change breaks it; stdnum agrees."""

    @settings(max_examples=300, deadline=None)
    @given(alnum_bodies)
    def test_completed_bodies_are_valid_and_agree_with_stdnum(self, body):
        """complete(body) passes our check and python-stdnum's."""
        full = cnpj.complete(body)
        if _not_repeated(full):
            assert cnpj.is_valid(full)
            assert stdnum_cnpj.is_valid(full)
            assert cnpj.check_digits(body) == stdnum_cnpj.calc_check_digits(body)

    @settings(max_examples=300, deadline=None)
    @given(alnum_bodies, st.integers(min_value=12, max_value=13), st.sampled_from("0123456789"))
    def test_any_check_digit_change_fails(self, body, position, digit):
        """Changing either check digit is always detected."""
        full = cnpj.complete(body)
        assume(digit != full[position])
        changed = full[:position] + digit + full[position + 1:]
        assert not cnpj.is_valid(changed) and not stdnum_cnpj.is_valid(changed)

    @settings(max_examples=300, deadline=None)
    @given(numeric_bodies, st.integers(min_value=0, max_value=11), st.sampled_from("0123456789"))
    def test_any_numeric_body_change_fails(self, body, position, digit):
        """A numeric CNPJ: any one-digit change is detected (check digits 00 excepted, see blind spots)."""
        full = cnpj.complete(body)
        assume(digit != full[position] and full[12:] != "00")
        changed = full[:position] + digit + full[position + 1:]
        assert not cnpj.is_valid(changed) and not stdnum_cnpj.is_valid(changed)

    @settings(max_examples=300, deadline=None)
    @given(alnum_bodies, st.integers(min_value=0, max_value=11), st.sampled_from(BODY_CHARS))
    def test_any_alphanumeric_body_change_fails(self, body, position, char):
        """Alphanumeric: detected unless the values differ by a multiple of 11 (see blind spots)."""
        full = cnpj.complete(body)
        assume(char != full[position] and full[12:] != "00")
        assume((ord(char) - ord(full[position])) % 11 != 0)
        changed = full[:position] + char + full[position + 1:]
        assert not cnpj.is_valid(changed) and not stdnum_cnpj.is_valid(changed)


class TestBlindSpots:
    """What the official algorithm cannot see: we agree with stdnum rather than invent a stricter rule."""

    def test_remainders_zero_and_one_both_give_digit_zero(self):
        """Check digits 00: two numeric CNPJs one digit apart can both be valid."""
        assert cnpj.is_valid("71046563414800") and cnpj.is_valid("51046563414800")
        assert stdnum_cnpj.is_valid("71046563414800") and stdnum_cnpj.is_valid("51046563414800")

    def test_characters_eleven_apart_are_indistinguishable(self):
        """'6' (6) and 'A' (17) weigh the same modulo 11: swapping one for the other keeps the digits."""
        body = "12ABC3450106"
        other = body[:-1] + "A"
        assert cnpj.check_digits(body) == cnpj.check_digits(other)
        assert stdnum_cnpj.calc_check_digits(body) == stdnum_cnpj.calc_check_digits(other)

    @settings(max_examples=200, deadline=None)
    @given(numeric_bodies)
    def test_mask_and_clean_round_trip(self, body):
        """mask() then clean() gives the canonical 14 characters back."""
        full = cnpj.complete(body)
        assert cnpj.clean(cnpj.mask(full)) == full

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=BODY_CHARS + "./- ", max_size=20))
    def test_our_verdict_matches_stdnum_on_arbitrary_text(self, text):
        """Whatever the input, our is_valid agrees with stdnum's on cleaned 14-character values."""
        clean = cnpj.clean(text)
        if len(clean) == 14:
            assert cnpj.is_valid(clean) == stdnum_cnpj.is_valid(clean)
