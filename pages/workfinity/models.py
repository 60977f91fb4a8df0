"""What the Workfinity page objects read from the site (plain frozen values, no locators)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class SiteAddress:
    cep: str
    logradouro: str
    numero: str
    complemento: str
    bairro: str
    cidade: str
    uf: str


@dataclass(frozen=True)
class CustomerInfo:
    document: str
    razao_social: str
    nome_fantasia: str
    contato: str
    email: str
    telefone: str
    address: SiteAddress


@dataclass(frozen=True)
class EquipmentInfo:
    serial: str
    model: str
    warranty_end: datetime.date | None


@dataclass(frozen=True)
class OrderSummary:
    number: str
    pedido_de_venda: str
    serial: str
    cliente: str
    cnpj: str
    status: str
    opened_at: str
    edit_url: str
