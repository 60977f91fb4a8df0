"""Page objects of the Zendesk Agent Workspace, written against the UI contract only.

The caller installs ``pages.common.install_modal_handler(page)`` once per page: the surprise
"Aviso" modal is then closed before any action. Ticket locators are scoped to the active
pane; portal menus and listboxes are looked up at page level, visible ones only. Timeouts are
class attributes of ``Workspace`` (``timeout_ms`` for site answers, ``settle_ms`` for the UI
rendering an answer already received).
"""

from pages.zendesk.login import ZendeskLogin
from pages.zendesk.search import SearchPage
from pages.zendesk.ticket import STATUS_LABELS, Comment, TicketPage, TicketStatus
from pages.zendesk.workspace import Workspace

__all__ = ["STATUS_LABELS", "Comment", "SearchPage", "TicketPage", "TicketStatus", "Workspace", "ZendeskLogin"]
