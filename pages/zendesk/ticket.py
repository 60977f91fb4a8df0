"""A ticket of the Agent Workspace: new ticket, fields, composer, submit and read-back.

Every locator of a ticket is scoped to the *active* pane: the workspace keeps the panes of
all opened tickets in the DOM (hidden), with the same test ids inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages.common import (
    CLICK_POINT_JS,
    POLL_MS,
    VISIBLE_JS,
    activate,
    carries,
    evaluate_first,
    probe,
    soon,
    soon_visible,
    test_id,
    wait_true,
)
from pages.zendesk.login import EMAIL
from pages.zendesk.workspace import TOAST, TOAST_CLOSE, Workspace, exact_text, visible
from rpa.errors import (
    NotFoundOnSite,
    RateLimited,
    SaveRejected,
    SessionExpired,
    SiteError,
    UnexpectedPage,
    ValidationRejected,
    VerificationFailed,
)


class TicketStatus(StrEnum):
    """A ticket status as the site names it (test ids, submit menu), with the pt-BR label it shows."""

    label: str

    def __new__(cls, value: str, label: str) -> TicketStatus:
        status = str.__new__(cls, value)
        status._value_ = value
        status.label = label
        return status

    NEW = "new", "Novo"
    OPEN = "open", "Aberto"
    PENDING = "pending", "Pendente"
    HOLD = "hold", "Em espera"
    SOLVED = "solved", "Resolvido"
    CLOSED = "closed", "Fechado"


# status -> pt-BR label, for code that holds the status as plain text ("hold" -> "Em espera").
STATUS_LABELS: dict[str, str] = {str(s): s.label for s in TicketStatus}
SUBMITTABLE = tuple(s for s in TicketStatus if s is not TicketStatus.CLOSED)

# -- selectors of the ticket pane (contract test ids first, then role + name) ------------------
ACTIVE_PANE = '[data-test-id^="ticket-"][data-test-id$="-standard-layout"][data-is-active="true"]'
PANE_ID = re.compile(r"^ticket-(\d+)-standard-layout$")
STATUS_BADGE = '[data-test-id^="status-badge-"]'
REQUESTER = "ticket-system-field-requester-select"
SYSTEM_FIELDS = {  # read_fields key -> (test id, label)
    "brand": ("ticket-system-field-brand-select", "Marca"),
    "form": ("ticket-fields-ticket-forms", "Formulário"),
    "type": ("ticket-fields-type-select", "Tipo"),
    "priority": ("ticket-fields-priority-select", "Prioridade"),
}
CUSTOM_DROPDOWN = "ticket-form-field-dropdown-field-{id}"
CUSTOM_DROPDOWN_BUTTON = "ticket-form-field-dropdown-button"
CUSTOM_TEXT = "ticket-form-field-text-field-{id}"
CHANNEL_ITEM = "omnichannel-channel-switcher-menuitem-{channel}"
STAY_ON_TICKET = "Permanecer no ticket"
SUBMIT_ITEM = "submit_button-menu-{status}"
SPINNER = ".ticket-working-spinner"
COMMENT = "omni-log-comment-item"
ADD_USER = "Adicionar usuário"

# The composer's channel: its data-channel and aria-label tell it, in words the contract does
# not fix ("internal", "internal_note", "Observação interna"...).
_CHANNEL_JS = """el => {
  const said = ((el.getAttribute('data-channel') || '') + ' ' + (el.getAttribute('aria-label') || '')).toLowerCase();
  if (/intern|note|privad|private/.test(said)) return 'internal';
  if (/public|públic|reply|resposta/.test(said)) return 'public';
  return null;
}"""

# What a pane says for a ticket that does not exist (wording not fixed by the contract).
TICKET_NOT_FOUND = re.compile(r"não\s+(foi\s+)?encontrad|não\s+existe|inexistente|not\s+found", re.I)
SAVED_TOAST = re.compile(r"Ticket\s+#(\d+)\s+atualizado", re.I)
RATE_LIMIT_TOAST = re.compile(r"Limite de requisições excedido.*?(\d+)\s+segundo", re.I | re.S)
EMPTY_VALUES = {"", "-", "—", "–"}

# The value a control shows: an input's value, or its text without hidden or decorative parts.
_VALUE_JS = """el => {
  const input = el.matches('input, textarea, select') ? el : null;
  if (input) return input.value || '';
  const copy = el.cloneNode(true);
  copy.querySelectorAll('[aria-hidden="true"], [hidden], label, svg').forEach(n => n.remove());
  return copy.textContent || '';
}"""

# A combobox's shown value, whether it is a text control, and whether its container (a CSS
# selector, or none) is visible: what ``_choose`` needs before clicking, in one read.
_CHOOSE_JS = f"""(el, within) => {{
  const box = within ? el.closest(within) : el;
  return [({_VALUE_JS})(el), el.matches('input, textarea'), !!box && ({VISIBLE_JS})(box)];
}}"""

_TOAST_TEXT_JS = """el => {
  const copy = el.cloneNode(true);
  copy.querySelectorAll('button, [aria-hidden="true"]').forEach(n => n.remove());
  return copy.textContent || '';
}"""

# After a submit: the login form shown, the spinner shown, the first visible toast's text and
# where to click its close button (arguments: the four CSS selectors).
_AFTER_SUBMIT_JS = f"""([login, spinner, toast, close]) => {{
  const visible = {VISIBLE_JS};
  const shown = s => [...document.querySelectorAll(s)].filter(visible);
  const first = shown(toast)[0];
  const button = first && first.querySelector(close);
  return {{login: shown(login).length > 0, spinner: shown(spinner).length > 0,
          toast: first ? ({_TOAST_TEXT_JS})(first) : null,
          close: button ? ({CLICK_POINT_JS})(button) : null}};
}}"""

# An "Adicionar usuário" dialog that is gone, or shows an error.
_DIALOG_DONE_JS = """dialog => !dialog.isConnected || !dialog.checkVisibility()
  || [...dialog.querySelectorAll('[role=alert]')].some(a => a.checkVisibility() && a.textContent.trim())"""

_COMMENTS_JS = """items => items.map(item => {
  const internal = !!item.querySelector('[data-test-id="omni-log-internal-note-tag"]');
  const body = item.querySelector('[data-test-id="omni-log-message-content"]')
            || item.querySelector('[data-test-id="omni-log-item-message"]');
  let text;
  if (body) { text = body.innerText; }
  else {
    const copy = item.cloneNode(true);
    copy.querySelectorAll('[data-test-id="omni-log-internal-note-tag"], [data-test-id="omni-log-item-sender"], time')
        .forEach(n => n.remove());
    text = copy.textContent;
  }
  return { internal, body: (text || '').trim() };
})"""


@dataclass(frozen=True)
class Comment:
    public: bool
    body: str


def _clean(value: str) -> str:
    value = " ".join(value.split())
    return "" if value in EMPTY_VALUES else value


class TicketPage(Workspace):
    """One ticket at a time, always the active pane of the workspace.

    ``TicketPage(page, base_url, creds)``; ``add_comment`` fills the composer's one draft, so
    an internal note and a public reply take one ``submit_as`` each.
    """

    # -- opening ----------------------------------------------------------------------------

    def open_new_ticket(self) -> None:
        """A new ticket through the toolbar's add menu."""
        self.ensure_workspace()
        menu = probe(self.hooks.locate(self.page, "zendesk.toolbar.add_menu"))
        if menu is not None and menu.click:  # on screen and clickable now: one read
            menu.activate()
        else:
            activate(self.hooks.require(self.page, "zendesk.toolbar.add_menu", self.timeout_ms))
        activate(visible(self.hooks.locate(self.page, "zendesk.toolbar.new_ticket")).first)
        expect(self.page).to_have_url(re.compile(r"/agent/tickets/new/"), timeout=self.timeout_ms)
        soon(lambda t: expect(self._subject()).to_be_visible(timeout=t), self.timeout_ms)

    def _subject(self) -> Locator:
        return self.hooks.locate(self._pane(), "zendesk.ticket.subject")

    def open_ticket(self, ticket_id: int) -> None:
        """Open ``/agent/tickets/{id}`` (logging in again if needed) and wait until it is loaded.

        "No such ticket" needs a positive sign: the pane's alert saying so, or the ticket's
        request answered 404. A failed request (5xx), or a pane that shows neither the ticket
        nor that answer (its markup changed), is a system error, never ``NotFoundOnSite``.
        """
        for _ in range(2):
            answers: list[Response] = []

            def seen(response: Response, answers: list[Response] = answers) -> None:
                # The id as a whole number: another restored tab's ticket is no answer about this one.
                request = response.request
                if (request.resource_type in ("fetch", "xhr")
                        and re.search(rf"(?<!\d){ticket_id}(?!\d)", request.url + (request.post_data or ""))):
                    answers.append(response)

            self.page.on("response", seen)
            try:
                self.goto(f"/agent/tickets/{ticket_id}")
                pane = self.page.locator(f'[data-test-id="ticket-{ticket_id}-standard-layout"][data-is-active="true"]')
                badge = visible(pane.locator(STATUS_BADGE))
                alerts = visible(pane.get_by_role("alert"))
                missing = alerts.filter(has_text=TICKET_NOT_FOUND)
                try:
                    soon_visible(badge.or_(alerts).or_(self.login_form()).first, self.timeout_ms)
                    # An alert may be about something else: the ticket or a "not found" may still come.
                    soon_visible(badge.or_(missing).or_(self.login_form()).first, self.settle_ms)
                except AssertionError:
                    pass  # decided below, from what the page and the requests said
            finally:
                self.page.remove_listener("response", seen)
            if self.login.is_current():
                self.log_in_again()  # the session expired while the ticket was loading
                continue
            if badge.count():
                return
            if any(r.status >= 500 for r in answers):
                raise SiteError(f"O Zendesk falhou ao carregar o ticket #{ticket_id}.")
            if missing.count() or any(r.status == 404 for r in answers):
                raise NotFoundOnSite(f"O ticket #{ticket_id} não existe no Zendesk")
            shown = " ".join(" ".join(alerts.all_inner_texts()).split())
            raise UnexpectedPage(f"O ticket #{ticket_id} não abriu no Zendesk" + (f": {shown}" if shown else ""))
        raise SessionExpired(f"A sessão do Zendesk expirou ao abrir o ticket #{ticket_id}")

    def ticket_id(self) -> int | None:
        """Id of the active pane's ticket; None for an unsaved new ticket or no open ticket."""
        pane = probe(self.page.locator(ACTIVE_PANE), "el => el.getAttribute('data-test-id')")
        if pane is None:
            return None
        match = PANE_ID.match(pane.value or "")
        return int(match.group(1)) if match else None

    # -- fields -----------------------------------------------------------------------------

    def set_requester(self, email: str, name: str) -> None:
        """Pick the user with this e-mail, or add it through "Adicionar usuário".

        Another agent (or another worker of this bot) may add the same user between the search
        and "Adicionar": the add is then refused, and a second search finds the user."""
        for may_fail in (True, False):
            if self._pick_requester(email, name, may_fail=may_fail):
                break
        soon(lambda t: expect(visible(self.page.get_by_role("option"))).to_have_count(0, timeout=t), self.settle_ms)

    def _pick_requester(self, email: str, name: str, *, may_fail: bool) -> bool:
        """Search ``email`` in the requester field and pick it; True when it is set."""
        control = self._control(self._pane(), REQUESTER, "Solicitante")
        activate(control)
        box = self._typing_target(control)
        try:
            with self.page.expect_response(lambda r: self._carries(r, email), timeout=self.timeout_ms):
                box.fill(email)
        except PlaywrightTimeout:
            pass  # a combobox that filters without asking the server: the options are already there
        options = visible(self.page.get_by_role("option"))
        by_email = options.filter(has_text=email)
        # Options that show only the name: the answer to a search by this e-mail, if unambiguous.
        by_name = options.filter(has_text=exact_text(name))
        add = options.filter(has_text=ADD_USER)
        try:
            soon(lambda t: expect(by_email.or_(by_name).or_(add).or_(self.login_form()).first).to_be_visible(
                timeout=t), self.timeout_ms)
        except AssertionError as exc:
            raise UnexpectedPage("O campo Solicitante não mostrou opções") from exc
        if self.login.is_current():
            raise SessionExpired("A sessão do Zendesk expirou ao pesquisar o solicitante")
        listed = probe(by_email)  # there, and where to click it, in one read
        if listed is not None:
            listed.activate()
            return True
        if by_name.count() == 1:
            activate(by_name)
            return True
        activate(add.first)
        return self._add_user(email, name, may_fail=may_fail)

    def _add_user(self, email: str, name: str, *, may_fail: bool) -> bool:
        """Fill and send the "Adicionar usuário" dialog. A refusal closes the dialog and returns
        False when ``may_fail`` (the caller searches again), else raises ``ValidationRejected``."""
        dialog = self.page.get_by_role("dialog", name=ADD_USER)
        soon(lambda t: expect(dialog).to_be_visible(timeout=t), self.settle_ms)
        dialog.get_by_role("textbox", name="Nome", exact=True).fill(name)
        dialog.get_by_role("textbox", name="E-mail", exact=True).fill(email)
        handle = dialog.element_handle(timeout=self.settle_ms)  # taken before it can disappear
        activate(dialog.get_by_role("button", name="Adicionar", exact=True))
        # Closed (added) or an error shown in it: whichever comes first.
        try:
            self.page.wait_for_function(_DIALOG_DONE_JS, arg=handle, timeout=self.timeout_ms, polling=POLL_MS)
        except PlaywrightTimeout as exc:
            raise UnexpectedPage(f"Adicionar usuário {email}: o Zendesk não respondeu") from exc
        finally:
            handle.dispose()
        still = probe(dialog)
        if still is None or not still.visible:
            return True
        alert = visible(dialog.get_by_role("alert"))
        reason = alert.first.inner_text().strip() if alert.count() else "o usuário não foi criado"
        cancel = dialog.get_by_role("button", name="Cancelar")
        if cancel.count():
            activate(cancel)
        else:
            self.page.keyboard.press("Escape")
        soon(lambda t: expect(dialog).to_be_hidden(timeout=t), self.settle_ms)
        if may_fail:
            return False
        raise ValidationRejected(f"Adicionar usuário {email}: {reason}", errors=[reason])

    def set_subject(self, text: str) -> None:
        shown = probe(self.hooks.locate(self._pane_now(), "zendesk.ticket.subject"))
        subject = shown.locator if shown is not None and shown.visible else self.hooks.require(
            self._pane(), "zendesk.ticket.subject", self.settle_ms)
        subject.fill(text)
        expect(subject).to_have_value(text)

    def set_brand(self, name: str) -> None:
        self._choose_system("brand", name)

    def set_form(self, name: str) -> None:
        self._choose_system("form", name)

    def set_type(self, name: str) -> None:
        self._choose_system("type", name)

    def set_custom_dropdown(self, field_id: int, option: str) -> None:
        # The usual markup (a button in the field's container) read in the same trip as the
        # container's visibility (shown only with form 0800); anything else: the waiting path.
        container = CUSTOM_DROPDOWN.format(id=field_id)
        button = test_id(test_id(self._pane_now(), container), CUSTOM_DROPDOWN_BUTTON)
        if not self._choose_now(button, option, f'[data-test-id="{container}"]'):
            self._choose(self._custom_dropdown(field_id), option)

    def set_custom_text(self, field_id: int, text: str) -> None:
        tid = CUSTOM_TEXT.format(id=field_id)
        field = self._pane().locator(
            f'input[data-test-id="{tid}"], textarea[data-test-id="{tid}"], '
            f'[data-test-id="{tid}"] input, [data-test-id="{tid}"] textarea').first
        field.fill(text)
        expect(field).to_have_value(text)

    # -- composer and submit ----------------------------------------------------------------

    def add_comment(self, text: str, *, internal: bool) -> None:
        """Switch the composer's channel and type ``text`` (it replaces an unsent draft).

        One submit sends one comment: an internal note and a public reply need two submits.
        """
        channel = "internal" if internal else "public"
        hook = "zendesk.composer.channel_switcher"
        pane = self._pane_now()
        switcher = probe(self.hooks.locate(pane, hook), _CHANNEL_JS)
        if switcher is None or not switcher.visible:  # not on screen yet: wait for the pane, then the hook
            pane = self._pane()
            switcher = probe(self.hooks.require(pane, hook, self.settle_ms), _CHANNEL_JS)
        if switcher is None:
            raise UnexpectedPage("O seletor de canal do compositor do Zendesk sumiu da tela.")
        if switcher.value != channel:
            switcher.activate()
            activate(self.menu_item(CHANNEL_ITEM.format(channel=channel)))
            if not wait_true(switcher.locator, f"(el, want) => ({_CHANNEL_JS})(el) === want", channel,
                             self.settle_ms):
                raise VerificationFailed(f"O compositor do Zendesk não passou para o canal {channel}.")
        editor = self.hooks.require(pane, "zendesk.composer.editor", self.settle_ms)
        editor.fill(text)
        expect(editor).to_contain_text(text.strip().splitlines()[0] if text.strip() else "")

    def stay_on_ticket_after_submit(self) -> None:
        """After-submit action "Permanecer no ticket" (the default closes the tab). The button
        names the chosen action: when it already says so, there is nothing to choose."""
        hook, text = "zendesk.footer.post_save_menu", "el => el.textContent || ''"
        button = probe(self.hooks.locate(self._pane_now(), hook), text)
        if button is None or not button.visible:  # not on screen yet: wait for the pane, then the hook
            button = probe(self.hooks.require(self._pane(), hook, self.settle_ms), text)
        if button is None:
            raise UnexpectedPage("O menu de ação após o envio do Zendesk sumiu da tela.")
        if STAY_ON_TICKET in " ".join(str(button.value).split()):
            return
        button.activate()
        item = (self.page.get_by_role("menuitemradio", name=STAY_ON_TICKET)
                .or_(self.page.get_by_role("menuitem", name=STAY_ON_TICKET))
                .or_(self.page.get_by_role("option", name=STAY_ON_TICKET)))
        activate(visible(item).first)

    def submit_as(self, status: str) -> int:
        """Submit with ``status`` ("open", "hold"...), check the toast and the badge; the ticket id."""
        if status not in SUBMITTABLE:
            raise ValueError(f"status não enviável: {status!r}")
        # The menu button and the toasts on screen in one read: the next toast must be the answer
        # to this submit, so any toast left is closed first.
        menu = probe(self.hooks.locate(self._pane_now(), "zendesk.submit.menu_button"),
                     f"() => [...document.querySelectorAll('[data-test-id=\"{TOAST}\"]')].filter({VISIBLE_JS}).length")
        if menu is not None and menu.click and menu.value == 0:  # clickable now, no toast left
            menu.activate()
        else:
            self.close_toasts()
            activate(self.hooks.require(self._pane(), "zendesk.submit.menu_button", self.settle_ms))
        activate(self.menu_item(SUBMIT_ITEM.format(status=status)))
        try:
            answer = visible(self.toasts().or_(self.login_form())).first
            soon(lambda t: expect(answer).to_be_visible(timeout=t), self.timeout_ms)
        except AssertionError as exc:
            raise UnexpectedPage("O Zendesk não respondeu ao envio do ticket") from exc
        # The login form, the spinner and the toast (its text and close button) in one read.
        try:
            now = self.page.evaluate(_AFTER_SUBMIT_JS, [EMAIL, SPINNER, f'[data-test-id="{TOAST}"]',
                                                        f'[data-test-id="{TOAST_CLOSE}"]'])
        except PlaywrightError:  # the document is being replaced (the login page?): the waiting path
            now = {"login": self.login.is_current(), "spinner": True, "toast": None, "close": None}
        if now["login"] or self.login.at_login_url():
            raise SessionExpired("A sessão do Zendesk expirou ao enviar o ticket")
        if now["spinner"] or now["toast"] is None:  # still working: wait, then read the toast
            soon(lambda t: expect(visible(self.page.locator(SPINNER))).to_have_count(0, timeout=t), self.timeout_ms)
            now = {"toast": evaluate_first(self.toasts().first, _TOAST_TEXT_JS), "close": None}
        text = " ".join(str(now["toast"]).split())
        if now["close"]:
            self.page.mouse.click(*now["close"])
        self.close_toasts()
        limited = RATE_LIMIT_TOAST.search(text)
        if limited:
            raise RateLimited(text, retry_after=float(limited.group(1)))
        saved = SAVED_TOAST.search(text)
        if not saved:
            raise SaveRejected(text)
        ticket_id = int(saved.group(1))
        self._verify_status(ticket_id, status)
        return ticket_id

    # -- reading ----------------------------------------------------------------------------

    def read_status(self) -> str:
        badge = self._pane().locator(STATUS_BADGE).first
        soon(lambda t: expect(badge).to_be_visible(timeout=t), self.timeout_ms)
        return (badge.get_attribute("data-test-id") or "").removeprefix("status-badge-")

    def read_fields(self) -> dict[str, str]:
        pane = self._pane()
        fields = {"subject": self.hooks.locate(pane, "zendesk.ticket.subject").input_value()}
        for key in SYSTEM_FIELDS:
            fields[key] = self._value(self._system_field(key))
        for container in pane.locator('[data-test-id^="ticket-form-field-dropdown-field-"]').all():
            field_id = (container.get_attribute("data-test-id") or "").rsplit("-", 1)[-1]
            button = test_id(container, CUSTOM_DROPDOWN_BUTTON)
            fields[field_id] = self._value(button.first if button.count() else container)
        for text_field in pane.locator('[data-test-id^="ticket-form-field-text-field-"]').all():
            field_id = (text_field.get_attribute("data-test-id") or "").rsplit("-", 1)[-1]
            value = text_field.evaluate(
                "el => { const i = el.matches('input, textarea') ? el : el.querySelector('input, textarea');"
                " return i ? i.value : ''; }")
            fields[field_id] = value.strip()
        return fields

    def read_comments(self) -> list[Comment]:
        items = test_id(self._pane(), COMMENT)
        return [Comment(public=not c["internal"], body=c["body"]) for c in items.evaluate_all(_COMMENTS_JS)]

    # -- helpers ----------------------------------------------------------------------------

    def _pane_now(self) -> Locator:
        """The active ticket pane, unchecked: for reads that check what they find (visible,
        clickable) and fall back to ``_pane()``, which waits for it, when they find nothing."""
        return self.page.locator(ACTIVE_PANE)

    def _pane(self) -> Locator:
        """The active ticket pane, once visible."""
        pane = self.page.locator(ACTIVE_PANE)
        try:
            soon(lambda t: expect(pane).to_be_visible(timeout=t), self.timeout_ms)
        except AssertionError as exc:
            if self.login.is_current():
                raise SessionExpired("A sessão do Zendesk expirou: a página de login apareceu") from exc
            raise UnexpectedPage("Nenhum ticket ativo no Zendesk") from exc
        return pane

    # Which candidate selector holds a field's combobox is a fact of the site's markup, the same
    # for every ticket: remembered per site and test id and tried first (one count() per call).
    _control_css: dict[tuple[str, str], str] = {}

    def _control(self, root: Locator, tid: str, label: str) -> Locator:
        """The combobox of a field given by test id (on the control itself or on its container),
        else the combobox named by its label."""
        known = self._control_css.get((self.base_url, tid))
        css = f'[data-test-id="{tid}"]'
        # The form found last time first (one round trip); a release that changed it is probed again.
        candidates = (f'{css}[role="combobox"], {css} [role="combobox"]', f"input{css}, {css} input",
                      f"button{css}, {css} button")
        for candidate in sorted(candidates, key=lambda c: c != known):
            found = root.locator(candidate)
            if found.count():
                self._control_css[(self.base_url, tid)] = candidate
                return found.first
        return root.get_by_role("combobox", name=label, exact=True)

    def _system_field(self, key: str) -> Locator:
        tid, label = SYSTEM_FIELDS[key]
        return self._control(self._pane(), tid, label)

    def _custom_dropdown(self, field_id: int) -> Locator:
        container = test_id(self._pane(), CUSTOM_DROPDOWN.format(id=field_id))
        soon(lambda t: expect(container).to_be_visible(timeout=t), self.timeout_ms)  # shown only with form 0800
        for candidate in (test_id(container, CUSTOM_DROPDOWN_BUTTON), container.get_by_role("combobox"),
                          container.get_by_role("button")):
            if candidate.count():
                return candidate.first
        return container

    def _typing_target(self, control: Locator) -> Locator:
        """Where to type in a combobox: itself when it is a text control, else its input."""
        if evaluate_first(control, "el => el.matches('input, textarea, [contenteditable=\"true\"]')"):
            return control
        inner = control.locator("input")
        return inner.first if inner.count() else self.page.locator("input:focus, textarea:focus").first

    @staticmethod
    def _value(control: Locator) -> str:
        return _clean(str(evaluate_first(control, _VALUE_JS)))

    def _choose_system(self, key: str, option: str) -> None:
        """A system field's combobox: where it was found last time, else looked for again."""
        tid, _ = SYSTEM_FIELDS[key]
        known = self._control_css.get((self.base_url, tid))
        if not (known and self._choose_now(self._pane_now().locator(known).first, option)):
            self._choose(self._system_field(key), option)

    def _choose(self, control: Locator, option: str) -> None:
        """Open a Garden combobox and pick the option (rendered in a portal, outside the field)."""
        if not self._choose_now(control, option):
            soon(lambda t: expect(control).to_be_visible(timeout=t), self.timeout_ms)
            if not self._choose_now(control, option):
                raise UnexpectedPage(f"O campo do Zendesk para '{option}' sumiu da tela.")

    def _choose_now(self, control: Locator, option: str, within: str | None = None) -> bool:
        """``_choose`` on a control that is visible now (and inside a visible ``within``), its
        value, kind and click point read in one trip; False, having done nothing, otherwise."""
        state = probe(control, _CHOOSE_JS, within)
        if state is None or not state.visible or not state.value[2]:
            return False
        shown, is_input = _clean(str(state.value[0])), state.value[1]
        if shown == option:
            return True
        state.activate()
        activate(self.option(option))
        if is_input:
            soon(lambda t: expect(control).to_have_value(option, timeout=t), self.settle_ms)
        else:
            soon(lambda t: expect(control).to_contain_text(option, timeout=t), self.settle_ms)
        return True

    @staticmethod
    def _carries(response: Response, text: str) -> bool:
        """True for an AJAX answer whose request carried ``text`` (a search for it)."""
        return response.request.resource_type in ("fetch", "xhr") and carries(response, text)

    def _verify_status(self, ticket_id: int, status: str) -> None:
        """The badge of the saved ticket shows ``status``; reopens the ticket if its tab closed."""
        pane = self.page.locator(f'[data-test-id="ticket-{ticket_id}-standard-layout"][data-is-active="true"]')
        wanted = pane.locator(f'[data-test-id="status-badge-{status}"]')
        badge = probe(wanted)
        if badge is not None and badge.visible:  # already showing: one read
            return
        now = probe(pane)
        if now and now.visible:
            try:
                soon(lambda t: expect(wanted).to_be_visible(timeout=t), self.settle_ms)
                return
            except AssertionError:
                pass  # the tab closed meanwhile, or the badge is late: read the saved ticket
        self.open_ticket(ticket_id)
        try:
            soon(lambda t: expect(wanted).to_be_visible(timeout=t), self.settle_ms)
        except AssertionError as exc:
            shown = self.read_status()
            raise VerificationFailed(
                f"O ticket #{ticket_id} deveria estar '{STATUS_LABELS[status]}', "
                f"mas mostra '{STATUS_LABELS.get(shown, shown)}'") from exc
