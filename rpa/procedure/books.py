"""Book e-mails (R8 registration change, R10 courtesy): what they say and how they are named.

The caller sets the header ``X-RPA-Key`` (a stable name of the side effect): the
``Message-ID`` is derived from it, so a resent Book can be recognised by the receiving
mailbox. Sending (SMTP or the ``.eml`` outbox) is ``rpa.io.mailer``'s.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from enum import StrEnum

from rpa.procedure.catalogs import Catalogs
from rpa.procedure.rows import Address, Row
from rpa.procedure.templates import book_texts, format_address, row_context

KEY_HEADER = "X-RPA-Key"
MESSAGE_ID_DOMAIN = "rpa.bematech.local"


class Book(StrEnum):
    """The two Books, named as their sections in ``templates.toml``."""

    CADASTRO = "book_cadastro"    # R8: the registration department changes the address
    CORTESIA = "book_cortesia"    # R10: the courtesy department is told of the O.S.


def _message(subject: str, body: str, *, to: str, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg.set_content(body + "\n", charset="utf-8")
    return msg


def book_cadastro(row: Row, registered: Address, *, to: str, sender: str, catalogs: Catalogs) -> EmailMessage:
    """R8: Razão Social, CNPJ, Nome do Cliente, Endereço (informado e cadastrado), E-mail, Telefone, Série."""
    context = {**row_context(row), "endereco_cadastrado": format_address(registered)}
    subject, body = book_texts(Book.CADASTRO, catalogs, **context)
    return _message(subject, body, to=to, sender=sender)


def book_cortesia(row: Row, os_number: str, ticket: str, *, to: str, sender: str,
                  catalogs: Catalogs) -> EmailMessage:
    """R10: the same client data, the address, the serial, the O.S. number (and the ticket)."""
    context = {**row_context(row), "endereco": format_address(row.address), "os_number": os_number,
               "ticket": ticket}
    subject, body = book_texts(Book.CORTESIA, catalogs, **context)
    return _message(subject, body, to=to, sender=sender)


def message_key(msg: EmailMessage) -> str:
    """The message's ``X-RPA-Key`` (the last one set wins); else a hash of its content."""
    keys = msg.get_all(KEY_HEADER) or []
    if keys:
        return str(keys[-1]).strip()
    basis = "\n".join([str(msg.get("To", "")), str(msg.get("Subject", "")), msg.get_content()])
    return "msg-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def message_id_for(key: str) -> str:
    return f"<{hashlib.sha1(key.encode('utf-8')).hexdigest()[:32]}@{MESSAGE_ID_DOMAIN}>"
