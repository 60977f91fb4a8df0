"""Text normalisation shared by the reader, the row model and the rules.

``fold`` is the one comparison key: headers, defect keywords, client names and street names
are all matched through it, so "Razão  Social", "RAZAO SOCIAL" and "razao_social" are equal.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from holidays.countries import Brazil

# The 27 UFs (26 states and the Distrito Federal), from the package that also knows their
# holidays; it lists the city of São Paulo among the subdivisions too, hence the two letters.
UFS = tuple(code for code in Brazil.subdivisions if len(code) == 2)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
# Characters that NFKD does not decompose but people use as "o"/"a" ordinal marks.
_ORDINALS = str.maketrans({"°": "o", "º": "o", "ª": "a"})


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_ORDINALS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Comparison key: no accents, lower case, letters and digits only."""
    return _NON_ALNUM.sub("", strip_accents(str(text)).lower())


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _NON_ALNUM.split(strip_accents(text).lower()) if w)


def words(text: str) -> list[str]:
    """Accent-free lower-case words (punctuation splits words)."""
    return list(_words(str(text)))


def clean_spaces(text: str) -> str:
    """Collapse runs of whitespace (non-breaking spaces and line breaks included), strip."""
    return _SPACES.sub(" ", str(text).replace("\u00a0", " ")).strip()


def digits(text: str) -> str:
    return "".join(c for c in str(text) if c.isdigit())


def number_text(value: int | float) -> str:
    """A number as a person typed it: no ``.0``, no scientific notation."""
    if isinstance(value, bool):
        return "Sim" if value else "Não"
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):  # NaN / inf
        return ""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def date_text(value: dt.date | dt.datetime | dt.time) -> str:
    """Excel dates as a Brazilian operator reads them: dd/mm/aaaa (hh:mm when there is a time)."""
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    raise TypeError(value)


def cell_text(value: object) -> str:
    """Any cell value as the text a person sees, stripped; ``""`` for empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_spaces(value)
    if isinstance(value, (bool, int, float)):
        return number_text(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return date_text(value)
    if isinstance(value, dt.timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}"
    return clean_spaces(str(value))


_TRUE = {"sim", "s", "x", "true", "verdadeiro", "v", "1", "yes", "y"}
_FALSE = {"nao", "n", "false", "falso", "f", "0", "no", ""}


def parse_yes_no(text: str) -> bool | None:
    """Sim/Não (S/N, X, true/false, 1/0); ``None`` when the text is neither."""
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


# -- streets ---------------------------------------------------------------------------

# Abbreviations of Brazilian street types and titles, expanded before comparing two streets.
STREET_ABBREVIATIONS = {
    "av": "avenida", "avda": "avenida", "r": "rua", "rod": "rodovia", "estr": "estrada",
    "est": "estrada", "al": "alameda", "pca": "praca", "pc": "praca", "pr": "praca",
    "tv": "travessa", "trav": "travessa", "lgo": "largo", "lg": "largo", "pq": "parque",
    "vd": "viaduto", "vl": "vila", "jd": "jardim", "jdm": "jardim", "res": "residencial",
    "cond": "condominio", "qd": "quadra", "bl": "bloco", "lot": "loteamento",
    "dr": "doutor", "dra": "doutora", "prof": "professor", "profa": "professora",
    "cel": "coronel", "gen": "general", "eng": "engenheiro", "pres": "presidente",
    "sen": "senador", "dep": "deputado", "gov": "governador", "min": "ministro",
    "sta": "santa", "sto": "santo", "s": "sao", "n": "nossa", "sra": "senhora", "com": "comendador",
    "mal": "marechal", "alm": "almirante", "brig": "brigadeiro", "ten": "tenente", "cap": "capitao",
    "maj": "major", "sgt": "sargento", "pe": "padre", "d": "dom",
}
STREET_TYPES = {"rua", "avenida", "rodovia", "estrada", "alameda", "praca", "travessa", "largo",
                "parque", "viaduto", "via", "vila", "beco", "servidao", "passagem", "ladeira"}
_STOPWORDS = {"de", "da", "do", "das", "dos", "e"}


def street_key(logradouro: str) -> tuple[str, ...]:
    """Words of a street name with abbreviations expanded and connectives dropped."""
    out = [STREET_ABBREVIATIONS.get(w, w) for w in words(logradouro)]
    return tuple(w for w in out if w not in _STOPWORDS)


def streets_equal(a: str, b: str) -> bool:
    """Same street, tolerating abbreviations (Av./R./Rod./Estr.) and a missing street type."""
    ka, kb = street_key(a), street_key(b)
    if ka == kb:
        return True
    strip = lambda k: k[1:] if k and k[0] in STREET_TYPES else k  # noqa: E731
    # "Paulista" vs "Avenida Paulista": the type is often left out, but never a different one.
    if ka and kb and ka[0] in STREET_TYPES and kb[0] in STREET_TYPES:
        return False
    return bool(strip(ka)) and strip(ka) == strip(kb)


def house_number_key(numero: str) -> str:
    """``1.000`` == ``1000`` == ``nº 1000``; ``S/N`` == ``SN`` == ``sem número``."""
    key = fold(numero)
    if not key:
        return ""
    if key in ("sn", "semnumero", "snumero", "0"):
        return "sn"
    key = _NUMBER_PREFIX.sub("", key)
    return key.lstrip("0") or "0"


_NUMBER_PREFIX = re.compile(r"^(numero|num|no|n)(?=\d)")


# -- CEP -> UF ---------------------------------------------------------------------------

# Correios' CEP ranges per UF (first five digits). Used only to fill a UF left blank.
_CEP_RANGES = (
    (1000, 19999, "SP"), (20000, 28999, "RJ"), (29000, 29999, "ES"), (30000, 39999, "MG"),
    (40000, 48999, "BA"), (49000, 49999, "SE"), (50000, 56999, "PE"), (57000, 57999, "AL"),
    (58000, 58999, "PB"), (59000, 59999, "RN"), (60000, 63999, "CE"), (64000, 64999, "PI"),
    (65000, 65999, "MA"), (66000, 68899, "PA"), (68900, 68999, "AP"), (69000, 69299, "AM"),
    (69300, 69399, "RR"), (69400, 69899, "AM"), (69900, 69999, "AC"), (70000, 72799, "DF"),
    (72800, 72999, "GO"), (73000, 73699, "DF"), (73700, 76799, "GO"), (76800, 76999, "RO"),
    (77000, 77999, "TO"), (78000, 78899, "MT"), (79000, 79999, "MS"), (80000, 87999, "PR"),
    (88000, 89999, "SC"), (90000, 99999, "RS"),
)


def uf_from_cep(cep: str) -> str:
    d = digits(cep)
    if len(d) != 8:
        return ""
    prefix = int(d[:5])
    for low, high, uf in _CEP_RANGES:
        if low <= prefix <= high:
            return uf
    return ""
