"""Which request and equipment a spreadsheet row is, whatever its row number.

A result belongs to a row's identity, never to its position: between a stopped run and its
rerun the operator may insert, delete and sort rows. The identity is the request's
Solicitação (or, without one, the client's CNPJ digits) and the equipment's serial, as the
procedure reads them (spaces removed, upper case). The Ticket column takes no part: the bot
itself writes it. Two rows with the same identity are told apart by their order
(``#2``, ``#3``...).
"""

from __future__ import annotations

import hashlib
import re

from rpa.procedure.columns import RESULT_COLUMNS
from rpa.procedure.normalize import clean_spaces, digits
from rpa.procedure.sheet import Sheet, SheetRow


def row_identity(row: SheetRow) -> str:
    """``<solicitação or cnpj:digits>|<serial>`` of one row (without the duplicate counter)."""
    sol = clean_spaces(row.values.get("Solicitação", "")).upper()
    owner = sol or "cnpj:" + digits(row.values.get("CNPJ", ""))
    serial = re.sub(r"\s+", "", row.values.get("Número de Série", "")).upper()
    return f"{owner}|{serial}"


def sheet_identities(sheet: Sheet) -> dict[int, str]:
    """Row number -> identity, unique within the sheet."""
    seen: dict[str, int] = {}
    out = {}
    for row in sheet.rows:
        base = row_identity(row)
        seen[base] = seen.get(base, 0) + 1
        out[row.row_number] = base if seen[base] == 1 else f"{base}#{seen[base]}"
    return out


def row_fingerprint(row: SheetRow) -> str:
    """Hash of a row's input cells: tells an operator's edit from the row as it was processed."""
    values = sorted((k, v.strip()) for k, v in row.values.items() if k not in RESULT_COLUMNS)
    return hashlib.sha1(repr(values).encode()).hexdigest()
