"""CNPJ check digits, numeric and alphanumeric (IN RFB 2.229/2024).

Each of the first 12 characters is worth ``ord(c) - 48`` (``0-9`` -> 0-9, ``A`` -> 17 ...
``Z`` -> 42); the two check digits stay numeric. Stripping ``\\D`` would destroy an
alphanumeric CNPJ, so cleaning removes only the mask characters.
"""

from __future__ import annotations

import re

_W1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_W2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_BODY = re.compile(r"^[0-9A-Z]{12}$")
_FULL = re.compile(r"^[0-9A-Z]{12}[0-9]{2}$")
_MASK_CHARS = re.compile(r"[\s./\-_]")


def _digit(chars: str, weights: tuple[int, ...]) -> str:
    total = sum((ord(c) - 48) * w for c, w in zip(chars, weights, strict=False))
    r = total % 11
    return "0" if r < 2 else str(11 - r)


def check_digits(body: str) -> str:
    """The two check digits for a 12-character CNPJ body."""
    body = body.upper()
    if not _BODY.match(body):
        raise ValueError(f"corpo de CNPJ inválido: {body!r}")
    first = _digit(body, _W1)
    return first + _digit(body + first, _W2)


def clean(value: str) -> str:
    """Remove the mask (dots, slash, dash, spaces), upper-case; letters are kept."""
    return _MASK_CHARS.sub("", str(value)).upper()


def is_valid(value: str) -> bool:
    cnpj = clean(value)
    if not _FULL.match(cnpj) or len(set(cnpj)) == 1:
        return False
    return check_digits(cnpj[:12]) == cnpj[12:]


def mask(value: str) -> str:
    """``12.345.678/0001-95`` (or ``12.ABC.345/01DE-35``) from any form of a CNPJ."""
    c = clean(value)
    if len(c) != 14:
        raise ValueError(f"CNPJ deve ter 14 caracteres: {value!r}")
    return f"{c[:2]}.{c[2:5]}.{c[5:8]}/{c[8:12]}-{c[12:]}"


def complete(body: str) -> str:
    """A full valid CNPJ (unmasked) from its 12-character body; used to make test data."""
    body = clean(body)
    return body + check_digits(body)
