"""``rpa run`` refuses to start for real: each failure of the start-up check gives exit 2, one
pt-BR message, no traceback, the reason in the JSONL log, and the workbook byte-identical
(no backup, no rewrite). A sheet whose rows need no site runs with no browser and no site."""

from __future__ import annotations

import http.server
import json
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import trustme

from fakesite.sample import bulk_rows, write_xlsx
from fakesite.seed import default_seed
from fakesite.server import free_port
from tests.e2e.harness import read_results

RPA = [sys.executable, "-m", "rpa.cli"]
PASSWORDS = {"RPA_WORKFINITY_PASSWORD": "Wf-S3cr3t-start", "RPA_ZENDESK_PASSWORD": "Zd-S3cr3t-start"}


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(PASSWORDS, RPA_RUNS_DIR=str(tmp_path / "runs"), RPA_RECORDINGS_DIR=str(tmp_path / "recordings"),
               RPA_OUTBOX_DIR=str(tmp_path / "outbox"), RPA_RECORD="off")
    env.update(extra)
    return env


def site_book(tmp_path: Path) -> Path:
    """One request the sites must handle."""
    return write_xlsx(bulk_rows(default_seed(), 1), tmp_path / "planilha.xlsx")


def site_free_book(tmp_path: Path) -> Path:
    """Two rows the rules decide alone: an invalid CNPJ and a missing serial."""
    rows = bulk_rows(default_seed(), 2)
    rows[0]["CNPJ"] = "11.111.111/1111-11"
    rows[1]["Número de Série"] = ""
    return write_xlsx(rows, tmp_path / "sem-sites.xlsx")


def run(tmp_path: Path, book: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*RPA, "run", str(book)], capture_output=True, text=True, cwd=tmp_path,
                          env=env_for(tmp_path, **env), timeout=180)


def screen(result: subprocess.CompletedProcess) -> str:
    """stderr as one line (rich wraps at 80 columns)."""
    return " ".join(result.stderr.split())


def assert_refused(tmp_path: Path, book: Path, *expected: str, log: bool = True, **env: str) -> str:
    before = {p.name: p.read_bytes() for p in book.parent.iterdir() if p.is_file()}
    result = run(tmp_path, book, **env)
    text = screen(result)
    assert result.returncode == 2, text
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "Não foi possível iniciar" in text
    for part in expected:
        assert part in text, f"{part!r} not in {text!r}"
    after = {p.name: p.read_bytes() for p in book.parent.iterdir() if p.is_file()}
    assert after == before, "the workbook was rewritten or backed up"
    if log:
        events = [json.loads(line) for f in (tmp_path / "runs" / "logs").glob("*.jsonl")
                  for line in f.read_text(encoding="utf-8").splitlines()]
        refused = [e for e in events if e["event"] == "run_refused"]
        assert len(refused) == 1 and expected[0] in refused[0]["error"]
    for secret in PASSWORDS.values():
        assert secret not in result.stderr
    return text


# -- local servers that misbehave ------------------------------------------------------------


class _Answer(http.server.BaseHTTPRequestHandler):
    status = 502
    body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


class _PortalPage(_Answer):
    status = 200
    body = b"<html><body><h1>Portal corporativo</h1><a href='/'>Entrar</a></body></html>"


class _LoginPage(_Answer):
    status = 200
    body = b'<form><input id="username"><input id="password" type="password"></form>'


@contextmanager
def serve(handler: type[http.server.BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# -- the failures ----------------------------------------------------------------------------


class TestSitesAtStart:
    def test_proxy_answering_502(self, tmp_path):
        with serve(_Answer) as url:
            assert_refused(tmp_path, site_book(tmp_path), "Workfinity", "respondeu 502 Bad Gateway",
                           RPA_WORKFINITY_URL=url + "/osmanager-tenant")

    def test_unresolvable_name(self, tmp_path):
        assert_refused(tmp_path, site_book(tmp_path), "Workfinity", "nome não encontrado (DNS)",
                       RPA_WORKFINITY_URL="http://workfinity.rpa-teste.invalid/osmanager-tenant")

    def test_closed_port(self, fake, tmp_path):
        assert_refused(tmp_path, site_book(tmp_path), "Zendesk", "conexão recusada",
                       RPA_WORKFINITY_URL=fake.workfinity_url, RPA_ZENDESK_URL=f"http://127.0.0.1:{free_port()}")

    def test_self_signed_certificate(self, tmp_path):
        ca = trustme.CA()  # a CA nobody trusts: the certificate it signs is as good as self-signed
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        with serve(_LoginPage, tls=context) as url:
            assert_refused(tmp_path, site_book(tmp_path), "Workfinity", "certificado TLS inválido",
                           RPA_WORKFINITY_URL=url)

    def test_path_that_404s(self, fake, tmp_path):
        assert_refused(tmp_path, site_book(tmp_path), "Workfinity", "respondeu 404",
                       RPA_WORKFINITY_URL=fake.workfinity_url + "/outro-caminho", RPA_ZENDESK_URL=fake.zendesk_url)

    def test_page_that_is_not_the_login(self, tmp_path):
        with serve(_PortalPage) as url:
            assert_refused(tmp_path, site_book(tmp_path), "Workfinity",
                           "a página não é a de login do Workfinity", RPA_WORKFINITY_URL=url)


    def test_server_that_never_answers(self, tmp_path):
        import socket

        with socket.socket() as silent:  # accepts connections (the kernel does), never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            port = silent.getsockname()[1]
            assert_refused(tmp_path, site_book(tmp_path), "Workfinity", "não respondeu a tempo",
                           RPA_WORKFINITY_URL=f"http://127.0.0.1:{port}/osmanager-tenant",
                           RPA_NAVIGATION_TIMEOUT_MS="1500")

    def test_address_without_scheme(self, tmp_path):
        assert_refused(tmp_path, site_book(tmp_path), "Workfinity", "não é um endereço http:// ou https://",
                       RPA_WORKFINITY_URL="workfinity.empresa.local/osmanager-tenant")


class TestMachineAtStart:
    def test_browser_that_does_not_start(self, fake, tmp_path):
        empty = tmp_path / "sem-navegadores"
        empty.mkdir()
        assert_refused(tmp_path, site_book(tmp_path), "Chromium", "não iniciou", "RPA_BROWSER_PATH",
                       RPA_WORKFINITY_URL=fake.workfinity_url, RPA_ZENDESK_URL=fake.zendesk_url,
                       RPA_BROWSER_PATH="/bin/false", PLAYWRIGHT_BROWSERS_PATH=str(empty))

    def test_runs_folder_that_cannot_be_written(self, tmp_path):
        # The tests run as root, for whom permission bits stop nothing: the runs folder's
        # parent is a regular file instead, which stops everyone.
        blocker = tmp_path / "arquivo"
        blocker.write_text("não é uma pasta", encoding="utf-8")
        text = assert_refused(tmp_path, site_book(tmp_path), "RPA_RUNS_DIR", "não pode ser criada ou gravada",
                              log=False, RPA_RUNS_DIR=str(blocker / "runs"))
        assert "run_refused" in text  # no log file possible: the reason goes to stderr

    def test_smtp_url_with_an_unencoded_slash(self, tmp_path):
        text = assert_refused(tmp_path, site_book(tmp_path), "RPA_SMTP_URL inválida", "%2F",
                              RPA_SMTP_URL="smtp://robo:Sm7pS3cret/x@mail.local:25")
        assert "Sm7pS3cret" not in text
        logged = "".join(f.read_text(encoding="utf-8") for f in (tmp_path / "runs" / "logs").glob("*"))
        assert "Sm7pS3cret" not in logged

    def test_smtp_server_down(self, fake, tmp_path):
        assert_refused(tmp_path, site_book(tmp_path), "servidor SMTP", "conexão recusada",
                       RPA_WORKFINITY_URL=fake.workfinity_url, RPA_ZENDESK_URL=fake.zendesk_url,
                       RPA_SMTP_URL=f"smtp://robo:S%2Fenha@127.0.0.1:{free_port()}")

    @pytest.mark.parametrize(("variable", "value", "expected"), [
        ("RPA_WORKERS", "quatro", "RPA_WORKERS"),
        ("RPA_RECORD", "sempre", "'on-failure', 'always' ou 'off'"),
    ])
    def test_invalid_setting_in_portuguese(self, tmp_path, variable, value, expected):
        text = assert_refused_config(tmp_path, **{variable: value})
        assert expected in text and "deve ser" in text
        assert "Input should" not in text and "validation error" not in text


def assert_refused_config(tmp_path: Path, **env: str) -> str:
    book = site_book(tmp_path)
    before = book.read_bytes()
    result = run(tmp_path, book, **env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert book.read_bytes() == before
    return screen(result)


class TestSiteFreeSheet:
    """Rows the rules decide alone are written with no browser, no site and no password."""

    def test_no_browser_no_sites_no_passwords(self, tmp_path):
        empty = tmp_path / "sem-navegadores"
        empty.mkdir()
        book = site_free_book(tmp_path)
        result = run(tmp_path, book, RPA_BROWSER_PATH="/bin/false", PLAYWRIGHT_BROWSERS_PATH=str(empty),
                     RPA_WORKFINITY_URL=f"http://127.0.0.1:{free_port()}/osmanager-tenant",
                     RPA_ZENDESK_URL="http://zendesk.rpa-teste.invalid",
                     RPA_WORKFINITY_PASSWORD="", RPA_ZENDESK_PASSWORD="")
        assert result.returncode == 0, screen(result)
        rows = read_results(book)
        assert [r["Status RPA"] for r in rows] == ["DADOS_INVALIDOS", "DADOS_INVALIDOS"]
        assert "CNPJ" in rows[0]["Mensagem RPA"] and "Número de Série" in rows[1]["Mensagem RPA"]


class TestLoginRefused:
    def test_wrong_password_leaves_the_workbook_as_it_was(self, fake, tmp_path):
        assert_refused(tmp_path, site_book(tmp_path), "login recusado",
                       RPA_WORKFINITY_URL=fake.workfinity_url, RPA_ZENDESK_URL=fake.zendesk_url,
                       RPA_WORKFINITY_USER=fake.credentials["workfinity"]["user"],
                       RPA_ZENDESK_EMAIL=fake.credentials["zendesk"]["email"])


class TestSmtpCredentials:
    def test_smtp_refusing_the_credentials(self, fake, tmp_path):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        class Inbox:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                return "250 OK"

        port = free_port()
        controller = Controller(Inbox(), hostname="127.0.0.1", port=port, ready_timeout=30, auth_require_tls=False,
                                authenticator=lambda *a: AuthResult(success=False, handled=False))
        controller.start()
        try:
            text = assert_refused(tmp_path, site_book(tmp_path), "servidor SMTP", "recusou o usuário e a senha",
                                  RPA_WORKFINITY_URL=fake.workfinity_url, RPA_ZENDESK_URL=fake.zendesk_url,
                                  RPA_SMTP_URL=f"smtp://robo:Sm%2Fp-errada@127.0.0.1:{port}")
        finally:
            controller.stop()
        assert "Sm/p-errada" not in text and "Sm%2Fp-errada" not in text
