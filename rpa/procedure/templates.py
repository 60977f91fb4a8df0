"""Render the texts the bot writes (Zendesk notes and replies, Book e-mails) from the
catalogue's ``templates.toml`` (``Catalogs.templates``). Rendering is deterministic: the runner
recognises a note it already wrote by comparing texts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

import jinja2

from rpa.procedure.catalogs import Catalogs
from rpa.procedure.rows import Address, Row

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          autoescape=False, keep_trailing_newline=False)
_BLANK_RUNS = re.compile(r"\n{3,}")


@lru_cache(maxsize=128)
def _compile(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def _template(catalogs: Catalogs, section: str, key: str, fallback: str | None = None) -> str:
    texts = catalogs.templates.get(section, {})
    if key in texts:
        return texts[key]
    if fallback is not None and fallback in texts:
        return texts[fallback]
    raise KeyError(f"templates.toml: falta o texto [{section}] {key}")


def render(source: str, **context: object) -> str:
    """Render a template; trailing spaces and extra blank lines removed."""
    text = _compile(source).render(**context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines))


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_address(address: Address) -> str:
    return address.one_line() or "(não informado)"


def _join_pt(items: list[str]) -> str:
    """"a", "a e b", "a, b e c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " e " + items[-1]


def _equipment_phrase(rows: list[Row]) -> str:
    serials = [r.serial for r in rows]
    if len(serials) == 1:
        return f"o equipamento de número de série {serials[0]}"
    return f"os equipamentos de números de série {_join_pt(serials)}"


def _row_context(row: Row) -> dict[str, object]:
    return {
        "cnpj": row.cnpj_masked, "razao_social": row.razao_social, "nome": row.nome_cliente, "email": row.email,
        "telefone": row.telefone, "serial": row.serial, "defeito": row.defeito, "ticket": row.ticket or "",
        "endereco_informado": format_address(row.address), "row_number": row.row_number,
    }


def _request_context(rows: list[Row], code: str, os_numbers: list[str], deadline: dt.date | None,
                     pending: Sequence[Row] = ()) -> dict[str, object]:
    """``rows``: the equipment the text is about; ``pending``: in an OK text, the equipment of the
    same request that waits for the registration department (R8) instead."""
    if not rows:
        raise ValueError("texto sem linhas: informe ao menos uma linha da solicitação")
    first = rows[0]
    return {
        **_row_context(first),
        "endereco_informado": format_address((pending[0] if pending else first).address),
        "pending_serials": ", ".join(r.serial for r in pending),
        "code": code,
        "rows": rows,
        "os_numbers": list(os_numbers),
        "os_list": ", ".join(os_numbers),
        "serials": ", ".join(r.serial for r in rows),
        "equipamentos": _equipment_phrase(rows),
        "deadline": _date(deadline),
    }


def subject(row: Row, catalogs: Catalogs) -> str:
    """R15 default Assunto ("Abertura de O.S. – {razão social} – {defeito}")."""
    return render(_template(catalogs, "zendesk", "subject"), **_row_context(row))


def internal_note(rows: list[Row], *, code: str, os_numbers: list[str], deadline: dt.date | None,
                  books: list[str], catalogs: Catalogs, marker: str | None = None,
                  pending: Sequence[Row] = ()) -> str:
    """R1/R12: CNPJ (masked) and Razão Social, plus what was done (O.S., books, deadline)."""
    source = _template(catalogs, "internal_note", code, fallback="default")
    return render(source, **_request_context(rows, code, os_numbers, deadline, pending), books=list(books),
                  marker=marker or "")


def public_reply(rows: list[Row], *, code: str, os_numbers: list[str], deadline: dt.date | None,
                 catalogs: Catalogs, pending: Sequence[Row] = ()) -> str:
    """R11 (O.S. numbers) / R8 (wait for the registration department until the deadline)."""
    source = _template(catalogs, "public_reply", code)
    return render(source, **_request_context(rows, code, os_numbers, deadline, pending))


def creation_note(row: Row, marker: str, catalogs: Catalogs) -> str:
    """First internal note of a ticket the bot creates: CNPJ, Razão Social and the marker."""
    return render(_template(catalogs, "creation_note", "text"), **_row_context(row), marker=marker)


def book_texts(kind: str, catalogs: Catalogs, **context: object) -> tuple[str, str]:
    """``(subject, body)`` of a Book e-mail (``kind``: "book_cadastro" | "book_cortesia")."""
    return (render(_template(catalogs, kind, "subject"), **context),
            render(_template(catalogs, kind, "body"), **context))


def row_context(row: Row) -> dict[str, object]:
    """The variables every template gets for one row (for Book e-mails)."""
    return _row_context(row)
