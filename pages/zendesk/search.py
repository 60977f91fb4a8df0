"""Ticket search through the toolbar (``header-toolbar-search-button`` → searchbox "Pesquisar")."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages.common import (
    LookupAnswer,
    activate,
    carries,
    lookup_answer,
    mark_stale_elements,
    soon_visible,
    test_id,
    unmarked,
)
from pages.zendesk.workspace import Workspace, visible
from rpa.errors import SessionExpired, SiteError, UnexpectedPage

SEARCHBOX_NAME = "Pesquisar"
MATCH_ITEM = "search-dialog-matches-item"
# What a search without matches says (wording is not fixed by the contract: a loose pattern).
NO_RESULTS = re.compile(r"nenhum (resultado|ticket)|sem resultados|0 resultados", re.I)
TICKET_NUMBER = re.compile(r"#(\d+)")


class SearchPage(Workspace):
    """Searches tickets by number, subject, requester e-mail or comment text."""

    def search(self, query: str) -> list[int]:
        """Ids of the tickets found, in the order the site lists them."""
        for _ in range(2):
            self.ensure_workspace()
            box = visible(self.page.get_by_role("searchbox", name=SEARCHBOX_NAME, exact=True))
            if box.count() == 0:
                activate(self.hooks.locate(self.page, "zendesk.toolbar.search"))
            soon_visible(box.first, self.timeout_ms)
            box.first.fill(query)
            items = visible(test_id(self.page, MATCH_ITEM))
            # Matches a previous search left on screen are marked: the answer comes without the mark.
            mark_stale_elements(items)
            fresh_items = unmarked(items)
            response = None
            try:
                with self.page.expect_response(lambda r: self._answers(r, query), timeout=self.timeout_ms) as info:
                    box.first.press("Enter")
                response = info.value
                if response.ok:
                    response.finished()  # the whole answer arrived...
                    # ...and the page had a frame to render it before the screen is read.
                    self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
            except PlaywrightTimeout:
                pass  # no request carrying the query was seen: the page's answer decides
            except PlaywrightError:
                pass  # the page navigated (to the login page): handled below
            empty = visible(self.page.get_by_text(NO_RESULTS))
            try:
                answer = fresh_items.or_(empty).or_(self.login_form()).first
                soon_visible(answer, self.settle_ms)
            except AssertionError:
                pass  # nothing new on screen: the same matches again, or a changed page (below)
            if self.login.is_current():
                self.log_in_again()  # expired session: the site sends us back; search again
                continue
            ids: list[int] = []
            for text in items.all_inner_texts():
                found = TICKET_NUMBER.search(text)
                if found and int(found.group(1)) not in ids:
                    ids.append(int(found.group(1)))
            verdict = lookup_answer(response, _results)
            if verdict is LookupAnswer.FAILED:
                raise SiteError(f"A pesquisa do Zendesk falhou (HTTP {response.status if response else '?'}).")
            # "No ticket" is an answer only when the site gave it: an empty result list, or
            # its "no results" text. Otherwise a changed page would create a second ticket.
            if not ids and verdict is not LookupAnswer.NOTHING and not empty.count():
                raise UnexpectedPage("A pesquisa do Zendesk não mostrou resultados nem disse que não há nenhum "
                                     f"({MATCH_ITEM}).")
            self.page.keyboard.press("Escape")
            return ids
        raise SessionExpired("A sessão do Zendesk expirou durante a pesquisa")

    @staticmethod
    def _answers(response: Response, query: str) -> bool:
        return response.request.resource_type in ("fetch", "xhr", "document") and carries(response, query)


def _results(body: object) -> object:
    """The results of a search answer: a list, or a dict with ``results`` (and maybe ``count``)."""
    if isinstance(body, dict):
        return body["count"] if "count" in body else body["results"]
    return body
