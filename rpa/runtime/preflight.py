"""The start-up check: what must hold before a run writes anything (workbook, backup, results).

Two steps, because what a run needs depends on its rows:

- ``check_folders`` (always, before the log file exists): the runs, recordings and outbox
  folders can be written (and are private); ``smtp_target``: the SMTP URL parses;
- ``check_remote`` (only when some request needs the sites): each site answers and shows its
  login page, Chromium launches, and the SMTP server (when set) greets and accepts the
  credentials; no e-mail is sent.

Each failure is a ``StartupCheckFailed`` with one pt-BR message naming the site or setting,
what was seen and what to check. Network errors are mapped here, once (``network_problem``).
"""

from __future__ import annotations

import errno
import re
import smtplib
import socket
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from rpa.errors import BrowserNotFound, InputError, StartupCheckFailed
from rpa.io import private
from rpa.io.mailer import SmtpTarget, open_smtp, parse_smtp_url
from rpa.settings import Settings

SITE_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Site:
    """A site as the start-up check sees it: where its login page is and how to recognise it."""

    name: str
    setting: str
    login_path: str
    markers: tuple[str, ...]  # ids the login form has (ui-contract.md)

    def url(self, base: str) -> str:
        return base.rstrip("/") + self.login_path

    def is_login_page(self, text: str) -> bool:
        return all(re.search(rf"""id\s*=\s*["']{re.escape(m)}["']""", text) for m in self.markers)


WORKFINITY = Site("Workfinity", "RPA_WORKFINITY_URL", "/login/auth", ("username", "password"))
ZENDESK = Site("Zendesk", "RPA_ZENDESK_URL", "/access/login", ("user_email", "user_password"))


# -- what went wrong on the network, in pt-BR -------------------------------------------------


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _certificate_problem(verify_message: str) -> str:
    for needle, meaning in (("self-signed", "autoassinado"), ("self signed", "autoassinado"),
                            ("expired", "expirado"), ("mismatch", "emitido para outro nome"),
                            ("local issuer", "emissor desconhecido")):
        if needle in verify_message:
            return f" ({meaning})"
    return ""


# errno -> why a folder cannot be written, in pt-BR
_FOLDER_PROBLEMS = {
    errno.ENOTDIR: "um dos caminhos é um arquivo, não uma pasta",
    errno.EEXIST: "já existe um arquivo com esse nome",
    errno.EACCES: "permissão negada",
    errno.EPERM: "operação não permitida",
    errno.EROFS: "o disco é somente leitura",
    errno.ENOSPC: "disco cheio",
    errno.ENAMETOOLONG: "caminho longo demais",
}


def network_problem(exc: BaseException) -> str:
    """What a connection error means, in the operator's words."""
    for err in _chain(exc):
        if isinstance(err, socket.gaierror):
            return "nome não encontrado (DNS)"
        if isinstance(err, ssl.SSLCertVerificationError):
            return f"certificado TLS inválido{_certificate_problem(str(err.verify_message))}"
        if isinstance(err, ssl.SSLError):
            return "erro na negociação TLS"
        if isinstance(err, ConnectionRefusedError):
            return "conexão recusada"
        if isinstance(err, (TimeoutError, socket.timeout, httpx.TimeoutException)):
            return "não respondeu a tempo"
    text = str(exc)
    for needle, meaning in (("Name or service not known", "nome não encontrado (DNS)"),
                            ("CERTIFICATE_VERIFY_FAILED", "certificado TLS inválido"),
                            ("Connection refused", "conexão recusada")):
        if needle in text:
            return meaning
    return f"erro de rede ({type(exc).__name__})"


# -- local: folders and the SMTP URL ----------------------------------------------------------


def check_folder(path: Path, setting: str, what: str) -> None:
    """``path`` exists (created private) and a file can be written in it."""
    try:
        private.make_dir(path)
        probe = Path(path) / f".rpa-teste-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = _FOLDER_PROBLEMS.get(exc.errno or 0, f"erro do sistema {exc.errno}")
        raise StartupCheckFailed(
            f"A pasta {what} ({setting} = {path}) não pode ser criada ou gravada: {reason}. "
            f"Verifique se o caminho existe, é uma pasta e o usuário do robô pode gravar nela, "
            f"ou aponte {setting} para outra pasta.") from None


def check_folders(settings: Settings) -> None:
    """The bot's folders exist, are private and can be written (before the log file exists)."""
    check_folder(settings.runs_dir, "RPA_RUNS_DIR", "de execuções")
    check_folder(settings.recordings_dir, "RPA_RECORDINGS_DIR", "de gravações")
    check_folder(settings.outbox_dir, "RPA_OUTBOX_DIR", "de saída dos e-mails")


def smtp_target(settings: Settings) -> SmtpTarget | None:
    """The SMTP URL taken apart (None when unset); the pt-BR error never quotes it."""
    if settings.smtp_url is None or not settings.smtp_url.get_secret_value():
        return None
    try:
        return parse_smtp_url(settings.smtp_url.get_secret_value())
    except InputError as exc:
        raise StartupCheckFailed(str(exc)) from None


# -- remote: sites, browser, SMTP server ------------------------------------------------------


def check_site(site: Site, base_url: str, *, timeout: float = SITE_TIMEOUT_S) -> None:
    """The site answers ``GET <login page>`` with its login form."""
    url = site.url(base_url)
    where = f"O {site.name} ({site.setting} = {base_url})"
    try:
        response = httpx.get(url, follow_redirects=True, timeout=timeout)
    except httpx.InvalidURL:
        raise StartupCheckFailed(f"{where} não é um endereço válido: use http://servidor[:porta]/caminho.") from None
    except httpx.UnsupportedProtocol:
        raise StartupCheckFailed(f"{where} não é um endereço http:// ou https://.") from None
    except httpx.HTTPError as exc:
        raise StartupCheckFailed(
            f"{where} não pôde ser acessado: {network_problem(exc)}. Verifique o endereço, a rede, "
            "o proxy e o certificado do servidor.") from None
    if response.status_code >= 400:
        raise StartupCheckFailed(
            f"{where} respondeu {response.status_code} {response.reason_phrase} em {url}. Verifique o endereço "
            "(o caminho até a aplicação) e se o site está no ar.")
    if not site.is_login_page(response.text):
        raise StartupCheckFailed(
            f"{where} respondeu, mas a página não é a de login do {site.name} ({url}). Verifique o endereço "
            "(o caminho até a aplicação) e se não há um proxy ou portal no caminho.")


def check_browser(settings: Settings) -> None:
    """Chromium launches (and is closed at once)."""
    from playwright.sync_api import sync_playwright

    from rpa.runtime.browser import BrowserChoice, bundled_chromium, launch_kwargs, resolve_browser

    choice: BrowserChoice | None = None
    try:
        with sync_playwright() as pw:
            choice = resolve_browser(settings.browser_path, bundled=bundled_chromium(pw))
            browser = pw.chromium.launch(**launch_kwargs(choice, headless=not settings.headed))
            browser.close()
    except BrowserNotFound as exc:
        raise StartupCheckFailed(str(exc)) from None
    except Exception as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise StartupCheckFailed(
            f"O navegador Chromium ({choice.describe(not settings.headed) if choice else '?'}) não iniciou. Verifique "
            f"RPA_BROWSER_PATH (hoje: {settings.browser_path or 'não definido'}) ou rode "
            "'python -m rpa.runtime.browser --check'.", detail=detail) from None


def check_smtp(target: SmtpTarget, *, timeout: float = SITE_TIMEOUT_S,
               context: ssl.SSLContext | None = None) -> None:
    """The SMTP server greets (EHLO, STARTTLS when offered) and accepts the credentials; nothing is sent."""
    where = f"O servidor SMTP (RPA_SMTP_URL, {target.host}:{target.port})"
    try:
        client = open_smtp(target, context=context, timeout=timeout)
    except smtplib.SMTPAuthenticationError:
        raise StartupCheckFailed(f"{where} recusou o usuário e a senha. Verifique as credenciais em "
                                 "RPA_SMTP_URL.") from None
    except smtplib.SMTPNotSupportedError:
        raise StartupCheckFailed(f"{where} não aceita autenticação (AUTH). Remova usuário e senha de "
                                 "RPA_SMTP_URL ou use outro servidor.") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise StartupCheckFailed(f"{where} não respondeu como esperado: {network_problem(exc)}. Verifique "
                                 "o servidor, a porta e se ele usa smtps:// ou STARTTLS.") from None
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        pass


def check_remote(settings: Settings, smtp: SmtpTarget | None) -> None:
    """Everything a run that drives the sites needs, in the order a person would check it."""
    timeout = min(SITE_TIMEOUT_S, settings.navigation_timeout_ms / 1000)  # as long as the bot would wait
    check_site(WORKFINITY, settings.workfinity_url, timeout=timeout)
    check_site(ZENDESK, settings.zendesk_url, timeout=timeout)
    check_browser(settings)
    if smtp is not None:
        check_smtp(smtp, timeout=timeout)
