"""Every hook the page objects hold on to, by a stable name, in one registry.

A hook is one element the bot needs on one screen, with its built-in Playwright selector (what
the UI contract fixes: ids, test ids, roles + accessible names). ``rpa doctor`` checks each of
them on the live sites; ``[selectors]`` in ``rpa.toml`` replaces one without a release
(``HookSelectors``); a hook that does not appear raises ``HookMissing`` with its name, which
feeds the run's drift breaker. ``pages/README.md`` maps each hook to its line in the contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from rpa.errors import HookMissing


class Scope(StrEnum):
    """Where a hook is looked for: the whole page, or the active Zendesk ticket pane."""

    PAGE = "page"
    PANE = "pane"


@dataclass(frozen=True)
class Hook:
    name: str
    site: str
    screen: str  # pt-BR, as the operator reads it in doctor's table
    selector: str
    scope: Scope = Scope.PAGE


def _role(role: str, name: str) -> str:
    """The selector string of ``get_by_role(role, name=name, exact=True)``."""
    return f'internal:role={role}[name="{name}"s]'


def _tid(value: str, tag: str = "") -> str:
    return f'{tag}[data-test-id="{value}"]'


WF_LIST, WF_FORM = "lista de O.S.", "nova O.S."
ZD_WORKSPACE, ZD_TICKET = "área de trabalho", "novo ticket"

_ALL = (
    Hook("workfinity.list.number", "workfinity", WF_LIST, _role("textbox", "Número")),
    Hook("workfinity.list.search", "workfinity", WF_LIST, _role("button", "Pesquisar")),
    Hook("workfinity.list.new_order", "workfinity", WF_LIST, '[name="_action_create"]'),
    Hook("workfinity.form.tab_geral", "workfinity", WF_FORM, _role("tab", "Geral")),
    Hook("workfinity.form.tab_atendimento", "workfinity", WF_FORM, _role("tab", "Atendimento")),
    Hook("workfinity.form.tab_observacoes", "workfinity", WF_FORM, _role("tab", "Observações")),
    Hook("workfinity.form.document_type", "workfinity", WF_FORM, "#customerDocumentType"),
    Hook("workfinity.form.document", "workfinity", WF_FORM, "#customerDocumentNumber"),
    # The stock jQuery UI autocomplete: no ARIA roles on the menu, a live region for results.
    Hook("workfinity.form.suggestion", "workfinity", WF_FORM, "ul.ui-autocomplete li.ui-menu-item"),
    Hook("workfinity.form.suggestion_status", "workfinity", WF_FORM,
         "div.ui-helper-hidden-accessible[role=status]"),
    Hook("workfinity.form.razao_social", "workfinity", WF_FORM, _role("textbox", "Razão Social")),
    Hook("workfinity.form.cep", "workfinity", WF_FORM, "#zipCodeTextField"),
    Hook("workfinity.form.serial", "workfinity", WF_FORM, _role("textbox", "Número de Série")),
    Hook("workfinity.form.find_equipment", "workfinity", WF_FORM, _role("button", "Buscar equipamento")),
    Hook("workfinity.form.model", "workfinity", WF_FORM, _role("textbox", "Modelo")),
    Hook("workfinity.form.group", "workfinity", WF_FORM, "#group"),
    Hook("workfinity.form.service", "workfinity", WF_FORM, "#service"),
    Hook("workfinity.form.notes", "workfinity", WF_FORM, "#notes"),
    Hook("workfinity.form.save", "workfinity", WF_FORM, ".btn.btn-primary.noWarn"),
    Hook("zendesk.toolbar.add_menu", "zendesk", ZD_WORKSPACE, _tid("header-toolbar-add-menu-button")),
    Hook("zendesk.toolbar.new_ticket", "zendesk", ZD_WORKSPACE, _tid("header-toolbar-add-menu-new-ticket")),
    Hook("zendesk.toolbar.search", "zendesk", ZD_WORKSPACE, _tid("header-toolbar-search-button")),
    Hook("zendesk.ticket.subject", "zendesk", ZD_TICKET, _tid("omni-header-subject", "input"), Scope.PANE),
    Hook("zendesk.ticket.requester", "zendesk", ZD_TICKET, _tid("ticket-system-field-requester-select"), Scope.PANE),
    Hook("zendesk.ticket.brand", "zendesk", ZD_TICKET, _tid("ticket-system-field-brand-select"), Scope.PANE),
    Hook("zendesk.ticket.form", "zendesk", ZD_TICKET, _tid("ticket-fields-ticket-forms"), Scope.PANE),
    Hook("zendesk.ticket.type", "zendesk", ZD_TICKET, _tid("ticket-fields-type-select"), Scope.PANE),
    Hook("zendesk.ticket.priority", "zendesk", ZD_TICKET, _tid("ticket-fields-priority-select"), Scope.PANE),
    Hook("zendesk.composer.channel_switcher", "zendesk", ZD_TICKET,
         _tid("omnichannel-channel-switcher-button"), Scope.PANE),
    Hook("zendesk.composer.editor", "zendesk", ZD_TICKET, _tid("omnicomposer-rich-text-ckeditor"), Scope.PANE),
    Hook("zendesk.submit.button", "zendesk", ZD_TICKET, _tid("submit_button-button"), Scope.PANE),
    Hook("zendesk.submit.menu_button", "zendesk", ZD_TICKET, _tid("submit_button-menu-button"), Scope.PANE),
    Hook("zendesk.footer.post_save_menu", "zendesk", ZD_TICKET,
         _tid("ticket-footer-post-save-actions-menu-button"), Scope.PANE),
)
HOOKS: dict[str, Hook] = {hook.name: hook for hook in _ALL}


class UnknownHook(ValueError):
    """An override names a hook the page objects do not have."""


class HookSelectors:
    """The selector of each hook: the built-in one, or the operator's override."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - set(HOOKS))
        if unknown:
            raise UnknownHook("Gancho desconhecido em [selectors]: " + ", ".join(unknown)
                              + ". Use os nomes que o `rpa doctor` mostra.")
        self.overrides = {name: value.strip() for name, value in overrides.items()}

    def __call__(self, name: str) -> str:
        return self.overrides.get(name) or HOOKS[name].selector

    def locate(self, root: Page | Locator, name: str) -> Locator:
        return root.locator(self(name))

    def require(self, root: Page | Locator, name: str, timeout_ms: float) -> Locator:
        """The hook's element once attached; ``HookMissing`` (a system error naming the hook and
        its screen) when nothing matches within ``timeout_ms``."""
        locator = self.locate(root, name).first
        try:
            locator.wait_for(state="attached", timeout=timeout_ms)
        except PlaywrightTimeoutError as exc:
            hook = HOOKS[name]
            raise HookMissing(f"{hook.site}: o gancho {name} ({self(name)}) não apareceu na tela {hook.screen}.",
                              hook=name, screen=hook.screen) from exc
        return locator


DEFAULT_HOOKS = HookSelectors()
