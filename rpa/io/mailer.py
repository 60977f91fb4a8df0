"""The mailer that sends Book e-mails (built by ``rpa.procedure.books``).

Each message's ``X-RPA-Key`` (set by the caller) gives its ``Message-ID``, and the ``.eml``
written to the outbox is named after it (writing twice replaces the same file). With SMTP, a
copy of each message sent is kept in ``outbox/sent/`` under the same name and a key already
there is not sent again.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rpa.errors import InputError, SiteError
from rpa.io import atomic
from rpa.procedure.books import KEY_HEADER, message_id_for, message_key

log = logging.getLogger(__name__)

# Outbox files are private to the bot's user (client data), as mkstemp made them.
EML_MODE = 0o600
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


_URL_FORM = "smtp://usuário:senha@servidor:porta ou smtps://usuário:senha@servidor:porta"


@dataclass(frozen=True)
class SmtpTarget:
    """An ``RPA_SMTP_URL`` taken apart, user and password percent-decoded."""

    host: str
    port: int
    secure: bool
    user: str | None
    password: str


def parse_smtp_url(url: str) -> SmtpTarget:
    """``url`` as an ``SmtpTarget``; ``InputError`` in pt-BR (never quoting the URL, which holds
    the password) when it is not ``smtp[s]://user:password@host[:port]``."""
    problem = ""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts, port, problem = None, None, "a porta não é um número"
    if parts is not None and not problem:
        if parts.scheme not in ("smtp", "smtps"):
            problem = "o esquema deve ser smtp:// ou smtps://"
        elif not parts.hostname:
            problem = "falta o nome do servidor"
        elif parts.path not in ("", "/") or parts.query or parts.fragment:
            problem = "há texto depois do servidor"
    if problem or parts is None:
        raise InputError(
            f"RPA_SMTP_URL inválida ({problem}). Use {_URL_FORM}; se a senha ou o usuário tiver "
            "'/', '@', ':', '#', '?' ou '%', escreva-os codificados (%2F, %40, %3A, %23, %3F, %25).")
    secure = parts.scheme == "smtps"
    return SmtpTarget(host=parts.hostname or "", port=port or (465 if secure else 25), secure=secure,
                      user=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else "")


def open_smtp(target: SmtpTarget, *, context: ssl.SSLContext | None = None, timeout: float = 30.0) -> smtplib.SMTP:
    """A connected, greeted (EHLO, STARTTLS when offered) and authenticated SMTP client."""
    context = context or ssl.create_default_context()
    if target.secure:
        client: smtplib.SMTP = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=timeout)
    try:
        client.ehlo()
        if not target.secure and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if target.user:
            client.login(target.user, target.password)
    except BaseException:
        client.close()
        raise
    return client


def _file_name(key: str) -> str:
    safe = _SAFE_NAME.sub("_", key).strip("._")[:80] or "mensagem"
    return f"{safe}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}.eml"


class Mailer:
    """Sends through ``smtp://`` (STARTTLS when offered) or ``smtps://``; without a URL, writes ``.eml``."""

    def __init__(self, smtp_url: str | None, outbox: Path, *, ssl_context: ssl.SSLContext | None = None,
                 timeout: float = 30.0) -> None:
        self.smtp_url = smtp_url or None
        self.outbox = Path(outbox)
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.target = parse_smtp_url(self.smtp_url) if self.smtp_url else None

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
            atomic.write_bytes(path, bytes(msg), mode=EML_MODE)
            return str(path)
        if self.already_sent(key):
            log.info("Book %s já enviado; não será reenviado", key)
            return "smtp"
        self._smtp_send(msg)
        atomic.write_bytes(self.outbox_path(key, sent=True), bytes(msg), mode=EML_MODE)
        return "smtp"

    def _smtp_send(self, msg: EmailMessage) -> None:
        target = self.target
        assert target is not None  # send() calls this only with a URL
        try:
            with open_smtp(target, context=self.ssl_context, timeout=self.timeout) as client:
                client.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            # Never echo the URL: it holds the password.
            raise SiteError(f"Falha ao enviar o e-mail \"{msg.get('Subject', '')}\" pelo servidor SMTP "
                            f"{target.host}:{target.port}: {exc}", host=target.host, port=target.port) from exc
