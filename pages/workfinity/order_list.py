"""Workfinity O.S. list (``/serviceOrder/index``): filters and the results table."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator

from pages.common import activate
from pages.workfinity.base import WorkfinityScreen, cnpj_key, mark_document, named_field, wait_new_document
from pages.workfinity.models import OrderSummary
from rpa.errors import UnexpectedPage

PATH = "/serviceOrder/index"
EMPTY = "Nenhum registro encontrado"
HEADERS = {  # column header -> OrderSummary field
    "Número": "number", "Pedido de Venda": "pedido_de_venda", "Número de Série": "serial",
    "Cliente": "cliente", "CNPJ": "cnpj", "Status": "status", "Aberta em": "opened_at",
}

# Reads the table by its header texts (column order is not part of the contract).
_READ_TABLE = """
table => {
  const rows = [...table.querySelectorAll('tr')];
  const headerRow = rows.find(r => r.querySelector('th'));
  const headers = headerRow ? [...headerRow.querySelectorAll('th, td')].map(c => c.textContent.trim()) : [];
  const out = [];
  for (const tr of rows) {
    if (tr === headerRow) continue;
    const cells = [...tr.querySelectorAll('td, th')];
    if (cells.length < headers.length) continue;  // e.g. an "empty" row spanning the table
    const links = [...tr.querySelectorAll('a[href]')];
    const edit = links.find(a => a.href.includes('/serviceOrder/edit/')) || links[0];
    out.push({cells: cells.map(c => c.textContent.trim()), href: edit ? edit.href : ''});
  }
  return {headers, rows: out};
}
"""


class OrderListPage(WorkfinityScreen):
    def _locators(self) -> dict[str, Locator]:
        page = self.page
        return {
            "number": self.hooks.locate(page, "workfinity.list.number"),
            "pedido_de_venda": named_field(page, "Pedido de Venda"),
            "serial": named_field(page, "Número de Série"),
            "cnpj": named_field(page, "CNPJ"),
        }

    @property
    def _search_button(self) -> Locator:
        return self.hooks.locate(self.page, "workfinity.list.search")

    @property
    def _table(self) -> Locator:
        return self.page.get_by_role("table").filter(
            has=self.page.get_by_role("columnheader", name="Número de Série"))

    @property
    def _empty(self) -> Locator:
        return self.page.get_by_text(EMPTY)

    def open(self) -> None:
        self.goto(self.url(PATH))
        self.expect_visible(self._search_button, "a lista de O.S.")

    def search(self, *, number: str | None = None, pedido_de_venda: str | None = None,
               serial: str | None = None, cnpj: str | None = None) -> list[OrderSummary]:
        """Search with the given filters; only exact matches are returned (the site may match more)."""
        self.open()
        wanted = {"number": number, "pedido_de_venda": pedido_de_venda, "serial": serial, "cnpj": cnpj}
        for key, field in self._locators().items():
            field.fill((wanted[key] or "").strip())
        mark_document(self.page)
        activate(self._search_button)
        wait_new_document(self.page, self.timeout_ms)
        self.expect_visible(self._table.or_(self._empty).first, "o resultado da pesquisa de O.S.")
        found = self._read_table()
        return [o for o in found if _matches(o, wanted)]

    def _read_table(self) -> list[OrderSummary]:
        """The results table read in one trip; none when the site showed no table (its "empty" text)."""
        data = self._table.evaluate_all(f"tables => tables.length ? ({_READ_TABLE})(tables[0]) : null")
        if data is None:
            return []
        index = {HEADERS[_norm(h)]: i for i, h in enumerate(data["headers"]) if _norm(h) in HEADERS}
        missing = set(HEADERS.values()) - set(index)
        if missing:
            raise UnexpectedPage(f"Lista de O.S. do Workfinity sem as colunas {sorted(missing)}.")
        return [
            OrderSummary(**{f: row["cells"][i] for f, i in index.items()}, edit_url=row["href"])
            for row in data["rows"]
        ]


def _norm(header: str) -> str:
    """Header text without sort arrows, icons or extra spaces."""
    return " ".join(re.sub(r"[^\w\s.]", " ", header).split())


def _matches(order: OrderSummary, wanted: dict[str, str | None]) -> bool:
    def same(a: str, b: str | None, norm: Callable[[str], str] = lambda s: s.strip().upper()) -> bool:
        return not b or not b.strip() or norm(a) == norm(b)

    return (same(order.number, wanted["number"]) and same(order.pedido_de_venda, wanted["pedido_de_venda"])
            and same(order.serial, wanted["serial"])
            and same(order.cnpj, wanted["cnpj"], norm=cnpj_key))
