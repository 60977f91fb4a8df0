"""Workfinity business data on top of ``World``: lookups, O.S. search, numbering, routing, saving.

Every function takes the world and works under ``world.lock``; the HTTP layer only parses
requests and renders answers. Data keys are the contract's (see ui-contract.md, data formats).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from holidays.countries.brazil import Brazil

from fakesite.core import World, fold, now_iso

# The 27 UFs in the order of their states' names, as the UF select lists them (holidays names
# Brazil's states by their UF; its other subdivisions, such as "São Paulo Capital", are cities).
UFS = [uf for _, uf in sorted(Brazil.subdivisions_aliases.items(), key=lambda state: fold(state[0]))
       if uf in Brazil.subdivisions and len(uf) == 2]

ADDRESS_FIELDS = ("cep", "logradouro", "numero", "complemento", "bairro", "cidade", "uf")
SYSTEM_ACTOR = "system"
_DOCUMENT_MASK = re.compile(r"[\s./\-_]")


def clean_document(value: str) -> str:
    """A CNPJ or CPF without its mask, upper-case (letters of an alphanumeric CNPJ kept)."""
    return _DOCUMENT_MASK.sub("", value or "").upper()


def clean_cep(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def mask_cep(value: str) -> str:
    digits = clean_cep(value)
    return f"{digits[:5]}-{digits[5:]}" if len(digits) == 8 else (value or "").strip()


def br_date(iso: str | None) -> str:
    """``2027-03-31`` -> ``31/03/2027`` (empty stays empty)."""
    if not iso:
        return ""
    return dt.date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def br_datetime(iso: str | None) -> str:
    if not iso:
        return ""
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")


# -- lookups ----------------------------------------------------------------------------


def find_customer(world: World, document: str) -> dict[str, Any] | None:
    key = clean_document(document)
    if not key:
        return None
    with world.lock:
        return next((c for c in world.workfinity.get("customers", [])
                     if clean_document(c["document"]) == key), None)


def suggest_customers(world: World, term: str, limit: int = 10) -> list[dict[str, Any]]:
    """Customers whose document contains what was typed (mask ignored, letters kept)."""
    key = clean_document(term)
    if len(key) < 4:
        return []
    with world.lock:
        found = [c for c in world.workfinity.get("customers", []) if key in clean_document(c["document"])]
    found.sort(key=lambda c: not clean_document(c["document"]).startswith(key))  # prefix matches first
    return found[:limit]


def find_equipment(world: World, serial: str) -> dict[str, Any] | None:
    key = (serial or "").strip().upper()
    if not key:
        return None
    with world.lock:
        return next((e for e in world.workfinity.get("equipment", []) if e["serial"].upper() == key), None)


def lookup_cep(world: World, cep: str) -> dict[str, str] | None:
    key = clean_cep(cep)
    if len(key) != 8:
        return None
    with world.lock:
        for known, address in world.workfinity.get("ceps", {}).items():
            if clean_cep(known) == key:
                return dict(address)
    return None


def catalog(world: World) -> dict[str, list[str]]:
    with world.lock:
        return dict(world.workfinity.get("catalog", {}))


def providers(world: World) -> list[dict[str, Any]]:
    with world.lock:
        return list(world.workfinity.get("providers", []))


def technicians_of(world: World, provider: str) -> list[str]:
    return next((list(p.get("technicians", [])) for p in providers(world) if p["name"] == provider), [])


# -- service orders -----------------------------------------------------------------------


def _orders(world: World) -> list[dict[str, Any]]:
    """The O.S. list, giving an ``id`` to seed orders that came without one."""
    orders = world.workfinity.setdefault("service_orders", [])
    next_id = max((o["id"] for o in orders if isinstance(o.get("id"), int)), default=0) + 1
    for order in orders:
        if not isinstance(order.get("id"), int):
            order["id"] = next_id
            next_id += 1
    return orders


def find_order(world: World, order_id: int) -> dict[str, Any] | None:
    with world.lock:
        return next((o for o in _orders(world) if o["id"] == order_id), None)


def search_orders(world: World, number: str = "", pedido: str = "", serial: str = "",
                  document: str = "") -> list[dict[str, Any]]:
    """Exact matches on every filter given (case-insensitive; CNPJ mask ignored), newest first."""
    number, pedido, serial = number.strip(), pedido.strip(), serial.strip().upper()
    doc = clean_document(document)
    with world.lock:
        found = [
            dict(o) for o in _orders(world)
            if (not number or o.get("number", "") == number)
            and (not pedido or str(o.get("pedido_de_venda", "")).strip() == pedido)
            and (not serial or o.get("serial", "").upper() == serial)
            and (not doc or clean_document(o.get("customer_document", "")) == doc)
        ]
    return sorted(found, key=lambda o: (o.get("created_at", ""), o["id"]), reverse=True)


def _next_number(world: World) -> str:
    """Year + 6-digit counter, continuing after the highest number of that year in the data."""
    year = str(dt.date.today().year)
    start = max((int(o["number"][4:]) for o in _orders(world)
                 if str(o.get("number", "")).startswith(year) and o["number"][4:].isdigit()), default=0) + 1
    return f"{year}{world.next_counter('workfinity_os_' + year, start):06d}"


def _route(world: World, uf: str) -> tuple[str, str]:
    """Prestador and Técnico for a UF: providers of the UF and their technicians in turn."""
    candidates = [p for p in providers(world) if uf in p.get("ufs", []) and p.get("technicians")]
    if not candidates:
        return "", ""
    turn = world.next_counter("workfinity_route_" + uf, 0)
    provider = candidates[turn % len(candidates)]
    technician = provider["technicians"][(turn // len(candidates)) % len(provider["technicians"])]
    return provider["name"], technician


def create_order(world: World, actor: str, fields: dict[str, Any], address: dict[str, str] | None,
                 posted_provider: str, posted_technician: str) -> dict[str, Any]:
    """Save a validated O.S.; audit the user's fields, the site's routing and any address change.

    ``fields`` holds the user-entered values (contract keys); ``address`` is the new customer
    address when "Alterar endereço" was used, else None.
    """
    with world.lock:
        customer = find_customer(world, fields["customer_document"])
        assert customer is not None, "validated before"
        order_id = max((o["id"] for o in _orders(world)), default=0) + 1
        number = _next_number(world)
        if address is not None:
            change_address(world, actor, customer, address, number)
        provider, technician = _route(world, customer["address"]["uf"])
        order = {
            "id": order_id, "number": number, **fields,
            "provider": provider, "technician": technician, "status": "Nova",
            "created_at": now_iso(), "created_by": actor,
            "address": dict(customer["address"]),
        }
        _orders(world).append(order)
        world.record("workfinity", actor, "service_order", number, "create",
                     {k: [None, v] for k, v in fields.items() if v not in ("", None)})
        world.record("workfinity", SYSTEM_ACTOR, "service_order", number, "assign_provider",
                     {"provider": [None, provider], "technician": [None, technician]})
        if posted_provider or posted_technician:
            world.record("workfinity", actor, "service_order", number, "user_set_provider",
                         {"provider": [None, posted_provider or None],
                          "technician": [None, posted_technician or None]})
        return order


def change_address(world: World, actor: str, customer: dict[str, Any], new: dict[str, str],
                   order_number: str) -> None:
    """Update a customer's address, audit the changed fields and keep the history entry."""
    old = dict(customer["address"])
    new = {k: (new.get(k) or "").strip() for k in ADDRESS_FIELDS}
    changes = {k: [old.get(k, ""), new[k]] for k in ADDRESS_FIELDS if old.get(k, "") != new[k]}
    if not changes:
        return
    customer["address"] = new
    customer.setdefault("address_history", []).append(
        {"at": now_iso(), "actor": actor, "service_order": order_number, "before": old, "after": new})
    world.record("workfinity", actor, "customer", customer["document"], "address_change", changes)
