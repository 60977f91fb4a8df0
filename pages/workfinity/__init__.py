"""Page objects of Workfinity (``/osmanager-tenant``), written against the UI contract only.

The caller installs ``pages.common.install_modal_handler(page)`` once per page: the surprise
"Aviso" modal is then closed before any action; the page objects never need to know about it.
Timeouts are class attributes of ``WorkfinityScreen`` (``timeout_ms`` for site answers,
``lookup_timeout_ms`` for the CEP lookup, ``settle_ms`` for the UI to render an AJAX answer).
"""

from pages.workfinity.base import WorkfinityScreen
from pages.workfinity.login import WorkfinityLogin
from pages.workfinity.models import CustomerInfo, EquipmentInfo, OrderSummary, SiteAddress
from pages.workfinity.order_edit import OrderEditPage
from pages.workfinity.order_form import OrderFormPage
from pages.workfinity.order_list import OrderListPage

__all__ = [
    "CustomerInfo", "EquipmentInfo", "OrderEditPage", "OrderFormPage", "OrderListPage", "OrderSummary",
    "SiteAddress", "WorkfinityLogin", "WorkfinityScreen",
]
