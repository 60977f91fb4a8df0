"""Tickets of the fake Zendesk: validation, the system rules, saving with audit, search.

Everything here works on ``world.zendesk`` and must be called with ``world.lock`` held.
Errors are ``TicketError``: their message is the pt-BR text of the error toast.
"""

from __future__ import annotations

import re
from typing import Any

from fakesite.core import World, fold, now_iso

SITE = "zendesk"
STATUS_LABELS = {"new": "Novo", "open": "Aberto", "pending": "Pendente", "hold": "Em espera",
                 "solved": "Resolvido", "closed": "Fechado"}
SUBMIT_STATUSES = ("new", "open", "pending", "hold", "solved")
TYPES = ("Pergunta", "Incidente", "Problema", "Tarefa")
PRIORITIES = ("Baixa", "Normal", "Alta", "Urgente")
DEFAULT_PRIORITY = "Normal"
# The only form whose custom fields show (contract: "only when Formulário 0800 is selected").
CUSTOM_FIELDS_FORM = "0800"
SYSTEM_FIELDS = ("subject", "requester", "brand", "form", "type", "priority", "assignee")
SAVE_FAILED = "Não foi possível salvar o ticket"
RATE_LIMITED = "Limite de requisições excedido. Tente novamente em {n} segundos."
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class TicketError(Exception):
    """A refused save; ``str(exc)`` is the toast text, ``status`` the HTTP code."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


# -- lookups ---------------------------------------------------------------------------------


def find_ticket(world: World, ticket_id: int) -> dict[str, Any] | None:
    return next((t for t in world.zendesk.get("tickets", []) if int(t["id"]) == ticket_id), None)


def find_user(world: World, email: str) -> dict[str, Any] | None:
    wanted = (email or "").strip().casefold()
    return next((u for u in world.zendesk.get("users", []) if u["email"].casefold() == wanted), None)


def find_agent(world: World, email: str) -> dict[str, Any] | None:
    wanted = (email or "").strip().casefold()
    return next((a for a in world.zendesk.get("agents", []) if a["email"].casefold() == wanted), None)


def display_name(world: World, email: str) -> str:
    person = find_agent(world, email) or find_user(world, email)
    return person["name"] if person else (email or "")


def public_ticket(world: World, ticket: dict[str, Any]) -> dict[str, Any]:
    """The ticket as the UI receives it (names resolved for display)."""
    out = {key: value for key, value in ticket.items() if key != "comments"}
    out.setdefault("assignee", "")
    out["requester_name"] = display_name(world, ticket.get("requester", ""))
    out["comments"] = [{**c, "author_name": display_name(world, c.get("author", ""))}
                       for c in ticket.get("comments", [])]
    return out


def search_users(world: World, query: str, limit: int = 10) -> list[dict[str, str]]:
    needle = fold(query.strip())
    users = world.zendesk.get("users", [])
    found = [u for u in users if needle and (needle in fold(u["name"]) or needle in fold(u["email"]))]
    return [{"name": u["name"], "email": u["email"]} for u in found[:limit]]


def add_user(world: World, actor: str, name: str, email: str) -> dict[str, str]:
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name:
        raise TicketError("Informe o nome do usuário.")
    if not EMAIL.match(email):
        raise TicketError("Informe um e-mail válido.")
    if find_user(world, email) or find_agent(world, email):
        raise TicketError(f"O e-mail {email} já está em uso por outro usuário.")
    user = {"name": name, "email": email}
    world.zendesk.setdefault("users", []).append(user)
    world.record(SITE, actor, "user", email, "create", {"name": [None, name], "email": [None, email]})
    return dict(user)


def search_tickets(world: World, query: str) -> list[dict[str, Any]]:
    """Tickets matching the number, subject, requester e-mail or any comment text."""
    raw = query.strip()
    if not raw:
        return []
    number = raw.lstrip("#")
    needle = fold(raw)
    hits = []
    for t in world.zendesk.get("tickets", []):
        texts = [t.get("subject", ""), t.get("requester", "")] + [c["body"] for c in t.get("comments", [])]
        if (number.isdigit() and int(number) == int(t["id"])) or any(needle in fold(x) for x in texts):
            hits.append({"id": t["id"], "subject": t.get("subject", ""), "status": t["status"],
                         "status_label": STATUS_LABELS[t["status"]], "requester": t.get("requester", "")})
    return sorted(hits, key=lambda h: h["id"], reverse=True)


# -- saving ----------------------------------------------------------------------------------


def _validate(world: World, changes: dict[str, Any]) -> None:
    z = world.zendesk
    choices = {"brand": z.get("brands", []), "form": z.get("forms", []), "type": TYPES, "priority": PRIORITIES}
    labels = {"brand": "Marca", "form": "Formulário", "type": "Tipo", "priority": "Prioridade"}
    for key, allowed in choices.items():
        value = changes.get(key)
        if value and value not in allowed:
            raise TicketError(f"{labels[key]}: valor inválido ({value}).")
    if changes.get("requester") and not (find_user(world, changes["requester"])
                                         or find_agent(world, changes["requester"])):
        raise TicketError(f"Solicitante desconhecido: {changes['requester']}.")
    if changes.get("assignee") and not find_agent(world, changes["assignee"]):
        raise TicketError(f"Responsável desconhecido: {changes['assignee']}.")
    fields = z.get("fields", {})
    for field_id, value in (changes.get("custom_fields") or {}).items():
        spec = fields.get(str(field_id))
        if spec is None:
            raise TicketError(f"Campo desconhecido: {field_id}.")
        if value and "options" in spec and value not in spec["options"]:
            raise TicketError(f"{spec['title']}: valor inválido ({value}).")


def _clean(body: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    """Split a submit body into (status, field changes, comment)."""
    status = str(body.get("status") or "")
    if status not in SUBMIT_STATUSES:
        raise TicketError(f"Status inválido: {status or '(vazio)'}.")
    changes: dict[str, Any] = {}
    for key in SYSTEM_FIELDS:
        if key in body:
            changes[key] = str(body[key] or "").strip()
    if isinstance(body.get("custom_fields"), dict):
        changes["custom_fields"] = {str(k): str(v or "").strip() for k, v in body["custom_fields"].items()}
    comment = body.get("comment")
    if isinstance(comment, dict) and str(comment.get("body") or "").strip():
        comment = {"public": bool(comment.get("public", True)), "body": str(comment["body"]).strip()}
    else:
        comment = None
    return status, changes, comment


def _check_rules(ticket: dict[str, Any] | None, status: str, changes: dict[str, Any]) -> None:
    """The system rules of the contract, enforced whatever the UI sent."""
    current = ticket or {"status": "new", "priority": "", "assignee": ""}
    if current["status"] == "closed":
        raise TicketError(f"O ticket #{current['id']} está fechado e não pode ser alterado.")
    if status == "new" and current["status"] != "new":
        raise TicketError("Um ticket não pode voltar para o status Novo.")
    if "priority" in changes and not changes["priority"] and current.get("priority"):
        raise TicketError("A prioridade não pode ser removida depois de definida.")
    assignee = changes.get("assignee", current.get("assignee", ""))
    if status == "solved" and not assignee:
        raise TicketError("Para enviar como Resolvido, atribua o ticket a um responsável.")
    requester = changes.get("requester", current.get("requester", ""))
    if not requester:
        raise TicketError("Informe o solicitante do ticket.")


def save(world: World, actor: str, ticket_id: int | None, body: dict[str, Any]) -> dict[str, Any]:
    """Create (``ticket_id`` None) or update a ticket from a submit; audit every change."""
    ticket = None
    if ticket_id is not None:
        ticket = find_ticket(world, ticket_id)
        if ticket is None:
            raise TicketError(f"Ticket #{ticket_id} não encontrado.", status=404)
    status, changes, comment = _clean(body)
    _check_rules(ticket, status, changes)
    _validate(world, changes)
    now = now_iso()
    audit: dict[str, list[Any]] = {}
    if ticket is None:
        tickets = world.zendesk.setdefault("tickets", [])
        first_free = max((int(t["id"]) for t in tickets), default=0) + 1
        ticket = {"id": world.next_counter("zendesk_ticket", first_free), "subject": "", "requester": "",
                  "status": status, "brand": (world.zendesk.get("brands") or [""])[0],
                  "form": (world.zendesk.get("forms") or [""])[0], "type": "", "priority": "",
                  "custom_fields": {}, "comments": [], "status_history": [status], "assignee": "",
                  "created_at": now, "updated_at": now}
        tickets.append(ticket)
        action = "create"
        audit["status"] = [None, status]
        old_of = lambda key: None  # noqa: E731 - every value of a new ticket is new
    else:
        action = "update"
        old_of = ticket.get
        if status != ticket["status"]:
            audit["status"] = [ticket["status"], status]
            ticket["status"] = status
            ticket.setdefault("status_history", []).append(status)
    for key, value in changes.items():
        if key == "custom_fields":
            continue
        if action == "create" and value:
            audit[key] = [None, value]
        elif action == "update" and value != (ticket.get(key) or ""):
            audit[key] = [old_of(key) or "", value]
        ticket[key] = value
    custom = ticket.setdefault("custom_fields", {})
    for field_id, value in (changes.get("custom_fields") or {}).items():
        old = custom.get(field_id, "")
        if value != old:
            audit[f"custom_fields.{field_id}"] = [old if action == "update" else None, value]
        if value:
            custom[field_id] = value
        else:
            custom.pop(field_id, None)
    if comment:
        ticket.setdefault("comments", []).append({**comment, "author": actor, "created_at": now})
        audit["comment"] = [None, comment]
    ticket["updated_at"] = now
    if audit:
        world.record(SITE, actor, "ticket", ticket["id"], action, audit)
    if not ticket.get("priority"):
        # A trigger of the real product, not the agent: audited under "system".
        ticket["priority"] = DEFAULT_PRIORITY
        world.record(SITE, "system", "ticket", ticket["id"], "update", {"priority": ["", DEFAULT_PRIORITY]})
    return ticket
