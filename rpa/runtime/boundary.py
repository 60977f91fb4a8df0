"""The one place where Playwright's errors become the bot's (as httpx maps httpcore's).

Page objects raise ``rpa.errors`` classes for what they recognise; anything else that comes
out of Playwright (a timeout, a closed target, a refused connection) is classified here and
nowhere else: whether it is worth another attempt, what it means for the attempt that met
it, and whether it means the run cannot start at all.
"""

from __future__ import annotations

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from rpa.errors import BrowserCrashed, BrowserNotFound, LoginRefused, SessionExpired, SystemError_

# Chromium's net errors that mean "no site answers at this address": the run cannot start.
_UNREACHABLE = ("ERR_CONNECTION_REFUSED", "ERR_NAME_NOT_RESOLVED", "ERR_CERT_", "ERR_SSL_", "ERR_TIMED_OUT",
                "ERR_CONNECTION_TIMED_OUT", "ERR_ADDRESS_UNREACHABLE", "ERR_INVALID_URL")


def is_retryable(exc: BaseException) -> bool:
    """True for system errors worth another attempt, Playwright's own failures included."""
    if isinstance(exc, LoginRefused):
        return False
    return isinstance(exc, (SystemError_, PlaywrightError))


def attempt_failure(exc: Exception, browser: Browser) -> Exception | None:
    """The bot's error for what ended a request attempt, or None to re-raise it as it is.

    A login page met mid-request means the session expired (page objects hold no password);
    a browser that is no longer connected crashed, whatever Playwright said about it."""
    if isinstance(exc, (SessionExpired, LoginRefused)):
        return SessionExpired(f"sessão expirada durante a solicitação: {exc}")
    if not browser.is_connected():
        return BrowserCrashed(f"o navegador caiu: {exc}")
    return None


def cannot_start(exc: BaseException) -> bool:
    """True when an error at the start of a run means it cannot run at all (exit 2)."""
    return isinstance(exc, BrowserNotFound) or any(code in str(exc) for code in _UNREACHABLE)
