"""What every Workfinity screen shares: URLs, timeouts, navigation that survives an expired
session, and the "a new document arrived" signal used after form submits.

Form submits in Workfinity replace the whole document (Grails: POST, then redirect or the
same form again). To know that the answer arrived, and not read the old page, the old
document is marked before the submit and the wait is for a document without the mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from playwright.sync_api import Locator, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.common import STALE, Credentials, evaluate_first, mark_stale, soon, wait_true, wait_unmarked_document
from pages.hooks import DEFAULT_HOOKS, HookSelectors
from rpa.errors import SessionExpired, UnexpectedPage

if TYPE_CHECKING:
    from pages.workfinity.login import WorkfinityLogin

ALERT = "[role=alert]"


def site_root(base_url: str) -> str:
    """``http://host:port/osmanager-tenant`` without a trailing slash."""
    return base_url.rstrip("/")


def mark_document(page: Page) -> None:
    """Mark the current document (and its alerts) so that what comes next can be recognized."""
    mark_stale(page, ALERT)


def new_alerts(page: Page) -> Locator:
    """Alerts that appeared after ``mark_document`` (a form refused in place, without a reload)."""
    return page.locator(f"{ALERT}:not([{STALE}])")


def wait_new_document(page: Page, timeout_ms: float, or_shown: Locator | None = None) -> None:
    """Wait until the marked document has been replaced and the new one is parsed (or, when
    given, until ``or_shown`` is visible: an answer shown without leaving the page)."""
    wait_unmarked_document(page, timeout_ms, or_shown)
    page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)


def is_ajax(response: Response) -> bool:
    return response.request.resource_type in ("xhr", "fetch")


def value_of(locator: Locator) -> str:
    """The value of a form control, or the text of anything else (read-only fields vary)."""
    return str(evaluate_first(locator, "el => el.value ?? el.textContent ?? ''")).strip()


def wait_filled(locator: Locator, timeout_ms: float) -> bool:
    """Wait until a field shows something (value or text); False if it stays empty."""
    try:
        return wait_true(locator.first, "el => (el.value ?? el.textContent ?? '').trim() !== ''", None, timeout_ms)
    except PlaywrightTimeoutError:
        return False


def named_field(page: Page, name: str, role: Literal["textbox", "combobox"] = "textbox") -> Locator:
    """A form field by role + accessible name, falling back to its label (read-only outputs)."""
    return page.get_by_role(role, name=name, exact=True).or_(page.get_by_label(name, exact=True)).first


def os_number(text: str) -> str:
    """The O.S. number in ``#tabServiceOrderId`` (which may carry a caption around it)."""
    found = re.search(r"\d{6,}", text)
    return found.group(0) if found else text.strip()


def cnpj_key(text: str) -> str:
    """A CNPJ's letters and digits, upper-case: two CNPJs are the same when their keys are."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def masked_cnpj(text: str) -> str:
    """``12.ABC.345/01DE-35`` from any form of a 14-character CNPJ (no check); other text stripped."""
    key = cnpj_key(text)
    return f"{key[:2]}.{key[2:5]}.{key[5:8]}/{key[8:12]}-{key[12:]}" if len(key) == 14 else text.strip()


# For each element: its id, the names its labels give it, its value (or text) and, for a
# select, its selected (value, text); what ``read_at_once`` tells the fields apart by.
_FIELDS_JS = """els => els.map(el => {
  const norm = t => (t || '').replace(/\\s+/g, ' ').trim();
  const text = node => { const c = node.cloneNode(true);
    c.querySelectorAll('input, select, textarea').forEach(n => n.remove()); return norm(c.textContent); };
  const names = [norm(el.getAttribute('aria-label')), ...[...(el.labels || [])].map(text)];
  const by = el.getAttribute('aria-labelledby');
  if (by) names.push(norm(by.split(/\\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ')));
  const select = el.matches('select')
    ? (el.selectedIndex >= 0 ? [el.value, el.options[el.selectedIndex].text] : ['', '']) : null;
  return {id: el.id, names: names.filter(Boolean), value: String(el.value ?? el.textContent ?? ''), select};
})"""


@dataclass(frozen=True)
class FieldKey:
    """One field to read with ``read_at_once``: its locator, and the id or the label name that
    tells its element apart from the others'."""

    locator: Locator
    id: str | None = None
    name: str | None = None


def hook_key(hooks: HookSelectors, hook: str, locator: Locator) -> FieldKey | None:
    """The ``FieldKey`` of a hook whose selector is an id or a role with an exact name (the
    built-in forms); None for any other selector (an operator's override, say)."""
    selector = hooks(hook)
    if found := re.fullmatch(r"#([\w-]+)", selector):
        return FieldKey(locator, id=found.group(1))
    if found := re.fullmatch(r'internal:role=\w+\[name="([^"]+)"s\]', selector):
        return FieldKey(locator, name=found.group(1))
    return None


def read_at_once(fields: dict[str, FieldKey | None]) -> dict[str, tuple[str, tuple[str, str] | None]] | None:
    """(value, select's (value, text) or None) of every field, in one round trip: the elements
    the fields' locators match, each recognised by its key. None (read them one by one) unless
    every field matched one element of its own and each is told apart without doubt."""
    known = {field: key for field, key in fields.items() if key is not None}
    if len(known) != len(fields) or not known:
        return None
    locators = [key.locator for key in known.values()]
    union = locators[0]
    for locator in locators[1:]:
        union = union.or_(locator)
    found = union.evaluate_all(_FIELDS_JS)
    if len(found) != len(known):
        return None
    out: dict[str, tuple[str, tuple[str, str] | None]] = {}
    taken: set[int] = set()
    for field, key in known.items():
        hits = [i for i, el in enumerate(found)
                if (key.id is not None and el["id"] == key.id) or (key.name is not None and key.name in el["names"])]
        if len(hits) != 1 or hits[0] in taken:
            return None
        taken.add(hits[0])
        el = found[hits[0]]
        out[field] = (str(el["value"]).strip(),
                      (str(el["select"][0]).strip(), str(el["select"][1]).strip()) if el["select"] else None)
    return out


def selected_texts(select: Locator) -> tuple[str, str]:
    """(value, text) of the selected option of a ``<select>``; empty strings when none."""
    value, text = evaluate_first(
        select, "s => s.selectedIndex >= 0 ? [s.value, s.options[s.selectedIndex].text] : ['', '']")
    return str(value).strip(), str(text).strip()


class WorkfinityScreen:
    """Base of the screens that need a session (every screen but the login)."""

    timeout_ms: float = 30_000      # a page or an AJAX answer of the site (latency included)
    lookup_timeout_ms: float = 15_000  # the CEP lookup; past it the address is typed by hand
    settle_ms: float = 5_000        # the UI rendering an AJAX answer already received

    def __init__(self, page: Page, base_url: str, creds: Credentials, hooks: HookSelectors = DEFAULT_HOOKS) -> None:
        self.page = page
        self.root = site_root(base_url)
        self.creds = creds
        self.hooks = hooks

    def url(self, path: str) -> str:
        return self.root + path

    def _login_page(self) -> WorkfinityLogin:
        from pages.workfinity.login import WorkfinityLogin

        return WorkfinityLogin(self.page, self.root)

    def goto(self, url: str) -> None:
        """Open ``url``; if the site asks for a login (expired session), log in and come back."""
        self.page.goto(url, timeout=self.timeout_ms)
        login = self._login_page()
        if not login.is_current():
            return  # the page asked for: the usual case, told by one look at the login form
        if not self.creds.password:
            # No credentials given (the bot logs in outside traced contexts): report, don't type.
            raise SessionExpired("Sessão do Workfinity expirada.", url=url)
        login.login(self.creds)
        if not self._at(url):
            # The site should return to the requested page by itself; go there if it did not.
            self.page.goto(url, timeout=self.timeout_ms)
        if login.is_current():
            raise SessionExpired("O Workfinity voltou à tela de login logo após o login.", url=url)

    def _at(self, url: str) -> bool:
        current = self.page.url.split("#")[0]
        return current == url or current.split("?")[0] == url.split("?")[0]

    def expect_visible(self, locator: Locator, what: str) -> None:
        """Wait for ``locator``; a different page (login, error) becomes the matching error."""
        try:
            soon(lambda t: expect(locator).to_be_visible(timeout=t), self.timeout_ms)
        except AssertionError as exc:
            if self._login_page().is_current():
                raise SessionExpired(f"Sessão do Workfinity expirada ao abrir {what}.") from exc
            raise UnexpectedPage(f"Workfinity: {what} não apareceu (página {self.page.url}).") from exc
