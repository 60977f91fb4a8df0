"""The page objects one request attempt drives, built in one place.

A request attempt gets two pages (one per site): the worker's kept tabs
(``rpa.runtime.kept_tabs``), or a fresh context's. The page
objects get no usable credentials: login happens outside traced contexts (see
``rpa.runtime.session``), so a login page met mid-request raises ``SessionExpired`` and the runner
logs in again, untraced, before the next attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page

from pages.common import Credentials, install_modal_handler
from pages.hooks import DEFAULT_HOOKS, HookSelectors, UnknownHook
from pages.workfinity.order_form import OrderFormPage
from pages.workfinity.order_list import OrderListPage
from pages.zendesk.search import SearchPage
from pages.zendesk.ticket import TicketPage
from rpa.errors import InputError
from rpa.runtime.flowlog import FlowLog
from rpa.runtime.lanes import Lanes

# Page objects log in again when they meet a login page; with these they cannot, so a
# password is never typed inside a traced context (LoginRefused -> SessionExpired below).
NO_CREDENTIALS = Credentials(user="", password="")


def new_tabs(context: BrowserContext) -> tuple[Page, Page]:
    """The two pages of an attempt (Workfinity, Zendesk), with the surprise-modal handlers."""
    pages = (context.new_page(), context.new_page())
    for page in pages:
        install_modal_handler(page)
    return pages


@dataclass
class Sites:
    context: BrowserContext
    workfinity_url: str
    zendesk_url: str
    flow: FlowLog = field(default_factory=FlowLog)
    hooks: HookSelectors = DEFAULT_HOOKS  # the operator's [selectors] overrides
    pages: tuple[Page, Page] | None = None  # kept tabs (Workfinity, Zendesk), their handlers installed
    overlap: bool = True  # both sites driven at once (rpa.runtime.lanes), else in turns

    def __post_init__(self) -> None:
        if self.pages is None:
            self.pages = new_tabs(self.context)
        self.wf_page, self.zd_page = self.pages
        self.lanes = Lanes(self.wf_page, overlap=self.overlap)
        self._front: Page | None = None
        wf, zd = self._before(self.wf_page), self._before(self.zd_page)
        wf_url, zd_url = self.workfinity_url, self.zendesk_url
        hooks = self.hooks
        self.order_list = self.flow.wrap("workfinity.list", OrderListPage(self.wf_page, wf_url, NO_CREDENTIALS, hooks),
                                         wf)
        self.order_form = self.flow.wrap("workfinity.form", OrderFormPage(self.wf_page, wf_url, NO_CREDENTIALS, hooks),
                                         wf)
        self.ticket = self.flow.wrap("zendesk.ticket", TicketPage(self.zd_page, zd_url, NO_CREDENTIALS, hooks), zd)
        self.search = self.flow.wrap("zendesk.search", SearchPage(self.zd_page, zd_url, NO_CREDENTIALS, hooks), zd)

    def _before(self, page: Page):
        """Ahead of every page-object step: stop this lane if the other one failed; in turns,
        bring the page to the front (a headed browser throttles a background tab's timers).
        Overlapping, both tabs are driven at once and none is brought forward: headless,
        Playwright keeps every page visible and focused (a background tab is not throttled)."""

        def before() -> None:
            self.lanes.checkpoint()
            if not self.lanes.overlapping and self._front is not page:
                page.bring_to_front()
                self._front = page

        return before

    def screenshot(self, path) -> list[str]:
        """Screenshots of both pages at the point of failure (best effort)."""
        saved = []
        for name, page in (("workfinity", self.wf_page), ("zendesk", self.zd_page)):
            target = path.with_name(f"{path.stem}-{name}{path.suffix}")
            try:
                if page.url and page.url != "about:blank":
                    page.screenshot(path=str(target), full_page=True, timeout=5000)
                    saved.append(str(target))
            except Exception:
                pass
        return saved


def hook_selectors(overrides: dict[str, str]) -> HookSelectors:
    """The page objects' selectors with the ``[selectors]`` overrides of ``rpa.toml``; a name
    no page object has is a configuration error (the run does not start)."""
    try:
        return HookSelectors(overrides)
    except UnknownHook as exc:
        raise InputError(str(exc)) from exc


def describe_overrides(hooks: HookSelectors) -> list[str]:
    """One pt-BR line per active override, for the start of a run and for doctor."""
    return [f"seletor substituído: {name} = {selector}" for name, selector in sorted(hooks.overrides.items())]
