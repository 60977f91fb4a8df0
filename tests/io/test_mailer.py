"""The mailer of Book e-mails: the .eml outbox, and a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ssl
from pathlib import Path

import pytest

from fakesite.server import free_port
from rpa.errors import InputError, SiteError
from rpa.io.mailer import Mailer, parse_smtp_url
from rpa.procedure.books import KEY_HEADER, book_cadastro, book_cortesia, message_id_for
from tests.corpus.builders import CATALOGS
from tests.corpus.builders import INFORMED_ADDRESS as INFORMED
from tests.corpus.builders import REGISTERED_ADDRESS as REGISTERED
from tests.corpus.builders import valid_row as row


class TestOutbox:
    """No SMTP URL: .eml files named after the key."""

    def test_eml_written_once_per_key(self, tmp_path):
        """Sending twice with the same key writes the same file, not two."""
        mailer = Mailer(None, tmp_path / "outbox")
        first = book_cadastro(row(), REGISTERED, to="a@b.com", sender="c@d.com", catalogs=CATALOGS)
        first[KEY_HEADER] = "RPA-1-book:cadastro"
        path1 = mailer.send(first)
        again = book_cadastro(row(), REGISTERED, to="a@b.com", sender="c@d.com", catalogs=CATALOGS)
        again[KEY_HEADER] = "RPA-1-book:cadastro"
        path2 = mailer.send(again)
        assert path1 == path2 and len(list((tmp_path / "outbox").glob("*.eml"))) == 1
        parsed = email.message_from_bytes(Path(path1).read_bytes(), policy=email.policy.default)
        assert parsed["Message-ID"] == message_id_for("RPA-1-book:cadastro")
        assert parsed[KEY_HEADER] == "RPA-1-book:cadastro"
        assert Path(path1).stat().st_mode & 0o777 == 0o600  # client data: the bot's user only

    def test_message_id_is_deterministic_per_key(self, tmp_path):
        """Different keys, different files and Message-IDs; the last X-RPA-Key set wins."""
        mailer = Mailer(None, tmp_path)
        a = book_cadastro(row(), REGISTERED, to="a@b.com", sender="c@d.com", catalogs=CATALOGS)
        a[KEY_HEADER] = "old"
        a[KEY_HEADER] = "k-a"
        b = book_cadastro(row(), REGISTERED, to="a@b.com", sender="c@d.com", catalogs=CATALOGS)
        b[KEY_HEADER] = "k-b"
        pa, pb = Path(mailer.send(a)), Path(mailer.send(b))
        assert pa != pb
        assert a.get_all(KEY_HEADER) == ["k-a"] and a["Message-ID"] == message_id_for("k-a")

    def test_bad_url(self, tmp_path):
        """A URL that is not smtp:// or smtps:// is a configuration error."""
        with pytest.raises(InputError):
            Mailer("http://mail.example.com", tmp_path)


# -- a real SMTP server --------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or
                              envelope.content))
        return "250 OK"


def _authenticator(user: str, password: str):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and \
            auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    return check


def _self_signed(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) for 127.0.0.1."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return server, client


@pytest.fixture()
def smtp_server():
    """Factory: start an aiosmtpd server with the given options; stopped after the test."""
    from aiosmtpd.controller import Controller

    started = []

    def start(**kwargs):
        inbox = _Inbox()
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=30, **kwargs)
        controller.start()
        started.append(controller)
        return inbox, port

    yield start
    for c in started:
        c.stop()


class TestSmtp:
    """The message reaches a real SMTP server."""

    def test_plain_smtp_with_auth(self, smtp_server, tmp_path):
        """smtp://user:pass@host:port, no TLS offered: AUTH then the message; a copy kept in sent/."""
        inbox, port = smtp_server(authenticator=_authenticator("robo", "s3cr3t@x"), auth_require_tls=False)
        mailer = Mailer(f"smtp://robo:s3cr3t%40x@127.0.0.1:{port}", tmp_path / "outbox")
        msg = book_cadastro(row(**INFORMED), REGISTERED, to="cadastro@bematech.com.br", sender="robo@bematech.com.br",
                            catalogs=CATALOGS)
        msg[KEY_HEADER] = "RPA-9-book:cadastro"
        assert mailer.send(msg) == "smtp"
        (mail_from, rcpt, data), = inbox.messages
        assert mail_from == "robo@bematech.com.br" and rcpt == ["cadastro@bematech.com.br"]
        received = email.message_from_bytes(data, policy=email.policy.default)
        assert received["Message-ID"] == message_id_for("RPA-9-book:cadastro")
        assert "Número de Série: BE4200TH000123" in received.get_content()
        assert mailer.already_sent("RPA-9-book:cadastro")

    def test_resend_of_same_key_is_skipped(self, smtp_server, tmp_path):
        """A rerun that sends the same Book again does not deliver it twice."""
        inbox, port = smtp_server()
        mailer = Mailer(f"smtp://127.0.0.1:{port}", tmp_path / "outbox")
        for _ in range(2):
            msg = book_cortesia(row(), "2026000300", "41001", to="c@bematech.com.br", sender="r@bematech.com.br",
                                catalogs=CATALOGS)
            msg[KEY_HEADER] = "RPA-9-book:cortesia:BE4200TH000123"
            mailer.send(msg)
        assert len(inbox.messages) == 1

    def test_starttls_when_offered(self, smtp_server, tmp_path):
        """smtp:// upgrades with STARTTLS when the server offers it (the server here requires it)."""
        server_ctx, client_ctx = _self_signed(tmp_path)
        inbox, port = smtp_server(tls_context=server_ctx, require_starttls=True,
                                  authenticator=_authenticator("robo", "pw"))
        mailer = Mailer(f"smtp://robo:pw@127.0.0.1:{port}", tmp_path / "outbox", ssl_context=client_ctx)
        msg = book_cadastro(row(), REGISTERED, to="a@bematech.com.br", sender="r@bematech.com.br", catalogs=CATALOGS)
        msg[KEY_HEADER] = "tls"
        assert mailer.send(msg) == "smtp" and len(inbox.messages) == 1

    def test_smtps(self, smtp_server, tmp_path):
        """smtps:// connects with TLS from the first byte."""
        server_ctx, client_ctx = _self_signed(tmp_path)
        inbox, port = smtp_server(ssl_context=server_ctx)
        mailer = Mailer(f"smtps://127.0.0.1:{port}", tmp_path / "outbox", ssl_context=client_ctx)
        msg = book_cadastro(row(), REGISTERED, to="a@bematech.com.br", sender="r@bematech.com.br", catalogs=CATALOGS)
        msg[KEY_HEADER] = "ssl"
        assert mailer.send(msg) == "smtp" and len(inbox.messages) == 1

    def test_refused_login_is_a_site_error_without_password(self, smtp_server, tmp_path):
        """Wrong password: a retryable SiteError whose message does not contain the password."""
        _, port = smtp_server(authenticator=_authenticator("robo", "certa"), auth_require_tls=False)
        mailer = Mailer(f"smtp://robo:errada@127.0.0.1:{port}", tmp_path / "outbox")
        msg = book_cadastro(row(), REGISTERED, to="a@bematech.com.br", sender="r@bematech.com.br", catalogs=CATALOGS)
        with pytest.raises(SiteError) as info:
            mailer.send(msg)
        assert "errada" not in str(info.value)
        assert not mailer.already_sent(msg[KEY_HEADER])

    def test_server_down(self, tmp_path):
        """Nothing listening: SiteError (retryable), message in pt-BR."""
        mailer = Mailer(f"smtp://127.0.0.1:{free_port()}", tmp_path, timeout=5)
        msg = book_cadastro(row(), REGISTERED, to="a@bematech.com.br", sender="r@bematech.com.br", catalogs=CATALOGS)
        with pytest.raises(SiteError, match="Falha ao enviar"):
            mailer.send(msg)


class TestSmtpUrl:
    """``RPA_SMTP_URL`` is taken apart once, percent-decoding user and password, and refused in
    pt-BR without quoting the password when it does not parse."""

    def test_percent_encoded_credentials_are_decoded(self):
        target = parse_smtp_url("smtps://robo%40empresa:S%2Fenha%20forte%25@mail.local")
        assert (target.host, target.port, target.secure) == ("mail.local", 465, True)
        assert (target.user, target.password) == ("robo@empresa", "S/enha forte%")
        assert parse_smtp_url("smtp://mail.local:2525").port == 2525

    @pytest.mark.parametrize("url", ["smtp://robo:Sm7pS3cret/x@mail.local:25", "smtp://robo:Sm7p/S3cret@mail.local",
                                     "http://robo:Sm7pS3cret@mail.local", "smtp://robo:Sm7pS3cret@"])
    def test_bad_url_is_refused_without_the_password(self, url):
        with pytest.raises(InputError) as info:
            Mailer(url, Path("outbox"))
        message = str(info.value)
        assert message.startswith("RPA_SMTP_URL inválida") and "Sm7p" not in message and "S3cret" not in message
