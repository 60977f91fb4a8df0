"""Book e-mails (R8 registration change, R10 courtesy) and the mailer that sends them.

The caller sets the header ``X-RPA-Key`` (a stable name of the side effect): the
``Message-ID`` is derived from it, so a resent Book can be recognised by the receiving
mailbox, and the ``.eml`` written to the outbox is named after it (writing twice replaces
the same file). With SMTP, a copy of each message sent is kept in ``outbox/sent/`` under the
same name and a key already there is not sent again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rpa.errors import InputError, SiteError
from rpa.procedure.rows import Address, Row
from rpa.procedure.templates import book_texts, format_address, row_context

log = logging.getLogger(__name__)

KEY_HEADER = "X-RPA-Key"
MESSAGE_ID_DOMAIN = "rpa.bematech.local"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _message(subject: str, body: str, *, to: str, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg.set_content(body + "\n", charset="utf-8")
    return msg


def book_cadastro(row: Row, registered: Address, *, to: str, sender: str) -> EmailMessage:
    """R8: Razão Social, CNPJ, Nome do Cliente, Endereço (informado e cadastrado), E-mail, Telefone, Série."""
    context = {**row_context(row), "endereco_cadastrado": format_address(registered)}
    subject, body = book_texts("book_cadastro", **context)
    return _message(subject, body, to=to, sender=sender)


def book_cortesia(row: Row, os_number: str, ticket: str, *, to: str, sender: str) -> EmailMessage:
    """R10: the same client data, the address, the serial, the O.S. number (and the ticket)."""
    context = {**row_context(row), "endereco": format_address(row.address), "os_number": os_number,
               "ticket": ticket}
    subject, body = book_texts("book_cortesia", **context)
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


def _file_name(key: str) -> str:
    safe = _SAFE_NAME.sub("_", key).strip("._")[:80] or "mensagem"
    return f"{safe}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}.eml"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Mailer:
    """Sends through ``smtp://`` (STARTTLS when offered) or ``smtps://``; without a URL, writes ``.eml``."""

    def __init__(self, smtp_url: str | None, outbox: Path, *, ssl_context: ssl.SSLContext | None = None,
                 timeout: float = 30.0) -> None:
        self.smtp_url = smtp_url or None
        self.outbox = Path(outbox)
        self.ssl_context = ssl_context
        self.timeout = timeout
        if self.smtp_url:
            parts = urlsplit(self.smtp_url)
            if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
                raise InputError("RPA_SMTP_URL inválida: use smtp://usuário:senha@servidor:porta ou smtps://…")

    def _prepare(self, msg: EmailMessage) -> str:
        key = message_key(msg)
        del msg[KEY_HEADER]
        msg[KEY_HEADER] = key
        del msg["Message-ID"]
        msg["Message-ID"] = message_id_for(key)
        if "Date" not in msg:
            msg["Date"] = formatdate(localtime=True)
        return key

    def outbox_path(self, key: str, *, sent: bool = False) -> Path:
        return (self.outbox / "sent" if sent else self.outbox) / _file_name(key)

    def already_sent(self, key: str) -> bool:
        return self.outbox_path(key, sent=True).exists()

    def send(self, msg: EmailMessage) -> str:
        """``"smtp"`` when handed to the server, else the path of the ``.eml`` written."""
        key = self._prepare(msg)
        if not self.smtp_url:
            path = self.outbox_path(key)
            _write_atomic(path, bytes(msg))
            return str(path)
        if self.already_sent(key):
            log.info("Book %s já enviado; não será reenviado", key)
            return "smtp"
        self._smtp_send(msg)
        _write_atomic(self.outbox_path(key, sent=True), bytes(msg))
        return "smtp"

    def _smtp_send(self, msg: EmailMessage) -> None:
        parts = urlsplit(self.smtp_url)
        host = parts.hostname
        secure = parts.scheme == "smtps"
        port = parts.port or (465 if secure else 25)
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else ""
        context = self.ssl_context or ssl.create_default_context()
        try:
            if secure:
                client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=context)
            else:
                client = smtplib.SMTP(host, port, timeout=self.timeout)
            with client:
                client.ehlo()
                if not secure and client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                if user:
                    client.login(user, password)
                client.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            # Never echo the URL: it holds the password.
            raise SiteError(f"Falha ao enviar o e-mail \"{msg.get('Subject', '')}\" pelo servidor SMTP "
                            f"{host}:{port}: {exc}", host=host, port=port) from exc
