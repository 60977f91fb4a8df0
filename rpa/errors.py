"""Every error the bot knows, in one place.

Business outcomes are final answers about a request: they are written to the spreadsheet and
never retried. System errors are failures of a site, the browser or the machine: they are
retried (see ``rpa.runtime.retry``) and, when retries run out, become ``ERRO_SISTEMA``.

    RpaError
    ├── InputError                  the run cannot start: bad file, bad config (exit 2)
    │   ├── SpreadsheetError          unreadable / empty / missing columns / protected
    │   ├── BrowserNotFound           no Chromium to launch (the message says what to install)
    │   ├── StartupCheckFailed        a site, the browser, a folder or the SMTP server failed the
    │   │                             start-up check (rpa.runtime.preflight)
    │   └── FlowUnreadable            a recorded flow (or its HAR) cannot be read (QA replay)
    ├── LaneStopped                 the other lane of the request failed: this one stops at its
    │                               next step (rpa.runtime.lanes; never leaves the request)
    ├── NotFoundOnSite              the site answered that nothing matches (customer, equipment,
    │                               ticket): the caller decides what that means for the row
    ├── BusinessOutcome             final outcome of a request (codes: rpa.outcomes)
    │   ├── InvalidData               DADOS_INVALIDOS
    │   ├── PendingRegistration       CADASTRO_PENDENTE (R8)
    │   ├── EscalateToManager         ESCALADO_GESTOR (R13)
    │   └── WarrantyExpired           GARANTIA_EXPIRADA (R9)
    └── SystemError_                retryable: ERRO_SISTEMA once retries run out
        ├── SiteError                 a site answered with an error
        │   ├── ServerError             Workfinity "Erro interno do servidor" page
        │   ├── SaveRejected            Zendesk error toast "Não foi possível salvar o ticket"
        │   ├── RateLimited             Zendesk rate-limit toast (carries ``retry_after``)
        │   └── ValidationRejected      the site refused a form we believed valid
        ├── SessionExpired            redirected to a login page mid-flow
        ├── LoginRefused              credentials refused (not retried: exit 2)
        ├── UnexpectedPage            the page is not what the step expected
        │   └── HookMissing             a hook of the page objects matched nothing (carries ``hook``)
        ├── VerificationFailed        a read-back (O.S. number, status badge) did not match
        └── BrowserCrashed            browser/page closed or disconnected

Playwright's own errors never leave the runtime as they are: ``rpa.runtime.boundary`` maps
them to these classes, in one place. This module imports nothing.
"""

from __future__ import annotations


class RpaError(Exception):
    """Base of every error the bot raises on purpose."""

    def __init__(self, message: str = "", **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


# -- input -----------------------------------------------------------------------------


class InputError(RpaError):
    """The run cannot start as asked: the message says what to fix."""


class SpreadsheetError(InputError):
    """A spreadsheet could not be read (missing, empty, corrupt, protected, wrong columns)."""


class BrowserNotFound(InputError):
    """No Chromium could be found; the message says what to install."""


class StartupCheckFailed(InputError):
    """The start-up check failed: the message names the site or setting, what was seen and what to check."""


class FlowUnreadable(InputError):
    """A recorded flow file (or the HAR it needs) cannot be read."""


# -- answers of a site ------------------------------------------------------------------


class LaneStopped(RpaError):
    """The request's other lane failed: this lane stops at its next step (the other error is raised)."""


class NotFoundOnSite(RpaError, LookupError):
    """The site answered that what was asked for does not exist (customer, equipment, ticket)."""


# -- business outcomes ------------------------------------------------------------------


class BusinessOutcome(RpaError):
    """A final, non-retryable outcome of a request."""


class InvalidData(BusinessOutcome):
    """The row cannot be processed as written (DADOS_INVALIDOS)."""


class PendingRegistration(BusinessOutcome):
    """Address change for a non-authorized client: goes to the registration dept (R8)."""


class EscalateToManager(BusinessOutcome):
    """More than the allowed number of equipment in one request (R13)."""


class WarrantyExpired(BusinessOutcome):
    """Quote requested on equipment whose warranty has expired (R9)."""


# -- system errors ----------------------------------------------------------------------


class SystemError_(RpaError):  # trailing underscore: do not shadow the builtin SystemError
    """A site, the browser or the machine failed; worth retrying."""


class SiteError(SystemError_):
    """A site answered with an error."""


class ServerError(SiteError):
    """Workfinity showed its 500 page."""


class SaveRejected(SiteError):
    """Zendesk showed an error toast instead of saving."""


class RateLimited(SiteError):
    """Zendesk refused because of rate limiting; ``retry_after`` seconds to wait."""

    def __init__(self, message: str = "", retry_after: float = 5.0, **context: object) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class ValidationRejected(SiteError):
    """A site refused a form the bot believed valid; ``errors`` lists what it said."""

    def __init__(self, message: str = "", errors: list[str] | None = None, **context: object) -> None:
        super().__init__(message, **context)
        self.errors = errors or []


class SessionExpired(SystemError_):
    """The site sent us to its login page in the middle of a step."""


class LoginRefused(SystemError_):
    """The site refused the configured credentials; retrying will not help."""


class UnexpectedPage(SystemError_):
    """The page is not in the state the step expected."""


class HookMissing(UnexpectedPage):
    """A hook of the page objects (``pages.hooks``) matched nothing: the site's markup may have
    changed. Carries the hook's stable name and its screen (the run's drift breaker counts them)."""

    def __init__(self, message: str = "", *, hook: str, screen: str = "", **context: object) -> None:
        super().__init__(message, hook=hook, screen=screen, **context)
        self.hook = hook
        self.screen = screen


class VerificationFailed(SystemError_):
    """A value read back after an action does not match what was done."""


class BrowserCrashed(SystemError_):
    """The browser, context or page closed or disconnected."""
