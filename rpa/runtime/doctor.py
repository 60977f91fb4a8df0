"""``rpa doctor``: a read-only visit of every screen the bot uses, checking every hook.

It logs in, opens the O.S. list, a new O.S. form (customer autocomplete and equipment lookup
on a customer and serial given, or read from the site's own O.S. list — never "Salvar"), the
Zendesk workspace and a new-ticket pane with every field and menu the bot uses opened and
closed — never a submit. Each hook of ``pages.hooks`` must resolve to exactly one element
where the bot expects it (only its configured selector counts: what the page objects would
find through a fallback is drift all the same).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from playwright.sync_api import Locator, Page, sync_playwright

from pages.common import Credentials, activate, install_modal_handler
from pages.hooks import HOOKS, WF_FORM, WF_LIST, ZD_TICKET, ZD_WORKSPACE, HookSelectors, Scope
from pages.workfinity.base import masked_cnpj
from pages.workfinity.order_form import OrderFormPage
from pages.workfinity.order_list import OrderListPage
from pages.zendesk.ticket import ACTIVE_PANE, TicketPage
from rpa.runtime.browser import bundled_chromium, launch_kwargs, new_context, resolve_browser
from rpa.runtime.sites import hook_selectors
from rpa.settings import Settings

MENU_WAIT_MS = 5_000


class HookStatus(StrEnum):
    OK = "ok"
    AUSENTE = "ausente"
    AMBIGUO = "ambiguo"


@dataclass
class HookCheck:
    site: str
    screen: str
    hook: str
    selector: str
    status: HookStatus
    note: str = ""

    def as_json(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


@dataclass
class DoctorReport:
    checks: list[HookCheck] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)

    @property
    def drifted(self) -> list[HookCheck]:
        return [c for c in self.checks if c.status is not HookStatus.OK]

    @property
    def exit_code(self) -> int:
        return 1 if self.drifted else 0


class Doctor:
    """One visit of both sites with one browser context (untraced: it types the passwords)."""

    def __init__(self, settings: Settings, shots_dir: Path, *, customer: str | None = None,
                 serial: str | None = None) -> None:
        self.settings = settings
        self.hooks: HookSelectors = hook_selectors(settings.selectors)
        self.shots_dir = shots_dir
        self.customer = customer
        self.serial = serial
        self.report = DoctorReport(overrides=dict(self.hooks.overrides))

    def run(self) -> DoctorReport:
        s = self.settings
        with sync_playwright() as pw:
            choice = resolve_browser(s.browser_path, bundled=bundled_chromium(pw))
            browser = pw.chromium.launch(**launch_kwargs(choice, headless=not s.headed))
            try:
                context = new_context(browser, s)
                wf_page, zd_page = context.new_page(), context.new_page()
                for page in (wf_page, zd_page):
                    install_modal_handler(page)
                self._workfinity(wf_page, Credentials(s.workfinity_user, s.secret("workfinity_password")))
                self._zendesk(zd_page, Credentials(s.zendesk_email, s.secret("zendesk_password")))
                context.close()
            finally:
                browser.close()
        return self.report

    # -- checking ---------------------------------------------------------------------------

    def _check(self, page: Page, names: Iterable[str], root: Locator | None = None,
               visible_only: bool = False) -> list[HookCheck]:
        checks = []
        for name in names:
            hook = HOOKS[name]
            base: Page | Locator = root if root is not None and hook.scope is Scope.PANE else page
            locator = self.hooks.locate(base, name)
            if visible_only:
                locator = locator.filter(visible=True)
            count = locator.count()
            status = HookStatus.OK if count == 1 else HookStatus.AUSENTE if count == 0 else HookStatus.AMBIGUO
            note = "" if count == 1 else f"{count} elementos"
            if count == 0:
                note = self._similar(page, self.hooks(name)) or note
            checks.append(HookCheck(hook.site, hook.screen, name, self.hooks(name), status, note))
        self.report.checks.extend(checks)
        return checks

    @staticmethod
    def _similar(page: Page, selector: str) -> str:
        """What a changed id or test id may have become: elements whose id contains the old
        one, or whose test id shares its stem (a hint for the override, never a match)."""
        found = re.fullmatch(r'#([\w-]+)|(?:\w*)\[data-test-id="([\w-]+)"\]', selector)
        if not found:
            return ""
        values = page.evaluate("""([id, testId]) => {
            const out = [];
            if (id) document.querySelectorAll('[id]').forEach(e => {
                if (e.id.toLowerCase().includes(id.toLowerCase())) out.push('#' + e.id); });
            if (testId) { const stem = testId.split('-').slice(0, -1).join('-');
                document.querySelectorAll('[data-test-id]').forEach(e => {
                    const v = e.getAttribute('data-test-id');
                    if (stem && v.startsWith(stem)) out.push(`[data-test-id="${v}"]`); }); }
            return [...new Set(out)].slice(0, 3);
        }""", [found.group(1), found.group(2)])
        return "parecidos: " + ", ".join(values) if values else ""

    def _unreached(self, names: Iterable[str], why: str) -> None:
        for name in names:
            hook = HOOKS[name]
            self.report.checks.append(HookCheck(hook.site, hook.screen, name, self.hooks(name),
                                                HookStatus.AUSENTE, why))

    def _shot(self, page: Page, site: str, screen: str) -> None:
        if not any(c.site == site and c.screen == screen for c in self.report.drifted):
            return
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        path = self.shots_dir / f"doctor-{site}-{re.sub(r'[^a-z0-9]+', '-', screen.lower()).strip('-')}.png"
        try:
            page.screenshot(path=str(path), full_page=True, timeout=10_000)
            self.report.screenshots.append(path)
        except Exception:  # noqa: BLE001 - a screenshot is a courtesy, never the verdict
            pass

    def _step(self, action: Callable[[], object]) -> str:
        """Run a step that opens something; the pt-BR reason it failed, or ''."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - any failure here is reported as drift
            return f"tela não alcançada: {str(exc).splitlines()[0][:160]}"
        return ""

    # -- Workfinity -------------------------------------------------------------------------

    def _workfinity(self, page: Page, creds: Credentials) -> None:
        url = self.settings.workfinity_url
        order_list = OrderListPage(page, url, creds, self.hooks)
        list_hooks = _names("workfinity", WF_LIST)
        why = self._step(order_list.open)
        if why:
            self._unreached(list_hooks, why)
        else:
            self._check(page, list_hooks)
            if not (self.customer and self.serial):
                self._sample_from_list(order_list)
        self._shot(page, "workfinity", WF_LIST)

        form = OrderFormPage(page, url, creds, self.hooks)
        form_hooks = _names("workfinity", WF_FORM)
        typed = {"workfinity.form.suggestion", "workfinity.form.suggestion_status"}
        why = self._step(form.open_new_order)
        if why:
            self._unreached(form_hooks, why)
            self._shot(page, "workfinity", WF_FORM)
            return
        self._check(page, [n for n in form_hooks if n not in typed])
        if self.customer:
            document = self.hooks.locate(page, "workfinity.form.document")
            masked = masked_cnpj(self.customer)
            document.fill(masked)
            suggestions = self.hooks.locate(page, "workfinity.form.suggestion").filter(visible=True)
            why = self._step(lambda: suggestions.first.wait_for(state="visible", timeout=MENU_WAIT_MS))
            self._check(page, ["workfinity.form.suggestion"], visible_only=True)
            self._check(page, ["workfinity.form.suggestion_status"])
            if not why:  # picking only fills the form in the page: nothing is saved
                activate(suggestions.first)
        else:
            self._unreached(sorted(typed), "nenhuma O.S. na lista para obter um CNPJ (use --cliente)")
        if self.serial:
            self._step(lambda: form.lookup_equipment(self.serial or ""))
        self._shot(page, "workfinity", WF_FORM)

    def _sample_from_list(self, order_list: OrderListPage) -> None:
        """A customer and a serial from the site's own O.S. list (its first row)."""
        try:
            rows = order_list.search()
        except Exception:  # noqa: BLE001 - without a sample the typed hooks are reported unreached
            return
        if rows:
            self.customer = self.customer or rows[0].cnpj
            self.serial = self.serial or rows[0].serial

    # -- Zendesk ----------------------------------------------------------------------------

    def _zendesk(self, page: Page, creds: Credentials) -> None:
        ticket = TicketPage(page, self.settings.zendesk_url, creds, self.hooks)
        workspace_hooks = _names("zendesk", ZD_WORKSPACE)
        ticket_hooks = _names("zendesk", ZD_TICKET)
        why = self._step(ticket.ensure_workspace)
        if why:
            self._unreached(workspace_hooks + ticket_hooks, why)
            self._shot(page, "zendesk", ZD_WORKSPACE)
            return
        self._check(page, [n for n in workspace_hooks if n != "zendesk.toolbar.new_ticket"])
        why = self._step(lambda: activate(self.hooks.locate(page, "zendesk.toolbar.add_menu")))
        if not why:
            item = self.hooks.locate(page, "zendesk.toolbar.new_ticket").filter(visible=True)
            self._step(lambda: item.first.wait_for(state="visible", timeout=MENU_WAIT_MS))
            self._check(page, ["zendesk.toolbar.new_ticket"], visible_only=True)
            page.keyboard.press("Escape")
        else:
            self._unreached(["zendesk.toolbar.new_ticket"], why)
        self._shot(page, "zendesk", ZD_WORKSPACE)

        why = self._step(ticket.open_new_ticket)
        if why:
            self._unreached(ticket_hooks, why)
            self._shot(page, "zendesk", ZD_TICKET)
            return
        pane = page.locator(ACTIVE_PANE)
        checks = {c.hook: c for c in self._check(page, ticket_hooks, root=pane)}
        for name in ("zendesk.ticket.brand", "zendesk.ticket.form", "zendesk.ticket.type", "zendesk.ticket.priority",
                     "zendesk.composer.channel_switcher", "zendesk.submit.menu_button",
                     "zendesk.footer.post_save_menu"):
            if checks[name].status is HookStatus.OK:
                self._open_and_close(page, self.hooks.locate(pane, name), checks[name])
        self._shot(page, "zendesk", ZD_TICKET)

    def _open_and_close(self, page: Page, trigger: Locator, check: HookCheck) -> None:
        """Open a field's list or a menu, see it show items, close it with Escape (never choose)."""
        items = page.locator("[role=option], [role=menuitem], [role=menuitemradio]").filter(visible=True)
        def open_menu() -> None:
            activate(trigger)
            items.first.wait_for(state="visible", timeout=MENU_WAIT_MS)

        why = self._step(open_menu)
        if why:
            check.status, check.note = HookStatus.AUSENTE, "abre, mas não mostrou opções"
        page.keyboard.press("Escape")
        self._step(lambda: items.first.wait_for(state="hidden", timeout=MENU_WAIT_MS))


def _names(site: str, screen: str) -> list[str]:
    return [h.name for h in HOOKS.values() if h.site == site and h.screen == screen]
