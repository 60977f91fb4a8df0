"""The O.S. form: what the browser posts, its validation, and what the template shows.

One ``OrderForm`` object serves the empty create page, the page re-rendered with errors
(values kept) and the read-only edit page, so the three show the same ids and labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakesite.core import World
from fakesite.variants import EXTRA_FIELDS, variant_knobs
from fakesite.workfinity import store

DOCUMENT_TYPES = ["CNPJ", "CPF"]


def option_value(world: World, options: list[str], label: str) -> str:
    """An option's value: its label, or its position when the variant keys options by id."""
    if variant_knobs(world.faults.variant).get("option_ids") and label in options:
        return str(options.index(label) + 1)
    return label


def option_label(world: World, options: list[str], value: str) -> str:
    """The label a posted option value stands for (the inverse of ``option_value``)."""
    if variant_knobs(world.faults.variant).get("option_ids") and value.isdigit() and 0 < int(value) <= len(options):
        return options[int(value) - 1]
    return value


def extra_fields(world: World) -> dict[str, tuple[str, str]]:
    """Fields of the variant that the bot must leave alone: name -> (label, default)."""
    return EXTRA_FIELDS if variant_knobs(world.faults.variant).get("extra_fields") else {}


@dataclass
class OrderForm:
    document_type: str = "CNPJ"
    document_typed: str = ""            # what is in the "Documento" textbox
    customer_document: str = ""         # hidden: set only when a suggestion is picked
    contato: str = ""
    email: str = ""
    telefone: str = ""
    address_changed: bool = False
    address: dict[str, str] = field(default_factory=lambda: {k: "" for k in store.ADDRESS_FIELDS})
    serial: str = ""
    group: str = ""
    service: str = ""
    provider: str = ""
    technician: str = ""
    pedido_de_venda: str = ""
    numero_referencia: str = ""
    observacoes_atendimento: str = ""
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # the variant's extra fields, as posted
    errors: dict[str, str] = field(default_factory=dict)  # field key -> pt-BR message

    # -- from a request / from a saved order ---------------------------------------------

    @classmethod
    def from_post(cls, form: Any, world: World) -> OrderForm:
        def get(name: str) -> str:
            return str(form.get(name) or "").strip()

        groups = store.catalog(world)
        group = option_label(world, list(groups), get("group"))
        return cls(
            document_type=option_label(world, DOCUMENT_TYPES, get("customerDocumentType")) or "CNPJ",
            document_typed=get("customerDocumentNumber"),
            customer_document=get("customerDocument"),
            contato=get("contato"), email=get("email"), telefone=get("telefone"),
            address_changed=get("addressChanged") == "1",
            address={k: option_label(world, store.UFS, get(name)) if k == "uf" else get(name)
                     for k, name in _ADDRESS_INPUTS.items()},
            serial=get("serial"), group=group,
            service=option_label(world, list(groups.get(group, [])), get("service")),
            provider=get("serviceProvider"), technician=get("serviceProviderTechnician"),
            pedido_de_venda=get("pedidoDeVenda"), numero_referencia=get("numeroReferencia"),
            observacoes_atendimento=get("observacoesAtendimento"), notes=get("notes"),
            extra={name: get(name) for name in extra_fields(world)},
        )

    @classmethod
    def from_order(cls, world: World, order: dict[str, Any]) -> OrderForm:
        customer = store.find_customer(world, order.get("customer_document", "")) or {}
        address = order.get("address") or customer.get("address") or {}
        return cls(
            document_typed=order.get("customer_document", ""),
            customer_document=order.get("customer_document", ""),
            contato=order.get("contato", customer.get("contato", "")),
            email=order.get("email", customer.get("email", "")),
            telefone=order.get("telefone", customer.get("telefone", "")),
            address={k: address.get(k, "") for k in store.ADDRESS_FIELDS},
            serial=order.get("serial", ""), group=order.get("group", ""), service=order.get("service", ""),
            provider=order.get("provider", ""), technician=order.get("technician", ""),
            pedido_de_venda=order.get("pedido_de_venda", ""),
            numero_referencia=order.get("numero_referencia", ""),
            observacoes_atendimento=order.get("observacoes_atendimento", ""), notes=order.get("notes", ""),
            extra=dict(order.get("extra_fields", {})),
        )

    # -- validation ------------------------------------------------------------------------

    def validate(self, world: World) -> dict[str, str]:
        errors: dict[str, str] = {}
        customer = store.find_customer(world, self.customer_document)
        if customer is None:
            errors["customer"] = "Cliente: selecione um cliente na lista de sugestões do campo Documento."
        groups = store.catalog(world)
        if not self.group:
            errors["group"] = "Grupo Serviço: campo obrigatório."
        elif self.group not in groups:
            errors["group"] = f"Grupo Serviço: '{self.group}' não existe."
        if not self.service:
            errors["service"] = "Serviço: campo obrigatório."
        elif self.group in groups and self.service not in groups[self.group]:
            errors["service"] = f"Serviço: '{self.service}' não pertence ao grupo selecionado."
        if not self.serial:
            errors["serial"] = "Número de Série: campo obrigatório."
        elif store.find_equipment(world, self.serial) is None:
            errors["serial"] = f"Número de Série: equipamento {self.serial} não encontrado."
        if self.address_changed:
            for key in _ADDRESS_REQUIRED:
                if not self.address.get(key):
                    errors[key] = f"{_ADDRESS_LABELS[key]}: campo obrigatório."
            if self.address.get("cep") and len(store.clean_cep(self.address["cep"])) != 8:
                errors["cep"] = "CEP: informe 8 dígitos."
            if self.address.get("uf") and self.address["uf"] not in store.UFS:
                errors["uf"] = "UF: inválida."
        self.errors = errors
        return errors

    def order_fields(self, world: World) -> dict[str, Any]:
        """The user-entered values of a validated form, in the contract's keys."""
        customer = store.find_customer(world, self.customer_document)
        equipment = store.find_equipment(world, self.serial)
        assert customer and equipment
        return {
            "customer_document": customer["document"], "serial": equipment["serial"],
            "group": self.group, "service": self.service, "pedido_de_venda": self.pedido_de_venda,
            "numero_referencia": self.numero_referencia,
            "observacoes_atendimento": self.observacoes_atendimento, "notes": self.notes,
            "contato": self.contato, "email": self.email, "telefone": self.telefone,
            **({"extra_fields": dict(self.extra)} if self.extra else {}),
        }

    def new_address(self) -> dict[str, str] | None:
        if not self.address_changed:
            return None
        return {**self.address, "cep": store.mask_cep(self.address["cep"])}

    # -- view --------------------------------------------------------------------------------

    def view(self, world: World) -> dict[str, Any]:
        """Everything the template needs, resolved against the data."""
        customer = store.find_customer(world, self.customer_document) if self.customer_document else None
        address = self.address
        if customer and not self.address_changed:
            address = dict(customer["address"])
        equipment = store.find_equipment(world, self.serial) if self.serial else None
        groups = store.catalog(world)
        return {
            "f": self,
            "customer": customer or {},
            "address": address,
            "equipment": equipment,
            "warranty_end": store.br_date(equipment["warranty_end"]) if equipment else "",
            "groups": list(groups),
            "services": groups.get(self.group, []) if self.group else [],
            "providers": [p["name"] for p in store.providers(world)],
            "technicians": store.technicians_of(world, self.provider) if self.provider else [],
            "ufs": store.UFS,
            "document_types": DOCUMENT_TYPES,
            "extra_fields": extra_fields(world),
            "oid": lambda options, label: option_value(world, list(options), label),
            "errors": self.errors,
            "first_error_tab": _first_error_tab(self.errors),
        }


# Per address field (store.ADDRESS_FIELDS, in its order): the input's name, its label.
_ADDRESS_INPUTS = dict(zip(store.ADDRESS_FIELDS, ("zipCode", "logradouro", "numero", "complemento", "bairro",
                                                  "cidade", "uf"), strict=True))
_ADDRESS_LABELS = dict(zip(store.ADDRESS_FIELDS, ("CEP", "Logradouro", "Número", "Complemento", "Bairro",
                                                  "Cidade", "UF"), strict=True))
_ADDRESS_REQUIRED = tuple(k for k in store.ADDRESS_FIELDS if k != "complemento")
_ATENDIMENTO_ERRORS = {"group", "service"}


def _first_error_tab(errors: dict[str, str]) -> str:
    if errors and all(k in _ATENDIMENTO_ERRORS for k in errors):
        return "atendimento"
    return "geral"
