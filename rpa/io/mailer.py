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
            atomic.write_bytes(path, bytes(msg), mode=EML_MODE)
            return str(path)
        if self.already_sent(key):
            log.info("Book %s já enviado; não será reenviado", key)
            return "smtp"
        self._smtp_send(msg)
        atomic.write_bytes(self.outbox_path(key, sent=True), bytes(msg), mode=EML_MODE)
        return "smtp"

    def _smtp_send(self, msg: EmailMessage) -> None:
        parts = urlsplit(self.smtp_url or "")
        host = parts.hostname or ""   # checked by __init__
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
